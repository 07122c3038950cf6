"""Reads of monthly reports: the scoped list and one report, the completeness of a month per general branch and
village, the general branch's meeting pack, and the to-do items of the report workflow. Every function takes the
user and reads only what is in their scope, in a number of queries that does not grow with the rows."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import MEETING_KINDS_BY_ORG, MeetingKind, MemberStatus, OrgKind, ReportStatus, Role, TaskAssignmentStatus
from ..models import Meeting, MonthlyReport, Position, ReportTransition, TaskAssignment, report_due_date
from ..months import add_months
from ..permissions import active_positions
from .meetings import meetings_overview
from .organization import organization_list, subtree_q

__all__ = [
    "COMPLETENESS_STATUSES",
    "MEETING_FLAGS",
    "Completeness",
    "CompletenessRow",
    "CompletenessSummary",
    "add_months",
    "figure_sections",
    "late_q",
    "meeting_pack",
    "on_time_q",
    "overdue_cutoff",
    "report_completeness",
    "report_detail_rows",
    "report_get",
    "report_list",
    "report_rows",
    "report_todos",
    "report_write_prompts",
    "reports_awaiting",
    "reports_awaiting_approval",
    "reports_awaiting_first_review",
    "writable_villages",
]

MISSING = "missing"
# The statuses a village can have in the completeness view: no report at all, or the report's status.
COMPLETENESS_STATUSES = [(MISSING, gettext_lazy("missing")), *ReportStatus.choices]
# The 三会一课 columns, as meetings_overview names them: monthly ones first, then the quarterly ones.
MEETING_FLAGS = [
    ("committee", MeetingKind.BRANCH_COMMITTEE.label),
    ("party_group", MeetingKind.PARTY_GROUP.label),
    ("themed_day", MeetingKind.THEMED_DAY.label),
    ("assembly_quarter", MeetingKind.BRANCH_ASSEMBLY.label),
    ("lecture_quarter", MeetingKind.PARTY_LECTURE.label),
]
SUBMITTED_ONCE = (ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RETURNED, ReportStatus.APPROVED)
TODO_LIMIT = 10


# --- months and due dates ---------------------------------------------------------------------------------------


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """The latest month whose report is overdue today (its due date has passed)."""
    today = today or timezone.localdate()
    month = add_months(today, -1)
    while report_due_date(month) >= today:
        month = add_months(month, -1)
    return month


def _submission_index():
    return {
        "_sub_idx": ExtractYear("first_submitted_at") * 12 + ExtractMonth("first_submitted_at"),
        "_sub_day": ExtractDay("first_submitted_at"),
        "_rep_idx": ExtractYear("month") * 12 + ExtractMonth("month"),
    }


def late_q(today: datetime.date | None = None) -> Q:
    """On report_list(): the reports first submitted after their due date, or not submitted and past it."""
    submitted_late = Q(_sub_idx__gt=F("_rep_idx") + 1) | Q(
        _sub_idx=F("_rep_idx") + 1, _sub_day__gt=settings.REPORT_DUE_DAY
    )
    return submitted_late | Q(first_submitted_at__isnull=True, month__lte=overdue_cutoff(today))


def on_time_q(today: datetime.date | None = None) -> Q:
    """On report_list(): the complement of late_q (submitted by the due date, or not due yet)."""
    submitted_on_time = Q(_sub_idx__lte=F("_rep_idx")) | Q(
        _sub_idx=F("_rep_idx") + 1, _sub_day__lte=settings.REPORT_DUE_DAY
    )
    return submitted_on_time | Q(first_submitted_at__isnull=True, month__gt=overdue_cutoff(today))


def _lateness(month, first_submitted_at, today) -> tuple[bool, bool]:
    """(on time, late) of a report's month and first submission, the same rule as MonthlyReport.is_late."""
    due = report_due_date(month)
    if first_submitted_at is not None:
        late = timezone.localdate(first_submitted_at) > due
        return not late, late
    return False, today > due


# --- the list and one report --------------------------------------------------------------------------------------


def report_rows(queryset):
    """Reports with their village, general branch (then and now) and submitter; annotated so that
    late_q()/on_time_q() can filter them in the same query."""
    return queryset.select_related("village", "village__parent", "general_branch", "submitted_by").annotate(
        **_submission_index()
    )


