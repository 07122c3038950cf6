"""What needs the town's or a general branch's attention (issue 8): per general branch in scope, the villages whose
report is missing, late or returned, those whose 三会一课 fell short, the overdue tasks and the reviews waiting too
long. Counts come from SQL in a fixed number of queries, whatever the number of villages."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Value
from django.utils import timezone

from ..choices import MeetingStatus, OrgKind, ReportStatus, Role, TaskAssignmentStatus
from ..models import Meeting, MonthlyReport, ReportTransition, TaskAssignment
from ..months import add_months
from ..permissions import active_positions
from .breakdown import breakdown
from .completeness import MEETING_FLAGS, report_completeness
from .meetings import meetings_overview
from .organization import organization_list

__all__ = [
    "Attention",
    "attention",
    "attention_months",
    "judged_figures",
    "stale_meeting_review_q",
    "stale_report_review_q",
]

ATTENTION_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY})
MONTHLY_FLAGS = ("committee", "party_group", "themed_day")
QUARTERLY_FLAGS = ("assembly_quarter", "lecture_quarter")


def stale_report_review_q(now: datetime.datetime | None = None) -> Q:
    """Reports waiting for a review for more than REPORT_REVIEW_WAIT_DAYS: submitted (since the last submission)
    or passed the first review (since that step: its latest transition to "checked", not `updated_at`, which
    any later save moves)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.REPORT_REVIEW_WAIT_DAYS)
    checked = ReportTransition.objects.filter(report=OuterRef("pk"), to_status=ReportStatus.CHECKED)
    return Q(status=ReportStatus.SUBMITTED, submitted_at__lt=cutoff) | (
        Q(status=ReportStatus.CHECKED)
        & Q(Exists(checked.filter(at__lt=cutoff)))
        & ~Q(Exists(checked.filter(at__gte=cutoff)))
    )


def stale_meeting_review_q(today: datetime.date | None = None) -> Q:
    """Meetings held more than MEETING_REVIEW_WAIT_DAYS ago and not reviewed (those with a level above to review
    them: the town's own meetings have none in the portal)."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=settings.MEETING_REVIEW_WAIT_DAYS)
    return Q(status=MeetingStatus.HELD, held_on__lt=cutoff, organization__kind__in=(OrgKind.VILLAGE, OrgKind.GENERAL))


def attention_months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The month whose report and monthly meetings are judged, and the last month of the quarter whose quarterly
    meetings are judged. A month's report is submitted once the month is over, so the current month is never due:
    the month judged is the last one, and the quarter the last one that is over."""
    month = add_months(today.replace(day=1), -1)
    quarter_end = add_months(today.replace(day=1), -((today.month - 1) % 3) - 1)
    return month, quarter_end


@dataclass
class Attention:
    """One general branch's (or the whole scope's) villages behind and waiting work."""

    branch: object = None
    label: str = ""
    reports_behind: list = field(default_factory=list)  # CompletenessRow
    meetings_short: list = field(default_factory=list)  # (village, [labels of the meetings missing])
    overdue_tasks: int = 0
    reports_waiting: int = 0
    meetings_waiting: int = 0

    @property
    def total(self) -> int:
        return (
            len(self.reports_behind)
            + len(self.meetings_short)
            + self.overdue_tasks
            + self.reports_waiting
            + self.meetings_waiting
        )


def _sees_attention(user) -> bool:
    return user.is_superuser or any(p.role in ATTENTION_ROLES for p in active_positions(user))


