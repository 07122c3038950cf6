"""Fixtures of the committee and party-group tests: 东庄 (v11) with eight members (one probationary), a committee of
three and two party groups; a committee and a group of 南营 (v21) in g2, out of scope for g1's people.

The tree and personas come from tests/conftest.py (v11's secretary is `village_secretary`).
"""

import datetime

import pytest
from django.utils import translation

from branches import actions
from branches.actions import SeatLine
from branches.choices import CommitteePost, MemberStatus
from branches.models import PartyGroup

from ..factories import make_members

ELECTED = datetime.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def v11_roster(tree):
    """v11's members: its three and five more, the last of them probationary."""
    more = make_members(tree.v11, 5, prefix="东庄新")
    newest = more[-1]
    newest.status, newest.full_member_on = MemberStatus.PROBATIONARY, None
    newest.save()
    return [*tree.members["v11"], *more]


def elect(
    actor, village, members, posts=(CommitteePost.SECRETARY, CommitteePost.ORGANIZATION, CommitteePost.PROPAGANDA)
):
    seats = [SeatLine(member=m, post=p) for m, p in zip(members, posts, strict=False)]
    return actions.committee_elect(actor=actor, village=village, term_start=ELECTED, seats=seats)


def make_group(actor, village, name, leader, members):
    group = PartyGroup(village=village, name=name, leader=leader, formed_on=ELECTED)
    return actions.party_group_save(actor=actor, group=group, members=members)


@pytest.fixture
def v11_committee(tree, village_secretary, v11_roster):
    return elect(village_secretary, tree.v11, v11_roster[:3])


@pytest.fixture
def v11_groups(tree, village_secretary, v11_roster):
    first = make_group(village_secretary, tree.v11, "第一党小组", v11_roster[0], v11_roster[:4])
    second = make_group(village_secretary, tree.v11, "第二党小组", v11_roster[4], v11_roster[4:])
    return first, second