def report_detail_rows(queryset):
    """Reports as `report_rows`, with their reviewers and their history (one more query)."""
    return (
        report_rows(queryset)
        .select_related("checked_by", "approved_by", "created_by")
        .prefetch_related(
            Prefetch("transitions", queryset=ReportTransition.objects.select_related("actor").order_by("at", "id"))
        )
    )


def report_list(user, action="view"):
    """Reports in scope, as `report_rows`."""
    return report_rows(MonthlyReport.objects.restrict(user, action))


def report_get(user, pk, action="view") -> MonthlyReport:
    """One report in scope (404 outside it), as `report_detail_rows`."""
    return get_object_or_404(report_detail_rows(MonthlyReport.objects.restrict(user, action)), pk=pk)


def writable_villages(user) -> list:
    """The villages the user writes the reports of (those where they are the branch secretary). No query beyond
    the user's positions, which are read once per request."""
    return [p.organization for p in active_positions(user) if p.role == Role.VILLAGE_SECRETARY]


def report_write_prompts(user, today: datetime.date | None = None) -> list[dict]:
    """For a village secretary: this month's and last month's report of each of their villages, whether missing
    (then a "write" call to action) or still being written. One query."""
    villages = writable_villages(user)
    if not villages:
        return []
    today = today or timezone.localdate()
    months = [today.replace(day=1), add_months(today, -1)]
    existing = {
        (r.village_id, r.month): r
        for r in MonthlyReport.objects.restrict(user).filter(village__in=villages, month__in=months)
    }
    prompts = []
    for village in villages:
        for month in months:
            report = existing.get((village.pk, month))
            if report is not None and not report.is_editable:
                continue
            prompts.append(
                {
                    "village": village,
                    "month": month,
                    "current": month == months[0],
                    "report": report,
                    "due_date": report_due_date(month),
                    "late": report_due_date(month) < today,
                }
            )
    return prompts


# --- figures --------------------------------------------------------------------------------------------------------


def _label(key) -> str:
    return str(key).replace("_", " ")


def figure_sections(figures) -> list[dict]:
    """The report's figures as sections of (label, value) rows: meetings held by kind, attendance, members by
    status, then any section a later app adds through the registry (unknown keys shown as they come)."""
    if not isinstance(figures, dict):
        return []
    sections = []
    meetings = figures.get("meetings") or {}
    if isinstance(meetings, dict):
        kinds = MEETING_KINDS_BY_ORG[OrgKind.VILLAGE]
        rows = [(kind.label, meetings.get(kind.value, 0)) for kind in kinds]
        rows += [
            (MeetingKind(k).label if k in MeetingKind.values else _label(k), v)
            for k, v in meetings.items()
            if k not in kinds
        ]
        sections.append({"key": "meetings", "title": _("Meetings held"), "rows": rows})
    attendance = figures.get("attendance") or {}
    if isinstance(attendance, dict):
        present, total = attendance.get("present") or 0, attendance.get("total") or 0
        rate = f"{100 * present / total:.1f}%" if total else "—"
        sections.append(
            {
                "key": "attendance",
                "title": _("Attendance at meetings"),
                "rows": [(_("present"), present), (_("expected"), total), (_("attendance rate"), rate)],
            }
        )
    members = figures.get("members") or {}
    if isinstance(members, dict):
        rows = [(status.label, members.get(status.value, 0)) for status in MemberStatus]
        rows += [(_label(k), v) for k, v in members.items() if k not in MemberStatus.values]
        sections.append({"key": "members", "title": _("Members by status"), "rows": rows})
    others = []
    for key, value in figures.items():
        if key in ("meetings", "attendance", "members"):
            continue
        if isinstance(value, dict):
            sections.append({"key": key, "title": _label(key), "rows": [(_label(k), v) for k, v in value.items()]})
        else:
            others.append((_label(key), value))
    if others:
        sections.append({"key": "other", "title": _("Other figures"), "rows": others})
    return sections


# --- completeness -------------------------------------------------------------------------------------------------


