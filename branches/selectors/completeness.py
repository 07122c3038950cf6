"""The completeness of a month: per general branch and village, the report's status and timeliness and the
village's 三会一课, for everything in the user's scope, in a number of queries that does not grow with the rows."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import MeetingKind, ReportStatus
from ..models import MonthlyReport, report_due_date
from ..months import add_months
from .meetings import meetings_overview, village_meeting_flags
from .organization import subtree_q
from .reports import SUBMITTED_ONCE, _lateness

__all__ = [
    "COMPLETENESS_STATUSES",
    "MEETING_FLAGS",
    "Completeness",
    "CompletenessRow",
    "CompletenessSummary",
    "report_completeness",
]

MISSING = "missing"
NOT_DUE = "not_due"
# The statuses a village can have in the completeness view: no report while the month is not over, no report at
# all, or the report's status.
COMPLETENESS_STATUSES = [
    (NOT_DUE, gettext_lazy("not yet due")),
    (MISSING, gettext_lazy("missing")),
    *ReportStatus.choices,
]
# The 三会一课 columns, as meetings_overview names them: monthly ones first, then the quarterly ones.
MEETING_FLAGS = [
    ("committee", MeetingKind.BRANCH_COMMITTEE.label),
    ("party_group", MeetingKind.PARTY_GROUP.label),
    ("themed_day", MeetingKind.THEMED_DAY.label),
    ("assembly_quarter", MeetingKind.BRANCH_ASSEMBLY.label),
    ("lecture_quarter", MeetingKind.PARTY_LECTURE.label),
]


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


def report_completeness(
    user, month: datetime.date, within=None, today: datetime.date | None = None, drill=None
) -> Completeness:
    """Per village in scope (optionally within a subtree) for `month`: the report's status, on time or late, and
    the 三会一课 of the month (支委会, 党小组会, 主题党日) and of its quarter (支部党员大会, 党课); with a summary per
    general branch and a total. Two queries: the villages with their meeting counts, and the reports.

    With `drill` (a wide scope's `drill_down`, with groups), the summaries are per group (a district or a town) and
    no village is built or listed: `rows` is empty, each summary's `general_branch` is the group to open.

    A submitted report is on time when first submitted by its due date; a report not submitted (none, or a draft)
    is late once the due date has passed. "Not submitted" counts villages without a submitted report.
    """
    today = today or timezone.localdate()
    month = month.replace(day=1)
    reports = MonthlyReport.objects.restrict(user).filter(month=month)
    if within is not None:
        reports = reports.filter(subtree_q(within, "village"))
    by_village = {
        r["village_id"]: r for r in reports.values("id", "village_id", "status", "first_submitted_at").order_by()
    }
    due_date = report_due_date(month)
    total = CompletenessSummary(label=_("Total"))
    if drill is not None:
        summaries = {g.pk: CompletenessSummary(general_branch=g, label=g.name) for g in drill.groups}
        for entry in village_meeting_flags(user, month, within):
            row = _row(entry, None, None, by_village.get(entry["village_id"]), month, today)
            summaries[drill.of(entry["tree_id"], entry["lft"]).pk].add(row)
            total.add(row)
        return Completeness(month=month, due_date=due_date, rows=[], branches=list(summaries.values()), total=total)
    rows, branches = [], {}
    for entry in meetings_overview(user, month, within=within):
        village = entry["village"]
        row = _row(entry, village, entry["general_branch"], by_village.get(village.pk), month, today)
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
    return Completeness(month=month, due_date=due_date, rows=rows, branches=list(branches.values()), total=total)


def _row(entry: dict, village, general_branch, report: dict | None, month, today) -> CompletenessRow:
    """One village's completeness from its meeting flags (`entry`) and its report's values (None: no report)."""
    month_open = today < add_months(month, 1)  # the month is not over: nothing is missing yet
    status = report["status"] if report else NOT_DUE if month_open else MISSING
    first_submitted_at = report["first_submitted_at"] if report else None
    on_time, late = _lateness(month, first_submitted_at, today)
    return CompletenessRow(
        village=village,
        general_branch=general_branch,
        status=status,
        report_id=report["id"] if report else None,
        first_submitted_at=first_submitted_at,
        submitted=first_submitted_at is not None or status in SUBMITTED_ONCE,
        on_time=on_time,
        late=late,
        meetings={key: bool(entry[key]) for key, _label in MEETING_FLAGS},
    )
