"""The dashboard's to-do entries of the services app: a department's open follow-ups that are overdue or due within
a week, for its staff (one query, none for anyone else); the open follow-ups of household visits the user owns,
overdue or due within a week (one query)."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anding.scoping import scope_ranges

from .choices import PlanStatus
from .models import AssessmentPlan, HouseholdVisit, ServiceRecord
from .permissions import plan_villages, staff_department

__all__ = [
    "plan_todos",
    "todo_items",
    "visit_todo_items",
]


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


def plan_todos(user, today: datetime.date | None = None) -> list[dict]:
    """Assessment plans waiting for the user: submitted ones for the town to decide, returned ones and drafts for
    the general branch to finish, and villages still without a plan this year (one query per role held, none
    without)."""
    year = (today or timezone.localdate()).year
    url = reverse("services:plan_list")
    items = []
    if scope_ranges(user, AssessmentPlan, "approve"):
        n = AssessmentPlan.objects.restrict(user, "approve").filter(status=PlanStatus.SUBMITTED).count()
        if n:
            label = ngettext("%(n)d assessment plan awaits approval", "%(n)d assessment plans await approval", n)
            items.append(
                {
                    "label": label % {"n": n},
                    "url": f"{url}?status={PlanStatus.SUBMITTED}",
                    "badge": _("To decide"),
                    "badge_class": "warning",
                }
            )
    if scope_ranges(user, AssessmentPlan, "change"):
        counts = plan_villages(user).aggregate(
            returned=Count("assessment_plans", filter=Q(assessment_plans__status=PlanStatus.RETURNED), distinct=True),
            drafts=Count("assessment_plans", filter=Q(assessment_plans__status=PlanStatus.DRAFT), distinct=True),
            planned=Count("assessment_plans", filter=Q(assessment_plans__year=year), distinct=True),
            villages=Count("id", distinct=True),
        )
        if counts["returned"]:
            n = counts["returned"]
            label = ngettext("%(n)d assessment plan was returned", "%(n)d assessment plans were returned", n)
            items.append(
                {
                    "label": label % {"n": n},
                    "url": f"{url}?status={PlanStatus.RETURNED}",
                    "badge": _("Returned"),
                    "badge_class": "danger",
                }
            )
        if counts["drafts"]:
            n = counts["drafts"]
            label = ngettext(
                "%(n)d assessment plan is a draft not yet submitted",
                "%(n)d assessment plans are drafts not yet submitted",
                n,
            )
            items.append(
                {
                    "label": label % {"n": n},
                    "url": f"{url}?status={PlanStatus.DRAFT}",
                    "badge": _("To act"),
                    "badge_class": "info",
                }
            )
        missing = counts["villages"] - counts["planned"]
        if missing > 0:
            label = ngettext(
                "%(n)d village has no assessment plan for %(year)d",
                "%(n)d villages have no assessment plan for %(year)d",
                missing,
            )
            items.append({"label": label % {"n": missing, "year": year}, "url": url, "badge": ""})
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