@dataclass
class CompletenessRow:
    """One village's month: its report's status and timeliness, and its 三会一课."""

    village: object
    general_branch: object
    status: str
    report_id: int | None
    first_submitted_at: datetime.datetime | None
    submitted: bool
    on_time: bool
    late: bool
    meetings: dict

    @property
    def status_label(self) -> str:
        return str(dict(COMPLETENESS_STATUSES)[self.status])

    @property
    def missing(self) -> bool:
        """Not submitted yet: no report, or still a draft."""
        return not self.submitted

    @property
    def meetings_complete(self) -> bool:
        return all(self.meetings.values())

    @property
    def meeting_flags(self) -> list[tuple[str, bool]]:
        return [(label, self.meetings[key]) for key, label in MEETING_FLAGS]

    @property
    def url(self) -> str:
        return reverse("branches:report_detail", args=[self.report_id]) if self.report_id else ""


@dataclass
class CompletenessSummary:
    """Counts over a general branch's villages (or the whole scope)."""

    general_branch: object = None
    label: str = ""
    villages: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0
    approved: int = 0
    meetings_complete: int = 0
    rows: list = field(default_factory=list)

    FIGURES = (
        ("villages", gettext_lazy("villages")),
        ("submitted", gettext_lazy("submitted")),
        ("on_time", gettext_lazy("on time")),
        ("late", gettext_lazy("late")),
        ("missing", gettext_lazy("not submitted")),
        ("returned", gettext_lazy("returned")),
        ("approved", gettext_lazy("approved")),
        ("meetings_complete", gettext_lazy("meetings complete")),
    )

    def add(self, row: CompletenessRow) -> None:
        self.villages += 1
        self.submitted += row.submitted
        self.on_time += row.on_time
        self.late += row.late
        self.missing += row.missing
        self.returned += row.status == ReportStatus.RETURNED
        self.approved += row.status == ReportStatus.APPROVED
        self.meetings_complete += row.meetings_complete

    @property
    def figures(self) -> list[tuple[str, str, int]]:
        return [(key, str(label), getattr(self, key)) for key, label in self.FIGURES]


@dataclass
class Completeness:
    month: datetime.date
    due_date: datetime.date
    rows: list
    branches: list
    total: CompletenessSummary


def report_completeness(user, month: datetime.date, within=None, today: datetime.date | None = None) -> Completeness:
    """Per village in scope (optionally within a subtree) for `month`: the report's status, on time or late, and
    the 三会一课 of the month (支委会, 党小组会, 主题党日) and of its quarter (支部党员大会, 党课); with a summary per
    general branch and a total. Two queries: the villages with their meeting counts, and the reports.

    A submitted report is on time when first submitted by its due date; a report not submitted (none, or a draft)
    is late once the due date has passed. "Not submitted" counts villages without a submitted report.
    """
    today = today or timezone.localdate()
    month = month.replace(day=1)
    overview = meetings_overview(user, month, within=within)
    reports = MonthlyReport.objects.restrict(user).filter(month=month)
    if within is not None:
        reports = reports.filter(subtree_q(within, "village"))
    by_village = {
        r["village_id"]: r for r in reports.values("id", "village_id", "status", "first_submitted_at").order_by()
    }
    rows, branches = [], {}
    total = CompletenessSummary(label=_("Total"))
    for entry in overview:
        village = entry["village"]
        report = by_village.get(village.pk)
        status = report["status"] if report else MISSING
        first_submitted_at = report["first_submitted_at"] if report else None
        on_time, late = _lateness(month, first_submitted_at, today)
        row = CompletenessRow(
            village=village,
            general_branch=entry["general_branch"],
            status=status,
            report_id=report["id"] if report else None,
            first_submitted_at=first_submitted_at,
            submitted=first_submitted_at is not None or status in SUBMITTED_ONCE,
            on_time=on_time,
            late=late,
            meetings={key: bool(entry[key]) for key, _label in MEETING_FLAGS},
        )
        rows.append(row)
        gb = row.general_branch
        key = gb.pk if gb is not None else None
        if key not in branches:
            branches[key] = CompletenessSummary(
                general_branch=gb, label=gb.name if gb is not None else _("Villages directly under the town")
            )
        branches[key].add(row)
        branches[key].rows.append(row)
        total.add(row)
    return Completeness(
        month=month, due_date=report_due_date(month), rows=rows, branches=list(branches.values()), total=total
    )


# --- the general branch's meeting pack ----------------------------------------------------------------------------