def _grouped_counts(branches, *parts: tuple) -> list[dict]:
    """One query: for each part (a queryset, the path to its node, the field counted), per group the distinct values
    counted of the rows within its subtree, and under None of all of them. The statement reads each part's rows with
    their node's place in the tree (the parts joined by UNION ALL), and they are counted here: as one aggregate per
    group and part, it took longer to build and compile than to run (25 ms for a town's six general branches)."""
    selects = [
        queryset.order_by().annotate(part=Value(n)).values_list("part", f"{path}__tree_id", f"{path}__lft", count)
        for n, (queryset, path, count) in enumerate(parts)
    ]
    found = [{None: set(), **{b.pk: set() for b in branches}} for _ in parts]
    for part, tree_id, lft, value in selects[0].union(*selects[1:], all=True):
        found[part][None].add(value)
        for b in branches:
            if b.tree_id == tree_id and b.lft <= lft <= b.rght:
                found[part][b.pk].add(value)
    return [{key: len(values) for key, values in counted.items()} for counted in found]


def judged_figures(user, today: datetime.date) -> tuple:
    """The completeness of the month judged and, per village pk, the 三会一课 of the quarter judged: read once per
    request (the user object lives for one), for both the attention panel and the dashboard's sections."""
    key = ("_judged_figures", today)
    if key not in user.__dict__:
        month, quarter_end = attention_months(today)
        quarterly = {e["village"].pk: e for e in meetings_overview(user, quarter_end)}
        user.__dict__[key] = report_completeness(user, month, today=today), quarterly
    return user.__dict__[key]


def _attention_groups(user) -> tuple[list, dict | None]:
    """The units the panel counts by: the general branches in scope, or for a scope split wider than by general
    branch (a district, the city) the dashboard's groups, with each village's group (else None: by the village's
    general branch)."""
    groups = breakdown(user)
    if groups is not None and groups.wide:
        return groups.groups, groups.group_of
    return list(organization_list(user).filter(kind=OrgKind.GENERAL).order_by("tree_id", "lft")), None


def attention(user, today: datetime.date | None = None) -> tuple[list[Attention], datetime.date, datetime.date]:
    """Per general branch in the user's scope (per town or district for a wider scope), what is behind; with a
    total first when there are several. Returns (groups, report month, last month of the quarter judged); no
    groups for a user who reviews nothing. Five queries (with the dashboard's breakdown)."""
    today = today or timezone.localdate()
    month, quarter_end = attention_months(today)
    if not _sees_attention(user):
        return [], month, quarter_end
    branches, group_of = _attention_groups(user)
    if not branches:
        return [], month, quarter_end
    groups = {b.pk: Attention(branch=b, label=b.name) for b in branches}
    total = Attention(label="")
    completeness, quarterly = judged_figures(user, today)
    labels = dict(MEETING_FLAGS)
    for row in completeness.rows:
        gb = row.general_branch
        key = group_of.get(row.village.pk) if group_of is not None else gb.pk if gb is not None else None
        targets = [total] + ([groups[key]] if key in groups else [])
        if row.missing or row.late or row.status == ReportStatus.RETURNED:
            for group in targets:
                group.reports_behind.append(row)
        short = [labels[k] for k in MONTHLY_FLAGS if not row.meetings[k]]
        entry = quarterly.get(row.village.pk)
        if entry is not None:
            short += [labels[k] for k in QUARTERLY_FLAGS if not entry[k]]
        if short:
            for group in targets:
                group.meetings_short.append((row.village, short))
    tasks, reports, meetings = _grouped_counts(
        branches,
        (
            TaskAssignment.objects.restrict(user)
            .filter(task__due_date__lt=today)
            .exclude(status=TaskAssignmentStatus.DONE),
            "assignee",
            "task_id",
        ),
        (MonthlyReport.objects.restrict(user).filter(stale_report_review_q()), "village", "id"),
        # few: the held meetings of the scope's nodes, from their partial indexes (not the UNION of the 15,000 in scope)
        (Meeting.objects.restrict(user, few=True).filter(stale_meeting_review_q(today)), "organization", "id"),
    )
    for key, group in [(None, total), *groups.items()]:
        group.overdue_tasks, group.reports_waiting, group.meetings_waiting = tasks[key], reports[key], meetings[key]
    result = list(groups.values())
    return ([total, *result] if len(result) > 1 else result), month, quarter_end
