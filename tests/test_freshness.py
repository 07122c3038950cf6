"""The dashboard of a town, a general branch or a village is kept under the versions of its subtrees
(anding.freshness): served from the cache until a write changes what it shows, then read afresh, for every persona
whose subtree the write touches and only for them. Writes are heard from saves, deletes, many-to-many changes and
the scoped querysets' bulk writes, and across a restructuring."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from anding import freshness
from branches import actions
from branches.choices import MeetingKind, MemberStatus, OrgKind, Role
from branches.models import Organization, PartyMember, Position

from .conftest import plan
from .factories import PositionFactory, UserFactory, make_members
from .test_dashboard_wide import build_city

KEPT_QUERIES = 8  # the session, the user, the positions and the cache's own bookkeeping: no figure read


@pytest.fixture
def city(db):
    return city_with_secretaries("F")


def city_with_secretaries(tag: str) -> dict:
    """build_city's tree, with a secretary for the first general branch and for its two villages."""
    tree = build_city(tag)
    general = tree["villages"][0].parent
    tree["general"] = general
    for key, org, role in (
        ("gb_secretary", general, Role.GENERAL_SECRETARY),
        ("village_secretary", tree["villages"][0], Role.VILLAGE_SECRETARY),
        ("neighbour", tree["villages"][1], Role.VILLAGE_SECRETARY),
    ):
        tree[key] = UserFactory(username=f"{key}-{tag}")
        PositionFactory(user=tree[key], organization=org, role=role)
    return tree


PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')  # new in every response


def read(client, path, language="en") -> tuple[int, str, int]:
    """A page's status, its content (without what each response has anew) and how many queries it ran."""
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, PER_RESPONSE.sub(r"\1", response.content.decode()), len(queries)


def visit(client) -> tuple[str, int]:
    """The dashboard's content (in English, without what every response has anew) and how many queries it ran."""
    status, content, queries = read(client, "/")
    assert status == 200
    return content, queries


PERSONAS = ("town_cadre", "gb_secretary", "village_secretary")


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_dashboard_is_read_once_then_kept(fresh, client_as, city, persona):
    client = client_as(city[persona])
    first, read = visit(client)
    second, kept = visit(client)

    assert second == first
    assert read > 20
    assert kept <= KEPT_QUERIES


@pytest.mark.parametrize("persona", PERSONAS)
def test_new_members_of_a_village_are_shown_at_once_up_the_tree(fresh, client_as, city, persona):
    client = client_as(city[persona])
    before, _ = visit(client)

    make_members(city["villages"][0], 5)  # a bulk insert: heard from the scoped queryset
    after, queries = visit(client)

    assert after != before
    assert queries > KEPT_QUERIES


def test_a_write_elsewhere_keeps_the_dashboard(fresh, client_as, city):
    client = client_as(city["neighbour"])
    before, _ = visit(client)

    make_members(city["villages"][0], 5)  # the neighbouring village's members
    after, queries = visit(client)

    assert after == before
    assert queries <= KEPT_QUERIES


def test_a_member_who_moves_changes_both_villages(fresh, client_as, city):
    here, there = client_as(city["village_secretary"]), client_as(city["neighbour"])
    seen = visit(here)[0], visit(there)[0]

    member = PartyMember.objects.filter(branch=city["villages"][0]).first()
    member.branch = city["villages"][1]
    member.save()

    assert visit(here)[0] != seen[0]
    assert visit(there)[0] != seen[1]


def test_a_bulk_update_and_a_delete_are_heard(fresh, client_as, city):
    client = client_as(city["village_secretary"])
    before, _ = visit(client)
    PartyMember.objects.filter(branch=city["villages"][0]).update(status=MemberStatus.PROBATIONARY)
    updated, _ = visit(client)
    assert updated != before

    PartyMember.objects.filter(branch=city["villages"][0]).first().delete()
    assert visit(client)[0] != updated


