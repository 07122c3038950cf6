"""The dashboard's to-do list for the branches app: meetings to record and to review, tasks due, reports to
write and to review. Each kind of item is one query (or none), whatever the size of the data."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import selectors
from .choices import MeetingStatus
from .models import Meeting
from .permissions import active_positions
from .roles import CHANGE_ROLES, REVIEW_ROLES

__all__ = ["todo_items"]


def _meeting_items(user) -> list[dict]:
    """Meetings of the user's own organizations past their date and not recorded, and held meetings of the level
    below waiting for the user's review."""
    own = [p.organization_id for p in active_positions(user) if p.role in CHANGE_ROLES]
    reviewing = [p.organization_id for p in active_positions(user) if p.role in REVIEW_ROLES]
    if not own and not reviewing:
        return []
    counts = Meeting.objects.restrict(user).aggregate(
        to_record=Count(
            "id",
            filter=Q(organization_id__in=own, status=MeetingStatus.PLANNED, planned_for__lt=timezone.localdate()),
        ),
        to_review=Count("id", filter=Q(organization__parent_id__in=reviewing, status=MeetingStatus.HELD)),
    )
    url = reverse("branches:meeting_list")
    items = []
    if counts["to_record"]:
        n = counts["to_record"]
        items.append(
            {
                "label": ngettext("Record %(n)d meeting that was due", "Record %(n)d meetings that were due", n)
                % {"n": n},
                "url": f"{url}?overdue=on",
                "badge": _("Overdue"),
                "badge_class": "danger",
            }
        )
    if counts["to_review"]:
        n = counts["to_review"]
        items.append(
            {
                "label": ngettext("Review %(n)d meeting", "Review %(n)d meetings", n) % {"n": n},
                "url": f"{url}?status={MeetingStatus.HELD}",
                "badge": _("To review"),
                "badge_class": "warning",
            }
        )
    return items


def _task_items(user) -> list[dict]:
    today = timezone.localdate()
    items = []
    for assignment in selectors.tasks_due(user)[:10]:
        overdue = assignment.task.due_date < today
        items.append(
            {
                "label": _("Task “%(task)s” for %(org)s, due %(date)s")
                % {
                    "task": assignment.task.title,
                    "org": assignment.assignee.name,
                    "date": date_format(assignment.task.due_date),
                },
                "url": reverse("branches:task_progress", args=[assignment.pk]),
                "badge": _("Overdue") if overdue else _("Due soon"),
                "badge_class": "danger" if overdue else "warning",
            }
        )
    return items


def todo_items(user) -> list[dict]:
    """Everything waiting for the user, most urgent kinds first."""
    return [*selectors.report_todos(user), *_meeting_items(user), *_task_items(user)]
