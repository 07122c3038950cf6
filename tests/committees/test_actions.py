"""Electing a committee, correcting its seats and keeping party groups: the rules the actions keep (and the forms
and the admin show), the history of terms, and the audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anding.models import AuditEvent
from branches import actions
from branches.actions import SeatLine
from branches.choices import CommitteePost
from branches.models import BranchCommittee, PartyGroup
from branches.models.committees import term_end_for

from ..factories import make_members
from .conftest import ELECTED, elect, make_group


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


def test_a_term_runs_five_years_and_is_audited(tree, village_secretary, v11_committee):
    assert v11_committee.term_end == datetime.date(2029, 2, 28)
    assert v11_committee.created_by == village_secretary
    assert AuditEvent.objects.filter(action="committee_elect", object_id=str(v11_committee.pk)).exists()
    assert term_end_for(datetime.date(2024, 2, 29)) == datetime.date(2029, 2, 27)


def test_a_new_election_ends_the_running_term_and_keeps_it(tree, gb_secretary, v11_roster, v11_committee):
    new = actions.committee_elect(
        actor=gb_secretary,
        village=tree.v11,
        term_start=datetime.date(2025, 1, 1),
        seats=[SeatLine(v11_roster[4], CommitteePost.SECRETARY)],
    )

    v11_committee.refresh_from_db()
    assert v11_committee.term_end == datetime.date(2024, 12, 31)
    assert list(BranchCommittee.objects.filter(village=tree.v11).on()) == [new]
    assert BranchCommittee.objects.filter(village=tree.v11).count() == 2
    assert AuditEvent.objects.filter(action="committee_end", object_id=str(v11_committee.pk)).exists()


def test_a_term_cannot_start_before_the_latest(tree, village_secretary, v11_roster, v11_committee):
    with pytest.raises(ValidationError) as refused:
        actions.committee_elect(
            actor=village_secretary,
            village=tree.v11,
            term_start=ELECTED - datetime.timedelta(days=1),
            seats=[SeatLine(v11_roster[0], CommitteePost.SECRETARY)],
        )

    assert "already starts" in messages_of(refused)
    assert BranchCommittee.objects.filter(village=tree.v11).count() == 1


@pytest.mark.parametrize(
    ("pick", "posts", "expected"),
    [
        (lambda roster, other: roster[:3], ["member", "member", "member"], "exactly one secretary"),
        (lambda roster, other: roster[:2], ["secretary", "secretary"], "exactly one secretary"),
        (lambda roster, other: [roster[0], roster[0]], ["secretary", "member"], "listed twice"),
        (lambda roster, other: [roster[-1]], ["secretary"], "not a full member"),  # probationary
        (lambda roster, other: [other], ["secretary"], "not a full member"),  # of another village
        (lambda roster, other: [], [], "at least one seat"),
    ],
)
def test_seats_refused(tree, village_secretary, v11_roster, pick, posts, expected):
    people = pick(v11_roster, tree.members["v12"][0])
    seats = [SeatLine(m, p) for m, p in zip(people, posts, strict=True)]

    with pytest.raises(ValidationError) as refused:
        actions.committee_elect(actor=village_secretary, village=tree.v11, term_start=ELECTED, seats=seats)

    assert expected in messages_of(refused)
    assert not BranchCommittee.objects.filter(village=tree.v11).exists()


def test_more_than_seven_seats_are_refused(tree, village_secretary, v11_roster):
    more = make_members(tree.v11, 4, prefix="东庄另")
    people = [m for m in [*v11_roster, *more] if m.status == "full"][:8]
    seats = [SeatLine(m, "secretary" if i == 0 else "member") for i, m in enumerate(people)]
    assert len(seats) == 8

    with pytest.raises(ValidationError) as refused:
        actions.committee_elect(actor=village_secretary, village=tree.v11, term_start=ELECTED, seats=seats)

    assert "at most 7" in messages_of(refused)


@pytest.mark.parametrize("persona", ["deputy", "neighbour_secretary", "dept_staff", "outsider", "gb2_secretary"])
def test_only_the_village_secretary_and_levels_above_change_it(fixtures, tree, v11_roster, persona):
    with pytest.raises(PermissionDenied):
        elect(fixtures[persona], tree.v11, v11_roster[:1])
    with pytest.raises(PermissionDenied):
        make_group(fixtures[persona], tree.v11, "组", v11_roster[0], v11_roster[:2])


def test_correcting_the_seats(tree, town_cadre, v11_roster, v11_committee):
    seats = [SeatLine(v11_roster[0], "secretary"), SeatLine(v11_roster[3], "discipline")]

    actions.committee_set_seats(actor=town_cadre, committee=v11_committee, seats=seats)

    assert sorted((s.member_id, s.post) for s in v11_committee.seats.all()) == sorted(
        [(v11_roster[0].pk, "secretary"), (v11_roster[3].pk, "discipline")]
    )
    assert v11_committee.updated_by == town_cadre


def test_a_groups_leader_is_always_a_member(tree, village_secretary, v11_roster):
    group = make_group(village_secretary, tree.v11, "第三党小组", v11_roster[5], v11_roster[6:])

    assert set(group.members.values_list("pk", flat=True)) == {m.pk for m in v11_roster[5:]}


def test_a_group_takes_probationary_members_but_not_other_villages(tree, village_secretary, v11_roster):
    stranger = tree.members["v12"][0]

    with pytest.raises(ValidationError) as refused:
        make_group(village_secretary, tree.v11, "第三党小组", v11_roster[0], [v11_roster[-1], stranger])

    assert stranger.name in messages_of(refused)
    assert not PartyGroup.objects.filter(name="第三党小组").exists()


def test_two_groups_of_a_village_cannot_share_a_name(tree, village_secretary, v11_roster, v11_groups):
    with pytest.raises(ValidationError):
        make_group(village_secretary, tree.v11, "第一党小组", v11_roster[1], v11_roster[1:2])


def test_a_party_group_meeting_names_a_group_of_its_own_village(tree, village_secretary, gb_secretary, v11_groups):
    other = make_group(gb_secretary, tree.v12, "西庄党小组", tree.members["v12"][0], tree.members["v12"])

    with pytest.raises(ValidationError):
        actions.meeting_plan(
            actor=gb_secretary,
            organization=tree.v11,
            kind="party_group",
            title="党小组会",
            planned_for=timezone.localdate(),
            party_group=other,
        )
