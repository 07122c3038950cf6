"""The dashboard's to-do list for the branches app: meetings to record and to review, tasks due, reports to
write and to review. Each kind of item is one query (or none), whatever the size of the data."""

import datetime

from django.db.models import Count, Q, Value
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import actions, selectors
from .choices import MeetingStatus, ReportStatus, Role
from .models import Meeting, MonthlyReport, Organization, case_models, report_due_date
from .months import add_months
from .permissions import active_positions
from .roles import CHANGE_ROLES, REVIEW_ROLES

__all__ = ["power_todos", "report_todos", "todo_items"]

TODO_LIMIT = 10


def _meeting_items(user) -> list[dict]:
    """Meetings of the user's own organizations past their date and not recorded, and held meetings of the level
    below waiting for the user's review."""
    own = [p.organization_id for p in active_positions(user) if p.role in CHANGE_ROLES]
    reviewing = [p.organization_id for p in active_positions(user) if p.role in REVIEW_ROLES]
    if not own and not reviewing:
        return []
    to_record = Q(organization_id__in=own, status=MeetingStatus.PLANNED, planned_for__lt=timezone.localdate())
    # the organizations below as a list of keys, which the meetings' organization index takes: as a join or a
    # subquery, PostgreSQL read every held meeting of the city (13,000) to find a general branch's 9 (12 ms)
    below = list(Organization.objects.filter(parent_id__in=reviewing).values_list("pk", flat=True)) if reviewing else []
    to_review = Q(organization_id__in=below, status=MeetingStatus.HELD)
    counts = (  # only the rows counted are read (by their organizations), not every meeting in scope
        Meeting.objects.restrict(user, few=True)
        .filter(to_record | to_review)
        .aggregate(to_record=Count("id", filter=to_record), to_review=Count("id", filter=to_review))
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
    return [*report_todos(user), *power_todos(user), *_meeting_items(user), *_task_items(user)]


def power_todos(user, today: datetime.date | None = None) -> list[dict]:
    """The cases of the seven powers waiting for a step the user takes (by the roles of their positions), one item
    per power and state, overdue or due within a week marked: one query (a count per power the user acts in, joined
    by UNION ALL)."""
    if user is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    roles = {p.role for p in active_positions(user)}
    acted = {}
    for code, model in case_models().items():
        statuses = actions.workflow_of(model).statuses_for(roles)
        if statuses:
            acted[code] = (
                model.objects.restrict(user)
                .filter(status__in=statuses, closed_on__isnull=True)
                .annotate(power=Value(code))
                .values("power", "status")
                .annotate(
                    n=Count("id"),
                    overdue=Count("id", filter=Q(due_on__lt=today)),
                    soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=7))),
                )
                .order_by()
            )
    if not acted:
        return []
    queries = list(acted.values())
    found = {}
    for row in queries[0].union(*queries[1:], all=True):
        found.setdefault(row["power"], []).append(row)
    items = []
    for code, model in case_models().items():
        rows = sorted(found.get(code, []), key=lambda r: r["status"])
        labels = dict(model.Status.choices)
        url = reverse(f"branches:{code}_list")
        for row in rows:
            badge = (
                (_("Overdue"), "danger")
                if row["overdue"]
                else (_("Due soon"), "warning")
                if row["soon"]
                else (
                    _("To act"),
                    "info",
                )
            )
            items.append(
                {
                    "label": ngettext(
                        "%(power)s: %(n)d case “%(status)s” waits for you",
                        "%(power)s: %(n)d cases “%(status)s” wait for you",
                        row["n"],
                    )
                    % {
                        "power": capfirst(model.power_label()),
                        "n": row["n"],
                        "status": labels.get(row["status"], row["status"]),
                    },
                    "url": f"{url}?{urlencode({'status': row['status'], 'state': 'open'})}",
                    "badge": badge[0],
                    "badge_class": badge[1],
                }
            )
    return items


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def report_todos(user, today: datetime.date | None = None) -> list[dict]:
    """The report workflow's items for the dashboard's to-do list: for a village secretary last month's report
    when missing or a draft (this month's too from the 20th) and returned reports; for a liaison deputy the
    submitted reports of their villages; for a general-branch secretary the reports awaiting approval.
    Each item is {label, url, badge, badge_class}. At most three queries, whatever the number of reports."""
    if user is None or not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    positions = active_positions(user)
    roles = {p.role for p in positions}
    items = []
    if Role.VILLAGE_SECRETARY in roles:
        items += _writer_todos(user, today)
    if Role.DEPUTY_SECRETARY in roles:
        items += _review_todos(
            selectors.reports_awaiting_first_review(user),
            _("First review: %(village)s, %(month)s"),
            _("awaiting first review"),
            "info",
        )
    if Role.GENERAL_SECRETARY in roles:
        items += _review_todos(
            selectors.reports_awaiting_approval(user),
            _("Approve: %(village)s, %(month)s"),
            _("awaiting approval"),
            "primary",
        )
    return items


def _writer_todos(user, today) -> list[dict]:
    villages = selectors.writable_villages(user)
    last_month, this_month = add_months(today, -1), today.replace(day=1)
    months = [last_month] + ([this_month] if today.day >= 20 else [])
    reports = MonthlyReport.objects.restrict(user).filter(
        Q(month__in=months) | Q(status=ReportStatus.RETURNED), village__in=villages
    )
    existing = {(r.village_id, r.month): r for r in reports}
    items = []
    for village in villages:
        for month in months:
            report = existing.get((village.pk, month))
            names = {"village": village.name, "month": _month_label(month)}
            if report is None:
                items.append(
                    {
                        "label": _("Write the %(month)s report of %(village)s") % names,
                        "url": reverse("branches:report_write")
                        + "?"
                        + urlencode({"village": village.pk, "month": f"{month:%Y-%m}"}),
                        "badge": _("late") if report_due_date(month) < today else _("missing"),
                        "badge_class": "danger" if report_due_date(month) < today else "warning",
                    }
                )
            elif report.status == ReportStatus.DRAFT:
                items.append(
                    {
                        "label": _("Finish and submit the %(month)s report of %(village)s") % names,
                        "url": reverse("branches:report_edit", args=[report.pk]),
                        "badge": ReportStatus.DRAFT.label,
                        "badge_class": "warning",
                    }
                )
    for report in sorted(existing.values(), key=lambda r: (r.month, r.village_id)):
        if report.status == ReportStatus.RETURNED:
            village = next(v for v in villages if v.pk == report.village_id)
            items.append(
                {
                    "label": _("Correct and resubmit the %(month)s report of %(village)s")
                    % {"village": village.name, "month": _month_label(report.month)},
                    "url": report.get_absolute_url(),
                    "badge": ReportStatus.RETURNED.label,
                    "badge_class": "danger",
                }
            )
    return items


def _review_todos(reports, label, badge, badge_class) -> list[dict]:
    rows = list(reports.order_by("month", "village__tree_id", "village__lft")[: TODO_LIMIT + 1])
    items = [
        {
            "label": label % {"village": r.village.name, "month": _month_label(r.month)},
            "url": r.get_absolute_url(),
            "badge": badge,
            "badge_class": badge_class,
        }
        for r in rows[:TODO_LIMIT]
    ]
    if len(rows) > TODO_LIMIT:
        items.append(
            {
                "label": _("More reports are waiting: see the list"),
                "url": reverse("branches:report_list") + "?" + urlencode({"waiting": "me"}),
                "badge": "",
                "badge_class": "secondary",
            }
        )
    return items
