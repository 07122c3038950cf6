"""Writes of village branch committees (terms and seats) and party groups: by the village's secretary and the levels
above (CHANGE_ROLES), in transactions, audited.

An election starts a new term (five years by default); the running term ends the day before, so the history of
terms is kept and one term runs at a time. Seats go to full members of the village, at most seven, one secretary.
A party group's leader and members are current members of the village; the leader is always one of its members.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit

from ..choices import CommitteePost, MemberStatus, OrgKind
from ..models import BranchCommittee, CommitteeSeat, Organization, PartyGroup, PartyGroupMembership, PartyMember
from ..models.committees import COMMITTEE_MAX_SEATS, term_end_for
from ..permissions import has_role_over
from ..roles import CHANGE_ROLES
from .common import require

__all__ = [
    "SeatLine",
    "can_change_committees",
    "committee_elect",
    "committee_set_seats",
    "party_group_save",
]

CURRENT = (MemberStatus.PROBATIONARY, MemberStatus.FULL)


@dataclass
class SeatLine:
    member: PartyMember
    post: str = CommitteePost.MEMBER


def can_change_committees(user, village: Organization) -> bool:
    """The village's secretary and the secretaries and town cadres above it; in the admin, the system
    administrators too (as for the roster, `member_save`)."""
    if village.kind != OrgKind.VILLAGE or user is None or not user.is_authenticated:
        return False
    return user.is_superuser or has_role_over(user, village, CHANGE_ROLES)


def _seat_errors(village: Organization, seats: list[SeatLine]) -> list[str]:
    errors = []
    if not seats:
        errors.append(_("A committee needs at least one seat: its secretary."))
    if len(seats) > COMMITTEE_MAX_SEATS:
        errors.append(_("A branch committee has at most %(max)d members.") % {"max": COMMITTEE_MAX_SEATS})
    posts = [line.post for line in seats]
    if seats and posts.count(CommitteePost.SECRETARY) != 1:
        errors.append(_("A committee has exactly one secretary."))
    if posts.count(CommitteePost.DEPUTY_SECRETARY) > 1:
        errors.append(_("A committee has at most one deputy secretary."))
    seen = set()
    full = set(
        PartyMember.objects.filter(
            pk__in=[line.member.pk for line in seats], branch=village, status=MemberStatus.FULL
        ).values_list("pk", flat=True)
    )
    for line in seats:
        if line.post not in CommitteePost.values:
            errors.append(_("Choose a post for %(name)s.") % {"name": line.member.name})
        if line.member.pk in seen:
            errors.append(_("%(name)s is listed twice.") % {"name": line.member.name})
        seen.add(line.member.pk)
        if line.member.pk not in full:
            errors.append(
                _("%(name)s is not a full member of %(org)s.") % {"name": line.member.name, "org": village.name}
            )
    return errors


def _write_seats(committee: BranchCommittee, seats: list[SeatLine]) -> None:
    committee.seats.all().delete()
    CommitteeSeat.objects.bulk_create(
        CommitteeSeat(committee=committee, member=line.member, post=line.post) for line in seats
    )


def committee_elect(
    *,
    actor,
    village: Organization,
    term_start: datetime.date,
    seats: list[SeatLine],
    term_end: datetime.date | None = None,
    note: str = "",
) -> BranchCommittee:
    """Record a newly elected committee of `village`: a term from `term_start` (five years unless `term_end`) and
    its seats. The term running then ends the day before; a term cannot start before the latest one."""
    require(can_change_committees(actor, village))
    errors = {}
    if term_start is None:
        errors["term_start"] = _("Give the date of the election.")
    seat_errors = _seat_errors(village, seats)
    if seat_errors:
        errors["seats"] = seat_errors
    if errors:
        raise ValidationError(errors)
    committee = BranchCommittee(
        village=village, term_start=term_start, term_end=term_end or term_end_for(term_start), note=note.strip()
    )
    with transaction.atomic():
        # Lock the village's terms, so that two elections recorded at once cannot both end the same term.
        terms = list(BranchCommittee.objects.select_for_update().filter(village=village).order_by("-term_start"))
        if terms and terms[0].term_start >= term_start:
            raise ValidationError(
                {
                    "term_start": _("A term of %(org)s already starts on %(day)s: a new term starts after it.")
                    % {"org": village.name, "day": terms[0].term_start.isoformat()}
                }
            )
        committee.full_clean()
        for running in terms:
            if running.term_end >= term_start:
                running.term_end = term_start - datetime.timedelta(days=1)
                running.stamp(actor)
                running.save(update_fields=["term_end", "updated_at", "updated_by"])
                audit.record("committee_end", actor=actor, obj=running, detail={"term_end": str(running.term_end)})
        committee.stamp(actor)
        committee.save()
        _write_seats(committee, seats)
        audit.record(
            "committee_elect",
            actor=actor,
            obj=committee,
            detail={"term_start": str(term_start), "seats": [[line.member.pk, line.post] for line in seats]},
        )
    return committee


def committee_set_seats(*, actor, committee: BranchCommittee, seats: list[SeatLine], note: str | None = None):
    """Correct the seats (and note) of a committee term: a by-election, a change of posts."""
    village = committee.village
    require(can_change_committees(actor, village))
    seat_errors = _seat_errors(village, seats)
    if seat_errors:
        raise ValidationError({"seats": seat_errors})
    with transaction.atomic():
        if note is not None:
            committee.note = note.strip()
        committee.stamp(actor)
        committee.save()
        _write_seats(committee, seats)
        audit.record(
            "committee_seats",
            actor=actor,
            obj=committee,
            detail={"seats": [[line.member.pk, line.post] for line in seats]},
        )
    return committee


def _is_active(group: PartyGroup, day: datetime.date) -> bool:
    return group.dissolved_on is None or group.dissolved_on >= day


def _refuse_members_of_other_groups(group: PartyGroup, wanted: dict[int, PartyMember]) -> None:
    """A member is in one active party group of the village at most. The village's groups are locked first, so two
    groups saved at once cannot both take the same member."""
    today = timezone.localdate()
    if not _is_active(group, today):
        return
    others = [
        g
        for g in PartyGroup.objects.select_for_update().filter(village=group.village).exclude(pk=group.pk)
        if _is_active(g, today)
    ]
    taken = {
        line.member_id: line.group
        for line in PartyGroupMembership.objects.filter(group__in=others, member_id__in=list(wanted))
        .select_related("group")
        .order_by("group__name", "group_id")
    }
    errors = [
        _("%(name)s is already in the party group %(group)s: a member belongs to one group.")
        % {"name": wanted[pk].name, "group": other.name}
        for pk, other in taken.items()
    ]
    if errors:
        raise ValidationError({"members": errors})


def party_group_save(*, actor, group: PartyGroup, members: list[PartyMember]) -> PartyGroup:
    """Create or change a party group of a village: its name, leader, dates and members (the leader among them)."""
    village = group.village
    require(can_change_committees(actor, village))
    errors = {}
    wanted = {m.pk: m for m in members}
    if group.leader_id is not None:
        wanted.setdefault(group.leader_id, group.leader)
    valid = set(
        PartyMember.objects.filter(pk__in=list(wanted), branch=village, status__in=CURRENT).values_list("pk", flat=True)
    )
    strangers = [m.name for pk, m in wanted.items() if pk not in valid]
    if group.leader_id is not None and group.leader_id not in valid:
        errors["leader"] = _("%(name)s is not a current member of %(org)s.") % {
            "name": group.leader.name,
            "org": village.name,
        }
    if strangers:
        errors["members"] = [
            _("%(name)s is not a current member of %(org)s.") % {"name": name, "org": village.name}
            for name in strangers
        ]
    try:
        group.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _refuse_members_of_other_groups(group, wanted)
        created = group.pk is None
        group.stamp(actor)
        group.save()
        group.memberships.all().delete()
        PartyGroupMembership.objects.bulk_create(PartyGroupMembership(group=group, member_id=pk) for pk in wanted)
        audit.record(
            "party_group_create" if created else "party_group_change",
            actor=actor,
            obj=group,
            detail={"leader": group.leader_id, "members": sorted(wanted)},
        )
    return group
