"""The visit list's count (issue 13): as the member list's (tests/test_member_count.py), a scope of at least
ESTIMATE_NODES nodes (the city: 401,175 visits) shows the planner's estimate on its first pages without filters, on
PostgreSQL; the last page and any filter count exactly. The tests lower the thresholds to the small tree's size."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from anding import pagination
from anding.pagination import EstimatedPagination
from services import actions
from services.models import HouseholdVisit, VisitTopic
from services.views.visits import VisitListView

from .. import kit

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate: PostgreSQL")


@pytest.fixture
def visits(tree, gb2_secretary, g2_household):
    day = timezone.localdate() - datetime.timedelta(days=1)
    topic = VisitTopic.objects.get(code="housing")
    for n in range(60):
        actions.visit_record(
            actor=gb2_secretary,
            household=g2_household,
            date=day - datetime.timedelta(days=n),
            leader=gb2_secretary,
            topics=[topic],
            raised=f"第{n}次",
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's statistics, as autovacuum would keep them
            cursor.execute("ANALYZE services_householdvisit, services_household, branches_organization")
    return HouseholdVisit.objects.count()


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setattr(pagination, "ESTIMATE_NODES", 1)
    monkeypatch.setattr(VisitListView, "count_estimate_from", 1)
    monkeypatch.setattr(EstimatedPagination, "estimate_from", 1)


def test_a_narrow_scope_counts_exactly(client_as, town_cadre, visits):
    client = client_as(town_cadre)

    page = client.get("/services/visits/", HTTP_ACCEPT_LANGUAGE="en")
    api = client.get("/api/household-visits/").json()

    assert not page.context["paginator"].estimated and page.context["paginator"].count == visits
    assert f"{visits} visits" in page.content.decode()
    assert api["count"] == visits and api["count_estimated"] is False


@on_postgresql
def test_a_wide_scope_estimates_its_first_pages_and_counts_the_rest(client_as, town_cadre, visits, wide):
    client = client_as(town_cadre)

    first = client.get("/services/visits/", HTTP_ACCEPT_LANGUAGE="en")
    last = client.get("/services/visits/?page=last")
    filtered = client.get("/services/visits/?open=false")
    api = client.get("/api/household-visits/?page_size=25").json()

    assert first.context["paginator"].estimated and "About" in first.content.decode()
    assert not last.context["paginator"].estimated and last.context["paginator"].count == visits
    assert [v.raised for v in last.context["page_obj"]] == [f"第{n}次" for n in range(50, 60)]
    assert not filtered.context["paginator"].estimated
    assert api["count_estimated"] is True


@on_postgresql
def test_the_estimate_runs_as_many_queries_as_the_count(client_as, town_cadre, visits, monkeypatch):
    client = client_as(town_cadre)

    exact = kit.page_queries(client, "/services/visits/"), kit.page_queries(client, "/api/household-visits/")
    monkeypatch.setattr(pagination, "ESTIMATE_NODES", 1)
    monkeypatch.setattr(VisitListView, "count_estimate_from", 1)
    monkeypatch.setattr(EstimatedPagination, "estimate_from", 1)
    assert (kit.page_queries(client, "/services/visits/"), kit.page_queries(client, "/api/household-visits/")) == exact
