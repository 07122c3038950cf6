"""Reads of meetings: the scoped list, one meeting with its minutes, and the 三会一课 overview of the villages."""

import datetime

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from anding.scoping import get_or_404

from ..choices import MeetingKind, MeetingStatus, OrgKind, Role
from ..models import (
    AgendaItem,
    Meeting,
    MeetingAttachment,
    MeetingAttendance,
    Organization,
    Position,
    Task,
)
from ..months import month_range, parse_month, quarter_range
from .committees import Attendees, village_attendees
from .organization import organization_list, subtree_q

__all__ = [
    "can_plan_meetings",
    "meeting_attachment_get",
    "meeting_attendees",
    "meeting_detail_rows",
    "meeting_detailed_rows",
    "meeting_get",
    "meeting_list",
    "meeting_list_detailed",
    "meeting_people",
    "meeting_rows",
    "meeting_status_overview",
    "meeting_task_choices",
    "meetings_overview",
    "meetings_overview_summary",
    "month_range",
    "parse_month",
    "quarter_range",
    "village_meeting_flags",
]

DONE_STATUSES = (MeetingStatus.HELD, MeetingStatus.REVIEWED)
ROLE_ORDER = [
    Role.TOWN_CADRE,
    Role.GENERAL_SECRETARY,
    Role.DEPUTY_SECRETARY,
    Role.COMMITTEE_MEMBER,
    Role.VILLAGE_SECRETARY,
    Role.DEPARTMENT_STAFF,
]


def _attendance_count(*, present: bool):
    """Per meeting, a correlated subquery rather than a join and GROUP BY over all attendance lines: the database
    computes it only for the rows of the page shown."""
    lines = (
        MeetingAttendance.objects.filter(meeting=OuterRef("pk"), present=present)
        .order_by()
        .values("meeting")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(lines, output_field=IntegerField()), 0)


def meeting_rows(queryset, *, related=("organization", "organization__parent", "general_branch")):
    """Meetings with their organization, their date (held, else planned), whether they are overdue (planned for a
    day that has passed and not recorded) and counts of present and absent attendees. One query. `related`: the
    records joined (the list page reads fewer than the API)."""
    return queryset.select_related(*related).annotate(
        meeting_date=Coalesce("held_on", "planned_for"),
        overdue=ExpressionWrapper(
            Q(status=MeetingStatus.PLANNED, planned_for__lt=timezone.localdate()), output_field=BooleanField()
        ),
        present_count=_attendance_count(present=True),
        absent_count=_attendance_count(present=False),
    )


def meeting_list(user, action="view"):
    """Meetings in scope, as `meeting_rows`."""
    return meeting_rows(Meeting.objects.restrict(user, action))


def meeting_list_detailed(user, *, with_attendance: bool = False):
    """Meetings in scope, as `meeting_detailed_rows`."""
    return meeting_detailed_rows(Meeting.objects.restrict(user), with_attendance=with_attendance)


def meeting_detailed_rows(queryset, *, with_attendance: bool = False):
    """`meeting_rows` with each meeting's agenda items (and, if asked, attendance lines and attachments) read in one
    query each."""
    lookups = [
        Prefetch("agenda", queryset=AgendaItem.objects.select_related("task", "village").order_by("order", "id"))
    ]
    if with_attendance:
        lookups += [
            Prefetch(
                "attendance",
                queryset=MeetingAttendance.objects.select_related("member", "user").order_by("-present", "id"),
            ),
            "attachments",
        ]
    return meeting_rows(queryset).prefetch_related(*lookups)


def meeting_get(user, pk, action="view") -> Meeting:
    """One meeting in scope (404 outside it), as `meeting_detail_rows`."""
    return get_or_404(meeting_detail_rows(Meeting.objects.restrict(user, action)), pk=pk)


def meeting_detail_rows(queryset):
    """Meetings as `meeting_rows`, with their attendance, agenda and attachments read in three more queries."""
    return (
        meeting_rows(queryset)
        .select_related("reviewed_by", "created_by", "party_group")
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=MeetingAttendance.objects.select_related("member", "user").order_by("-present", "id"),
            ),
            Prefetch("agenda", queryset=AgendaItem.objects.select_related("task", "village").order_by("order", "id")),
            Prefetch("attachments", queryset=MeetingAttachment.objects.select_related("uploaded_by")),
        )
    )


