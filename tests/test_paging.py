"""Pages past the first are read by a deferred join (anding/pagination.py), those of the second half from the end:
the same rows, in the same order, as plain slicing of the list ordered to the last tie, in the page lists and the
API alike."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from anding import scoping
from anding.pagination import DeferredJoinPaginator, totally_ordered
from branches import selectors
from branches.choices import MemberStatus
from branches.models import Meeting, PartyMember

from .conftest import plan
from .factories import make_members


def _members_with_ties(tree, n=23):
    """`n` members who share their statuses, join dates and (a third of them) full-membership dates, some none."""
    members = make_members(tree.v11, n, prefix="丙")
    for i, member in enumerate(members):
        member.status = [MemberStatus.FULL, MemberStatus.PROBATIONARY][i % 2]
        member.joined_on = datetime.date(2001, 1, 1 + i % 3)
        member.full_member_on = None if i % 3 == 0 else datetime.date(2010, 5, 1 + i % 2)
    PartyMember.objects.bulk_update(members, ["status", "joined_on", "full_member_on"])


@pytest.mark.parametrize(
    "ordering",
    [
        ("status",),
        ("-joined_on", "status"),
        ("full_member_on",),
        ("-full_member_on", "-status"),
        (F("full_member_on").asc(nulls_last=True), "joined_on"),
        (),  # the model's ordering
    ],
)
def test_a_page_read_from_the_end_holds_the_rows_of_the_forward_read(tree, ordering, monkeypatch):
    monkeypatch.setattr(DeferredJoinPaginator, "REVERSE_FROM", 0)
    _members_with_ties(tree)
    rows = PartyMember.objects.order_by(*ordering) if ordering else PartyMember.objects.all()
    plain = Paginator(totally_ordered(rows), 5, orphans=1)
    deferred = DeferredJoinPaginator(rows, 5, orphans=1)

    assert deferred.num_pages == plain.num_pages > 3
    for number in plain.page_range:
        assert [m.pk for m in deferred.page(number)] == [m.pk for m in plain.page(number)], number


def test_an_ordering_ends_with_the_primary_key_once(tree):
    rows = PartyMember.objects.order_by("name")

    assert totally_ordered(rows).query.order_by == ("name", "pk")
    assert totally_ordered(rows.order_by("name", "-id")).query.order_by == ("name", "-id")
    assert totally_ordered(PartyMember.objects.all()).query.order_by == ()  # the model's ends with "id"


def test_the_last_page_runs_the_queries_of_the_first(tree, monkeypatch):
    monkeypatch.setattr(DeferredJoinPaginator, "REVERSE_FROM", 0)
    _members_with_ties(tree)
    rows = PartyMember.objects.select_related("branch").order_by("status")

    def read(number) -> int:
        paginator = DeferredJoinPaginator(rows, 5)
        with CaptureQueriesContext(connection) as queries:
            list(paginator.page(number))
        return len(queries)

    assert read(1) == read(DeferredJoinPaginator(rows, 5).num_pages) == 2  # the count, the page


def test_only_a_page_past_the_first_rows_is_read_from_the_end(tree, monkeypatch):
    _members_with_ties(tree)
    rows = PartyMember.objects.order_by("status")

    def last_page_sql() -> str:
        paginator = DeferredJoinPaginator(rows, 5)
        return str(paginator.page(paginator.num_pages).object_list.query)

    bottom = (DeferredJoinPaginator(rows, 5).num_pages - 1) * 5
    assert f"OFFSET {bottom})" in last_page_sql()  # a short list: forward, its offset is cheap
    monkeypatch.setattr(DeferredJoinPaginator, "REVERSE_FROM", 10)
    assert "OFFSET" not in last_page_sql()  # from the end: its last rows


def test_every_page_holds_the_rows_plain_slicing_gives(tree):
    make_members(tree.v11, 23, prefix="甲")
    rows = PartyMember.objects.select_related("branch").order_by("name", "pk")
    plain, deferred = Paginator(rows, 7, orphans=2), DeferredJoinPaginator(rows, 7, orphans=2)

    assert deferred.num_pages == plain.num_pages
    for number in plain.page_range:
        assert [m.pk for m in deferred.page(number)] == [m.pk for m in plain.page(number)]


def test_the_member_list_and_the_api_page_the_same_members(client_as, tree, town_cadre):
    make_members(tree.v11, 60, prefix="乙")
    client = client_as(town_cadre)
    total = PartyMember.objects.count()
    api = client.get("/api/members/?page=2&page_size=5").json()
    expected = list(PartyMember.objects.order_by("branch__tree_id", "branch__lft", "name", "id")[5:10])

    assert api["count"] == total
    assert [row["id"] for row in api["results"]] == [m.pk for m in expected]
    page = client.get("/members/?page=2", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200


def test_the_pages_and_the_api_open_the_last_page(client_as, tree, town_cadre):
    make_members(tree.v11, 60, prefix="丁")
    client = client_as(town_cadre)

    page = client.get("/members/?page=last")
    api = client.get("/api/members/?page=last&page_size=25").json()

    assert page.status_code == 200
    last = page.context["page_obj"]
    assert last.number == last.paginator.num_pages > 1
    numbered = client.get(f"/members/?page={last.number}").context["page_obj"]
    assert [m.pk for m in last] == [m.pk for m in numbered]
    numbered = client.get(f"/api/members/?page={(api['count'] - 1) // 25 + 1}&page_size=25").json()
    assert api["results"] == numbered["results"] != []
    assert api["next"] is None


def test_a_bounded_list_of_a_wide_scope_pages_as_plain_slicing(tree, town_cadre, monkeypatch):
    """A bounded list (meetings) of a wide scope reads its deep pages' keys walked on the rows' own foreign keys
    (anding.scoping `walked`): the same rows in the same order as plain slicing, the walked pages included."""
    monkeypatch.setattr(scoping, "WIDE_NODES", 0)  # the town is a wide range
    nodes = (tree.town.rght - tree.town.lft + 1) // 2
    villages = [tree.v11, tree.v12, tree.v21, tree.v22]
    for i in range(nodes + 8):  # dates with ties, held and planned
        meeting = plan(town_cadre, villages[i % 4], planned_for=datetime.date(2026, 3, 1 + i % 3), title=f"会{i}")
        if i % 3 == 0:
            Meeting.objects.filter(pk=meeting.pk).update(held_on=datetime.date(2026, 3, 2))
    rows = selectors.meeting_list(town_cadre).order_by("-meeting_date", "pk")
    plain = list(rows.values_list("pk", flat=True)[: nodes + 7])
    paginator = DeferredJoinPaginator(rows, 2, count_limit=nodes + 7)

    assert paginator.count == nodes + 7 and paginator.bounded
    assert "IN (SELECT" in str(rows.values("pk").walked(nodes).query)
    for number in paginator.page_range:
        assert [m.pk for m in paginator.page(number)] == plain[(number - 1) * 2 : number * 2], number


@pytest.mark.parametrize("wide", [False, True])
def test_a_scoped_page_says_its_scope_once(tree, town_cadre, gb_secretary, monkeypatch, wide):
    """A page of a scoped list is its keys' rows (`ScopedQuerySet.within`): the scope is said in the keys' subquery
    and not again around it (a town's UNION of its meetings, built twice per page), and the page holds the rows of
    plain slicing, for each shape of the scope."""
    if wide:
        monkeypatch.setattr(scoping, "WIDE_NODES", 0)
    for i in range(9):
        plan(town_cadre, [tree.v11, tree.v12, tree.v21][i % 3], planned_for=datetime.date(2026, 4, 1 + i % 2))
    for user in (town_cadre, gb_secretary):
        rows = selectors.meeting_list(user).order_by("-meeting_date", "pk")
        plain = list(rows.values_list("pk", flat=True))
        paginator = DeferredJoinPaginator(rows, 4)
        pages = [paginator.page(number).object_list for number in paginator.page_range]

        assert [m.pk for page in pages for m in page] == plain
        ranges = str(rows.query).count('"lft" >=')  # the scope's ranges in the statement of all rows
        assert ranges and str(pages[1].query).count('"lft" >=') == ranges  # in the keys only, not also around them

    # ORed with other rows, the scope is no longer a condition of every row: it stays around the keys
    other = Meeting.objects.filter(organization=tree.v22)
    rows = (selectors.meeting_list(gb_secretary) | other).order_by("-planned_for", "pk")
    paginator = DeferredJoinPaginator(rows, 4)
    paged = [m.pk for n in paginator.page_range for m in paginator.page(n).object_list]
    assert paged == list(rows.values_list("pk", flat=True))
