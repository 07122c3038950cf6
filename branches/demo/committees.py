"""Demo: every village's branch committee (支部委员会) and party groups (党小组).

The source says nothing of them; the demo makes a plausible choice. Each village elected its committee at some
point in the three years before the story's first month (so one term covers the whole year of meetings): 3 to 5
full members, the first as secretary, then the organization, propaganda and discipline members. Its members fall
into 2 party groups (3 for a branch of 40 or more), each led by a full member. Everything goes through the actions
with the village secretary as the actor; a village that already has a committee (or groups) is left as it is.
"""

from ..actions import SeatLine, committee_elect, party_group_save
from ..choices import CommitteePost, MemberStatus
from ..models import BranchCommittee, CommitteeSeat, PartyGroup, PartyGroupMembership
from ..months import add_months
from .common import Counts, Life, day_of, seeded

GROUP_NAMES = ("第一党小组", "第二党小组", "第三党小组")
POSTS = (
    CommitteePost.SECRETARY,
    CommitteePost.ORGANIZATION,
    CommitteePost.PROPAGANDA,
    CommitteePost.DISCIPLINE,
    CommitteePost.MEMBER,
)


def load_committees(life: Life) -> dict:
    """A committee and party groups for every village that has none yet."""
    counts = Counts()
    with_committee = set(BranchCommittee.objects.filter(village__in=life.villages).values_list("village", flat=True))
    with_groups = set(PartyGroup.objects.filter(village__in=life.villages).values_list("village", flat=True))
    for village in life.villages:
        secretary = life.secretary.get(village.pk)
        members = life.members[village.pk]
        full = [m for m in members if m.status == MemberStatus.FULL]
        if secretary is None or len(full) < 3:
            counts.add("villages without secretary or members")
            continue
        rng = seeded("committee", village.code)
        start = day_of(add_months(life.months[0], -rng.randint(6, 36)), rng.randint(1, 28))
        if village.pk not in with_committee:
            chosen = rng.sample(full, rng.choice([3, 5, 5]) if len(full) >= 7 else 3)
            seats = [SeatLine(member=m, post=p) for m, p in zip(chosen, POSTS, strict=False)]
            committee_elect(actor=secretary, village=village, term_start=start, seats=seats)
            counts.add("committees")
            counts.add("seats", len(seats))
        if village.pk not in with_groups:
            n = 3 if len(members) >= 40 else 2
            for k in range(n):
                part = members[k::n]
                leader = next(m for m in part if m.status == MemberStatus.FULL)
                group = PartyGroup(village=village, name=GROUP_NAMES[k], leader=leader, formed_on=start)
                party_group_save(actor=secretary, group=group, members=part)
                counts.add("party groups")
    return counts.made


def village_roles(life: Life, village) -> tuple[list, list[tuple[PartyGroup, list]]]:
    """The members on a village's running committee, and its active party groups with their members (the same
    objects as `life.members`), as the meetings of the demo list them."""
    by_pk = {m.pk: m for m in life.members[village.pk]}
    committee = BranchCommittee.objects.filter(village=village).on(life.today).first()
    seats = CommitteeSeat.objects.filter(committee=committee).order_by("id") if committee else []
    groups = []
    for group in PartyGroup.objects.filter(village=village).active(life.today).order_by("name", "id"):
        lines = PartyGroupMembership.objects.filter(group=group).order_by("member_id")
        groups.append((group, [by_pk[line.member_id] for line in lines if line.member_id in by_pk]))
    return [by_pk[s.member_id] for s in seats if s.member_id in by_pk], groups
