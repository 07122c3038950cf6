"""The member list's count (anding/pagination.py): a scope of at least ESTIMATE_NODES nodes (the city) shows the
planner's estimate on its first pages without filters, on PostgreSQL; the last page, a deeper page and any filter
count exactly, and a narrower scope always does. The tests lower the thresholds to the small tree's size."""

import pytest
from django.db import connection

from anding import pagination
from anding.pagination import DeferredJoinPaginator, EstimatedPagination
from branches.models import PartyMember
from branches.views import MemberListView

from . import kit
from .factories import make_members

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate: PostgreSQL")
ORDER = ("branch__tree_id", "branch__lft", "name", "id")


@pytest.fixture
def wide(monkeypatch):
    """The town counts as a wide scope, and an estimate of one row is enough to be shown."""
    monkeypatch.setattr(pagination, "ESTIMATE_NODES", 1)
    monkeypatch.setattr(MemberListView, "count_estimate_from", 1)
    monkeypatch.setattr(EstimatedPagination, "estimate_from", 1)


def _analyzed_members(tree, n=60):
    make_members(tree.v11, n, prefix="戊")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's statistics, as autovacuum would keep them
            cursor.execute("ANALYZE branches_partymember, branches_organization")
    return PartyMember.objects.count()


def test_an_estimate_is_rounded_to_three_digits():
    assert [pagination._rounded(n) for n in (7, 999, 1_234, 400_742, 400_500)] == [7, 999, 1_230, 401_000, 400_000]


def test_a_narrow_scope_counts_exactly(client_as, tree, town_cadre):
    total = _analyzed_members(tree)
    client = client_as(town_cadre)

    page = client.get("/members/", HTTP_ACCEPT_LANGUAGE="en")
    api = client.get("/api/members/").json()

    assert not page.context["paginator"].estimated and page.context["paginator"].count == total
    assert f"{total} members found" in page.content.decode()
    assert api["count"] == total and api["count_estimated"] is False


def test_a_wide_scope_estimates_only_on_postgresql(client_as, tree, town_cadre, wide):
    total = _analyzed_members(tree)
    page = client_as(town_cadre).get("/members/", HTTP_ACCEPT_LANGUAGE="en")
    paginator = page.context["paginator"]

    if connection.vendor != "postgresql":
        assert not paginator.estimated and paginator.count == total  # no planner to ask: counted
        return
    assert paginator.estimated and 0 < paginator.count
    html = page.content.decode()
    assert f"About {paginator.count} members found" in html
    assert "of about" in html and "?page=last" in html  # the last page is asked for by name, and counted then


@on_postgresql
def test_the_last_page_filters_and_deep_pages_count_exactly(client_as, tree, town_cadre, wide):
    total = _analyzed_members(tree)
    client = client_as(town_cadre)
    expected = list(PartyMember.objects.order_by(*ORDER).values_list("pk", flat=True))

    first = client.get("/members/")
    last = client.get("/members/?page=last")
    filtered = client.get(f"/members/?branch={tree.v11.pk}")

    assert first.context["paginator"].estimated
    assert not last.context["paginator"].estimated and last.context["paginator"].count == total
    page = last.context["page_obj"]
    assert [m.pk for m in page] == expected[(page.number - 1) * 50 :] != []
    in_v11 = PartyMember.objects.filter(branch=tree.v11).count()
    assert not filtered.context["paginator"].estimated and filtered.context["paginator"].count == in_v11


@on_postgresql
def test_a_page_past_the_first_rows_counts_exactly(tree, monkeypatch):
    total = _analyzed_members(tree)
    monkeypatch.setattr(DeferredJoinPaginator, "REVERSE_FROM", 10)
    rows = PartyMember.objects.order_by(*ORDER)
    expected = list(rows.values_list("pk", flat=True))

    early, deep = DeferredJoinPaginator(rows, 5, estimate_from=1), DeferredJoinPaginator(rows, 5, estimate_from=1)
    assert [m.pk for m in early.page(2)] == expected[5:10] and early.estimated
    assert [m.pk for m in deep.page(3)] == expected[10:15] and not deep.estimated and deep.count == total
    small = DeferredJoinPaginator(rows, 5, estimate_from=10**9)
    small.page(1)
    assert not small.estimated and small.count == total  # the estimate is below the threshold: counted


@on_postgresql
def test_the_api_estimates_as_the_page_does(client_as, tree, town_cadre, wide):
    total = _analyzed_members(tree)
    client = client_as(town_cadre)

    first = client.get("/api/members/?page_size=25").json()
    last = client.get("/api/members/?page=last&page_size=25").json()
    filtered = client.get("/api/members/?status=full").json()

    assert first["count_estimated"] is True and first["next"] is not None
    assert last["count_estimated"] is False and last["count"] == total and last["next"] is None
    assert filtered["count_estimated"] is False


@on_postgresql
def test_the_estimate_runs_as_many_queries_as_the_count(client_as, tree, town_cadre, monkeypatch):
    _analyzed_members(tree)
    client = client_as(town_cadre)

    exact = kit.page_queries(client, "/members/"), kit.page_queries(client, "/api/members/")
    monkeypatch.setattr(pagination, "ESTIMATE_NODES", 1)
    monkeypatch.setattr(MemberListView, "count_estimate_from", 1)
    monkeypatch.setattr(EstimatedPagination, "estimate_from", 1)
    assert (kit.page_queries(client, "/members/"), kit.page_queries(client, "/api/members/")) == exact
    assert kit.page_queries(client, "/members/?page=last") == exact[0]