def meeting_attachment_get(user, meeting_pk, pk) -> MeetingAttachment:
    """An attachment of a meeting in scope (404 outside it)."""
    meeting = get_or_404(Meeting.objects.restrict(user), pk=meeting_pk)
    return get_object_or_404(MeetingAttachment.objects.select_related("meeting__organization"), meeting=meeting, pk=pk)


def meeting_attendees(meeting: Meeting, on: datetime.date | None = None) -> Attendees:
    """Who should be on the attendance list of a meeting: for a village meeting, as its kind says
    (committees.village_attendees: the committee, the party group, or every current member); for a general
    branch's work meeting or the town's leadership meeting the officers holding an active position on that node
    (secretary, deputies, committee members; town cadres), department staff aside. One or two queries.

    Each entry: {"key": "m<id>" | "u<id>", "member": PartyMember | None, "user": User | None, "name", "role"}; the
    list says what it follows (`basis`) and, when it fell back to every member, why (`note`).
    """
    org = meeting.organization
    if org.kind == OrgKind.VILLAGE:
        return village_attendees(meeting, on or meeting.held_on or meeting.planned_for or timezone.localdate())
    on = on or meeting.held_on or timezone.localdate()
    positions = (
        Position.objects.active(on)
        .filter(organization=org)
        .exclude(role=Role.DEPARTMENT_STAFF)
        .select_related("user", "organization")
    )
    positions = sorted(positions, key=lambda p: (ROLE_ORDER.index(p.role), p.user_id))
    seen, rows = set(), Attendees(basis="officers")
    for p in positions:
        if p.user_id in seen:
            continue
        seen.add(p.user_id)
        name = p.user.get_full_name() or p.user.get_username()
        role = p.title or p.get_role_display()
        rows.append({"key": f"u{p.user_id}", "member": None, "user": p.user, "name": name, "role": role})
    return rows


def meeting_people(meeting: Meeting) -> Attendees:
    """The attendance list a meeting is recorded against: the people of meeting_attendees, and anyone already on
    its stored attendance (a member who has since left the roster stays on the record). Two queries."""
    people = meeting_attendees(meeting)
    known = {p["key"] for p in people}
    for line in meeting.attendance.all():
        key = f"m{line.member_id}" if line.member_id else f"u{line.user_id}"
        if key in known:
            continue
        known.add(key)
        person = line.member or line.user
        name = line.member.name if line.member else (line.user.get_full_name() or line.user.get_username())
        people.append(
            {"key": key, "member": line.member, "user": line.user, "name": name, "role": str(person._meta.verbose_name)}
        )
    return people


def meeting_task_choices(user, meeting: Meeting):
    """Tasks the agenda of a general branch's work meeting may name: in the user's scope and deployed to the
    branch or its villages, or deployed by it."""
    org = meeting.organization
    return (
        Task.objects.restrict(user)
        .filter(Q(issued_by=org) | Q(pk__in=Task.objects.filter(subtree_q(org, "assignments__assignee")).values("pk")))
        .order_by("-issued_on", "-id")
    )


def _villages_with_meeting_counts(user, month, within: Organization | None):
    """The villages in scope (optionally within a subtree), each with how many of each 三会一课 it held: the monthly
    ones in `month`, the quarterly ones in its quarter. Only the quarter's meetings held are joined (by the
    `held_on` index), not every meeting of every village."""
    m_first, m_last = month_range(month)
    q_first, q_last = quarter_range(month)
    in_month = Q(held_meetings__held_on__gte=m_first, held_meetings__held_on__lte=m_last)
    quarter = Q(meetings__status__in=DONE_STATUSES, meetings__held_on__gte=q_first, meetings__held_on__lte=q_last)
    villages = organization_list(user).filter(kind=OrgKind.VILLAGE)
    if within is not None:
        villages = villages.filter(subtree_q(within))
    return villages.annotate(held_meetings=FilteredRelation("meetings", condition=quarter)).annotate(
        **{
            f"n_{flag}": Count("held_meetings", filter=period & Q(held_meetings__kind=kind))
            for flag, kind, period in _flags(in_month, Q())
        }
    )