def meeting_pack(user, meeting_pk) -> dict:
    """Everything the monthly work meeting of a general branch goes through, in five queries: the meeting, its
    agenda (with linked tasks and villages), the branch's villages, their reports of the previous month, and the
    open tasks of the branch and its villages with each assignee's status."""
    meeting = get_object_or_404(
        Meeting.objects.restrict(user)
        .filter(kind=MeetingKind.WORK_MEETING)
        .select_related("organization", "organization__parent"),
        pk=meeting_pk,
    )
    branch = meeting.organization
    month = add_months(meeting.date, -1)
    agenda = list(meeting.agenda.select_related("task", "village").order_by("order", "id"))
    villages = list(organization_list(user).filter(subtree_q(branch), kind=OrgKind.VILLAGE).order_by("tree_id", "lft"))
    reports = {
        r.village_id: r for r in MonthlyReport.objects.restrict(user).filter(subtree_q(branch, "village"), month=month)
    }
    sections = []
    for village in villages:
        report = reports.get(village.pk)
        submitted = report is not None and report.status in SUBMITTED_ONCE
        sections.append(
            {
                "village": village,
                "report": report,
                "figures": figure_sections(report.figures) if submitted else [],
                "problems": _lines(report.problems) if report else [],
                "requests": _lines(report.requests) if report else [],
            }
        )
    open_tasks = (
        TaskAssignment.objects.filter(subtree_q(branch, "assignee"))
        .exclude(status=TaskAssignmentStatus.DONE)
        .values("task_id")
    )
    assignments = (
        TaskAssignment.objects.restrict(user)
        .filter(subtree_q(branch, "assignee"), task_id__in=open_tasks)
        .select_related("task", "task__issued_by", "assignee")
        .order_by("task__due_date", "task_id", "assignee__tree_id", "assignee__lft")
    )
    tasks = {}
    for assignment in assignments:
        entry = tasks.setdefault(assignment.task_id, {"task": assignment.task, "assignments": []})
        entry["assignments"].append(assignment)
    for entry in tasks.values():
        entry["overdue"] = any(a.is_overdue for a in entry["assignments"])
    return {
        "meeting": meeting,
        "general_branch": branch,
        "month": month,
        "due_date": report_due_date(month),
        "agenda": agenda,
        "villages": sections,
        "tasks": list(tasks.values()),
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- waiting for review, and to-do items ----------------------------------------------------------------------------------------------------


def reports_awaiting_first_review(user):
    """Submitted reports of the villages the user liaises with as deputy secretary: their first review."""
    liaison = Position.liaison_villages.through.objects.filter(
        position__in=Position.objects.active().filter(user=user, role=Role.DEPUTY_SECRETARY)
    )
    return report_list(user).filter(status=ReportStatus.SUBMITTED, village__in=liaison.values("organization_id"))


def reports_awaiting_approval(user):
    """Reports of the villages under the user's general branches that wait for the secretary: passed the first
    review, or submitted for a village without a liaison deputy."""
    nodes = [p.organization for p in active_positions(user) if p.role == Role.GENERAL_SECRETARY]
    if not nodes:
        return MonthlyReport.objects.none()
    under = Q(pk__in=[])
    for node in nodes:
        under |= subtree_q(node, "village")
    deputies = Position.objects.active().filter(role=Role.DEPUTY_SECRETARY, liaison_villages=OuterRef("village_id"))
    return (
        report_list(user)
        .filter(under)
        .filter(Q(status=ReportStatus.CHECKED) | Q(status=ReportStatus.SUBMITTED) & ~Exists(deputies))
    )


def reports_awaiting(user):
    """Every report waiting for the user's review (first review or approval)."""
    return report_list(user).filter(
        Q(pk__in=reports_awaiting_first_review(user).values("pk"))
        | Q(pk__in=reports_awaiting_approval(user).values("pk"))
    )


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
            reports_awaiting_first_review(user),
            _("First review: %(village)s, %(month)s"),
            _("awaiting first review"),
            "info",
        )
    if Role.GENERAL_SECRETARY in roles:
        items += _review_todos(
            reports_awaiting_approval(user), _("Approve: %(village)s, %(month)s"), _("awaiting approval"), "primary"
        )
    return items


def _writer_todos(user, today) -> list[dict]:
    villages = writable_villages(user)
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