def test_a_new_officer_is_shown_to_the_villages_below(fresh, client_as, city):
    """The villages' "answers to" panel names the general branch's secretary, outside the village's subtree: a change
    of positions reads every dashboard afresh."""
    client = client_as(city["village_secretary"])
    before, _ = visit(client)
    officer = UserFactory(username="new-deputy-f", full_name="新任副书记")
    deputy = PositionFactory(user=officer, organization=city["general"], role=Role.DEPUTY_SECRETARY)
    assert visit(client)[0] == before  # not yet their liaison

    deputy.liaison_villages.add(city["villages"][0])
    after, _ = visit(client)

    assert "新任副书记" in after


def test_a_village_moved_to_another_general_branch_is_shown_under_it(fresh, client_as, city):
    old, new = Organization.objects.filter(parent=city["towns"][0], kind=OrgKind.GENERAL).order_by("code")[:2]
    moved = city["villages"][1]
    old_secretary = city["gb_secretary"]
    new_secretary = UserFactory(username="gb2-secretary-f")
    PositionFactory(user=new_secretary, organization=new, role=Role.GENERAL_SECRETARY)
    old_client, new_client = client_as(old_secretary), client_as(new_secretary)
    assert moved.name in visit(old_client)[0]
    assert moved.name not in visit(new_client)[0]

    admin = UserFactory(username="restructurer-f", is_superuser=True, is_staff=True)
    actions.organization_move(
        actor=admin, organization=moved, new_parent=new, effective_date=timezone.localdate(), reason="调整联村范围"
    )

    assert moved.name not in visit(old_client)[0]
    assert moved.name in visit(new_client)[0]


def test_the_next_day_is_read_afresh(fresh, client_as, city, monkeypatch):
    client = client_as(city["village_secretary"])
    visit(client)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert visit(client)[1] > KEPT_QUERIES


def test_without_a_shared_cache_each_request_reads_the_figures(fresh, settings, client_as, city):
    """Without REDIS_URL each process (a web worker, a command) has a cache of its own, and a version bumped in one
    would stay unknown to the others: nothing is kept."""
    settings.REDIS_URL = ""
    client = client_as(city["village_secretary"])
    _, first = visit(client)

    assert visit(client)[1] == first


def test_generated_data_bumps_everything_once(fresh, client_as, city):
    client = client_as(city["village_secretary"])
    before, _ = visit(client)
    with freshness.suspended():
        PartyMember.objects.filter(branch=city["villages"][0]).update(status=MemberStatus.PROBATIONARY)
        assert not freshness.enabled()

    assert visit(client)[0] != before


def test_each_position_holder_sees_their_own_dashboard(fresh, client_as, city):
    """Two secretaries of one village: each reads their own (a to-do list may depend on the person)."""
    other = UserFactory(username="second-secretary-f")
    PositionFactory(user=other, organization=city["villages"][0], role=Role.VILLAGE_SECRETARY)
    visit(client_as(city["village_secretary"]))

    assert visit(client_as(other))[1] > KEPT_QUERIES
    assert Position.objects.filter(organization=city["villages"][0]).count() == 2


def test_a_record_of_a_wide_subtree_bumps_everything(fresh, city, monkeypatch):
    """A general branch's meeting bumps its subtree (its villages show it joined to theirs); a record of a subtree
    wider than WIDE nodes (a district's, the city's) bumps everything instead."""
    villages = [village.pk for village in city["villages"][:2]]
    before = freshness.versions(villages)
    plan(city["gb_secretary"], city["general"], kind=MeetingKind.WORK_MEETING, title="总支工作例会")
    after = freshness.versions(villages)
    assert after[0] == before[0] and after[1] > before[1] and after[2] > before[2]

    monkeypatch.setattr(freshness, "WIDE", 2)  # the general branch and its two villages count as wide here
    plan(city["gb_secretary"], city["general"], kind=MeetingKind.WORK_MEETING, title="总支工作例会（二）")
    assert freshness.versions([])[0] > after[0]