def _flags(in_month: Q, in_quarter: Q):
    return [
        ("committee", MeetingKind.BRANCH_COMMITTEE, in_month),
        ("themed_day", MeetingKind.THEMED_DAY, in_month),
        ("party_group", MeetingKind.PARTY_GROUP, in_month),
        ("assembly_quarter", MeetingKind.BRANCH_ASSEMBLY, in_quarter),
        ("lecture_quarter", MeetingKind.PARTY_LECTURE, in_quarter),
    ]


OVERVIEW_FLAGS = [flag for flag, _kind, _period in _flags(Q(), Q())]


def meetings_overview(user, month=None, within: Organization | None = None) -> list[dict]:
    """For every village branch in scope (optionally within a subtree): whether it held its monthly 支委会, 党小组会
    and 主题党日 in `month`, and its 支部党员大会 and 党课 in that month's quarter. One query.

    `month` is a date (any day of the month) or "YYYY-MM"; default this month. Each entry is a dict
    {village, general_branch, committee, themed_day, party_group, assembly_quarter, lecture_quarter} with
    booleans; `general_branch` is the village's current general branch (None for a village directly under a town).
    """
    month = parse_month(month or timezone.localdate()) or timezone.localdate().replace(day=1)
    villages = _villages_with_meeting_counts(user, month, within).select_related("parent").order_by("tree_id", "lft")
    return [
        {
            "village": v,
            "general_branch": v.parent if v.parent is not None and v.parent.kind == OrgKind.GENERAL else None,
            **{flag: getattr(v, f"n_{flag}") > 0 for flag in OVERVIEW_FLAGS},
        }
        for v in villages
    ]


def village_meeting_flags(user, month=None, within: Organization | None = None) -> list[dict]:
    """`meetings_overview` without building the villages, for a wide scope's counts: per village
    {village_id, tree_id, lft, committee, themed_day, party_group, assembly_quarter, lecture_quarter}. One query."""
    month = parse_month(month or timezone.localdate()) or timezone.localdate().replace(day=1)
    rows = _villages_with_meeting_counts(user, month, within).order_by()
    return [
        {
            "village_id": pk,
            "tree_id": tree_id,
            "lft": lft,
            **{f: n > 0 for f, n in zip(OVERVIEW_FLAGS, held, strict=True)},
        }
        for pk, tree_id, lft, *held in rows.values_list("pk", "tree_id", "lft", *(f"n_{f}" for f in OVERVIEW_FLAGS))
    ]


def meetings_overview_summary(user, drill, month=None, within: Organization | None = None) -> list[dict]:
    """The overview of a wide scope: per group of a `drill_down` (a district or a town), how many of its villages
    held each of the 三会一课 (as `meetings_overview`), out of `villages`. One query; no village is built as a row.

    Each entry: {group, villages, committee, themed_day, party_group, assembly_quarter, lecture_quarter}."""
    counts = {g.pk: dict.fromkeys(["villages", *OVERVIEW_FLAGS], 0) for g in drill.groups}
    for village in village_meeting_flags(user, month, within):
        entry = counts[drill.of(village["tree_id"], village["lft"]).pk]
        entry["villages"] += 1
        for flag in OVERVIEW_FLAGS:
            entry[flag] += village[flag]
    return [{"group": g, **counts[g.pk]} for g in drill.groups]


def meeting_status_overview(user, general_branch: Organization | None = None, month=None) -> list[dict]:
    """The overview for one general branch (or everything in scope): see meetings_overview."""
    return meetings_overview(user, month, within=general_branch)


def can_plan_meetings(user) -> bool:
    """Whether the user may plan meetings of at least one organization (a town, general branch or village)."""
    return organization_list(user, "change").exclude(kind__in=[OrgKind.CITY, OrgKind.DISTRICT]).exists()
