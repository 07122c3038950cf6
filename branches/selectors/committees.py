"""Reads of village branch committees and party groups, and the one rule of who is on a village meeting's
attendance list (`village_attendees`): a 支委会 lists the committee of its day, a 党小组会 its group, the other
village meetings every current member (probationary members marked)."""

import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ..choices import CommitteePost, MeetingKind, MemberStatus
from ..models import (
    BranchCommittee,
    CommitteeSeat,
    Meeting,
    Organization,
    PartyGroup,
    PartyGroupMembership,
    PartyMember,
)

__all__ = [
    "Attendees",
    "committee_list",
    "committee_on",
    "committee_rows",
    "party_group_list",
    "party_group_rows",
    "village_attendees",
    "village_committee_and_groups",
]

CURRENT = (MemberStatus.PROBATIONARY, MemberStatus.FULL)
POST_ORDER = list(CommitteePost)


class Attendees(list):
    """The people of an attendance list (dicts: key, member, user, name, role), with what the list follows
    (`basis`: "committee", "group", "members" or "officers") and a note for the page when it fell back."""

    def __init__(self, rows=(), *, basis: str = "members", note: str = ""):
        super().__init__(rows)
        self.basis = basis
        self.note = note


def _member_row(member: PartyMember, role: str) -> dict:
    return {"key": f"m{member.pk}", "member": member, "user": None, "name": member.name, "role": role}


def _status_role(member: PartyMember) -> str:
    return member.get_status_display()


def committee_rows(queryset):
    """Committee terms with their village and their seats (members, in the order of the posts)."""
    return queryset.select_related("village").prefetch_related(
        Prefetch("seats", queryset=CommitteeSeat.objects.select_related("member").order_by("id"))
    )


def committee_list(user, action="view"):
    return committee_rows(BranchCommittee.objects.restrict(user, action))


def committee_on(village: Organization, day: datetime.date | None = None) -> BranchCommittee | None:
    """The committee term of `village` running on `day` (default today), with its seats; None without one."""
    return committee_rows(BranchCommittee.objects.filter(village=village).on(day)).order_by("-term_start").first()


def party_group_rows(queryset):
    """Party groups with their village, leader and members."""
    return queryset.select_related("village", "leader").prefetch_related(
        Prefetch("memberships", queryset=PartyGroupMembership.objects.select_related("member").order_by("member__name"))
    )


def party_group_list(user, action="view"):
    return party_group_rows(PartyGroup.objects.restrict(user, action))


def village_committee_and_groups(village: Organization) -> dict:
    """For the village's page: its current committee (or None), its past terms and its active party groups."""
    terms = list(committee_rows(BranchCommittee.objects.filter(village=village)).order_by("-term_start"))
    current = next((t for t in terms if t.is_current()), None)
    for term in terms:
        term.sorted_seats = sorted(term.seats.all(), key=lambda s: (POST_ORDER.index(s.post), s.member.name))
    return {
        "committee": current,
        "past_committees": [t for t in terms if t is not current],
        "party_groups": list(party_group_rows(PartyGroup.objects.filter(village=village).active())),
    }


def village_attendees(meeting: Meeting, day: datetime.date) -> Attendees:
    """Who is on the attendance list of a village meeting held (or planned) on `day`. One or two queries.

    支委会: the seats of the committee term running that day (posts as roles); 党小组会: the meeting's group (the
    leader marked); any other kind: every current member, probationary members marked. A 支委会 of a village with no
    committee recorded, or a 党小组会 without a group, lists every member and says why.
    """
    org = meeting.organization
    if meeting.kind == MeetingKind.BRANCH_COMMITTEE:
        seats = list(
            CommitteeSeat.objects.filter(
                committee__village=org,
                committee__term_start__lte=day,
                committee__term_end__gte=day,
                member__status__in=CURRENT,
            ).select_related("member")
        )
        if seats:
            seats.sort(key=lambda s: (POST_ORDER.index(s.post), s.member.name, s.member.pk))
            return Attendees([_member_row(s.member, s.get_post_display()) for s in seats], basis="committee")
        note = _("No branch committee of %(org)s is recorded for this date: every member is listed.") % {
            "org": org.name
        }
    elif meeting.kind == MeetingKind.PARTY_GROUP and meeting.party_group_id:
        lines = list(
            PartyGroupMembership.objects.filter(group_id=meeting.party_group_id, member__status__in=CURRENT)
            .select_related("member", "group")
            .order_by("member__name", "member_id")
        )
        if lines:
            leader = lines[0].group.leader_id
            lines.sort(key=lambda line: (line.member_id != leader, line.member.name, line.member_id))
            rows = [
                _member_row(line.member, _("group leader") if line.member_id == leader else _status_role(line.member))
                for line in lines
            ]
            return Attendees(rows, basis="group")
        note = _("The party group has no members recorded: every member is listed.")
    elif meeting.kind == MeetingKind.PARTY_GROUP:
        note = _("No party group is named for this meeting: every member is listed.")
    else:
        note = ""
    members = PartyMember.objects.current().filter(branch=org).order_by("name", "id")
    return Attendees([_member_row(m, _status_role(m)) for m in members], basis="members", note=note)
