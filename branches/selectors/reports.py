"""Reads of monthly reports: the list and one report, what a secretary may write, the report's figures as sections,
and the reports waiting for a user's review. The completeness view is in `completeness.py`, the meeting pack in
`pack.py`; the to-do items built from these reads are in `branches/todo.py`."""

import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from anding.scoping import get_or_404

from ..choices import MEETING_KINDS_BY_ORG, MeetingKind, MemberStatus, OrgKind, PowerCode, ReportStatus, Role
from ..models import MonthlyReport, Position, ReportTransition, Stage, report_due_date
from ..months import add_months
from ..permissions import active_positions
from .organization import subtree_q

RECRUIT_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL)

__all__ = [
    "add_months",
    "figure_sections",
    "late_q",
    "on_time_q",
    "overdue_cutoff",
    "report_detail_rows",
    "report_get",
    "report_list",
    "report_of",
    "report_rows",
    "report_write_prompts",
    "reports_awaiting",
    "reports_awaiting_approval",
    "reports_awaiting_first_review",
    "submitted_on_time",
    "writable_villages",
]

# The statuses of a report that has been submitted at least once.
SUBMITTED_ONCE = (ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RETURNED, ReportStatus.APPROVED)


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


def submitted_on_time(reports):
    """Of `reports`, those first submitted by their due date."""
    return reports.annotate(**_submission_index()).filter(on_time_q(), first_submitted_at__isnull=False)


def _lateness(month, first_submitted_at, today) -> tuple[bool, bool]:
    """(on time, late) of a report's month and first submission, the same rule as MonthlyReport.is_late."""
    due = report_due_date(month)
    if first_submitted_at is not None:
        late = timezone.localdate(first_submitted_at) > due
        return not late, late
    return False, today > due


# --- the list and one report --------------------------------------------------------------------------------------


def report_rows(queryset, *, related=("village", "village__parent", "general_branch", "submitted_by")):
    """Reports with their village, general branch (then and now) and submitter (`related`: the records joined);
    annotated so that late_q()/on_time_q() can filter them in the same query."""
    return queryset.select_related(*related).annotate(**_submission_index())


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


def report_of(user, village_id, month) -> MonthlyReport | None:
    """The report in scope of a village (by id) and month, if there is one."""
    return report_list(user).filter(village_id=village_id, month=month).first()


def report_get(user, pk, action="view") -> MonthlyReport:
    """One report in scope (404 outside it), as `report_detail_rows`."""
    return get_or_404(report_detail_rows(MonthlyReport.objects.restrict(user, action)), pk=pk)


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
    """A figure's key as its label, translated when the catalogue knows it (a later app's figure such as
    `service_records` is named by a msgid of that app)."""
    return _(str(key).replace("_", " "))


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
    recruits = figures.get("recruits")
    if isinstance(recruits, dict):
        rows = [(stage.label, recruits.get(stage.value, 0)) for stage in Stage if stage.value in RECRUIT_STAGES]
        sections.append({"key": "recruits", "title": _("Recruits by stage"), "rows": rows})
    powers = figures.get("powers") or {}
    if isinstance(powers, dict) and powers:
        rows = []
        for code, counts in powers.items():
            label = PowerCode(code).label if code in PowerCode.values else _label(code)
            counts = counts if isinstance(counts, dict) else {}
            rows.append((_("%(power)s: opened") % {"power": label}, counts.get("opened", 0)))
            rows.append((_("%(power)s: closed") % {"power": label}, counts.get("closed", 0)))
        sections.append({"key": "powers", "title": _("Cases of the seven powers"), "rows": rows})
    others = []
    for key, value in figures.items():
        if key in ("meetings", "attendance", "members", "powers", "recruits"):
            continue
        if isinstance(value, dict):
            sections.append({"key": key, "title": _label(key), "rows": [(_label(k), v) for k, v in value.items()]})
        else:
            others.append((_label(key), value))
    if others:
        sections.append({"key": "other", "title": _("Other figures"), "rows": others})
    return sections


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
