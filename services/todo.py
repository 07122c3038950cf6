"""The dashboard's to-do entries of the services app: a department's open follow-ups that are overdue or due within
a week, for its staff (one query, none for anyone else); the open follow-ups of household visits the user owns,
overdue or due within a week (one query)."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import HouseholdVisit, ServiceRecord
from .permissions import staff_department

__all__ = ["todo_items", "visit_todo_items"]

SOON = datetime.timedelta(days=7)


def todo_items(user, today: datetime.date | None = None) -> list[dict]:
    department = staff_department(user)
    if department is None:
        return []
    today = today or timezone.localdate()
    counts = (
        ServiceRecord.objects.restrict(user)
        .open_follow_ups()
        .filter(department=department)
        .aggregate(
            overdue=Count("id", filter=Q(due_on__lt=today)),
            soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + SOON)),
        )
    )
    url = reverse("services:record_list") + f"?department={department.pk}&open=true"
    items = []
    if counts["overdue"]:
        n = counts["overdue"]
        items.append(
            {
                "label": ngettext(
                    "%(n)d follow-up of a villager is overdue", "%(n)d follow-ups of villagers are overdue", n
                )
                % {"n": n},
                "url": url,
                "badge": _("Overdue"),
                "badge_class": "danger",
            }
        )
    if counts["soon"]:
        n = counts["soon"]
        items.append(
            {
                "label": ngettext(
                    "%(n)d follow-up of a villager is due this week",
                    "%(n)d follow-ups of villagers are due this week",
                    n,
                )
                % {"n": n},
                "url": url,
                "badge": _("Due soon"),
                "badge_class": "warning",
            }
        )
    return items


def visit_todo_items(user, today: datetime.date | None = None) -> list[dict]:
    """The follow-ups of household visits the user owns: those overdue, and those due within a week."""
    if user is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    counts = (
        HouseholdVisit.objects.open_follow_ups()
        .filter(follow_up_owner=user)
        .aggregate(
            overdue=Count("id", filter=Q(follow_up_due__lt=today)),
            soon=Count("id", filter=Q(follow_up_due__gte=today, follow_up_due__lte=today + SOON)),
        )
    )
    url = reverse("services:visit_list") + "?open=true"
    items = []
    if counts["overdue"]:
        n = counts["overdue"]
        items.append(
            {
                "label": ngettext(
                    "%(n)d follow-up of a household visit is overdue",
                    "%(n)d follow-ups of household visits are overdue",
                    n,
                )
                % {"n": n},
                "url": url,
                "badge": _("Overdue"),
                "badge_class": "danger",
            }
        )
    if counts["soon"]:
        n = counts["soon"]
        items.append(
            {
                "label": ngettext(
                    "%(n)d follow-up of a household visit is due this week",
                    "%(n)d follow-ups of household visits are due this week",
                    n,
                )
                % {"n": n},
                "url": url,
                "badge": _("Due soon"),
                "badge_class": "warning",
            }
        )
    return items
