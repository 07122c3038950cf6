"""Hostile and wrong input never produces a server error; nothing but the login page and the health check answers
an anonymous visitor (security checklist items 16 and 31); and on every route that takes an object's id, an object
out of the user's scope is 404, whatever the method (the walk fails on a route it cannot fill or on an unscoped
view, so a route added later is covered by itself: see kit.out_of_scope_answers).
"""

from collections import defaultdict

import pytest
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path as url_pattern
from django.utils import timezone
from django.views import View

from anding.urls import urlpatterns as project_urlpatterns
from branches import actions
from branches.choices import ReportStatus
from branches.models import Meeting, case_models

from . import kit

PUBLIC = {"login", "logout", "healthz", "set_language", "javascript-catalog", "api-token"}

LIST_PAGES = [
    "/",
    "/org/",
    "/members/",
    "/meetings/",
    "/tasks/",
    "/reports/",
    "/reports/completeness/",
    "/api/organizations/",
    "/api/members/",
    "/api/meetings/",
    "/api/tasks/",
    "/api/task-assignments/",
    "/api/reports/",
    "/recruitment/",
    "/api/recruitment/",
    "/powers/",
    "/services/",
    "/services/records/",
    "/services/compliance/",
    "/services/plans/",
    "/api/assessment-plans/",
    "/services/funds/",
    "/api/fund-allocations/",
    "/api/fund-expenses/",
    "/services/households/",
    "/services/visits/",
    "/services/visits/coverage/",
    "/services/visits/needs/",
    "/api/households/",
    "/api/household-visits/",
    "/development/",
    "/development/progress/",
    "/api/pairing-progress/",
    "/development/figures/",
    "/api/pairings/",
    "/api/village-figures/",
    "/development/events/",
    "/development/partners/",
    "/api/partners/",
    "/development/resources/",
    "/development/trainings/",
    "/api/resource-trainings/",
    "/development/sales/",
    "/development/ledger/",
    "/api/partner-events/",
    "/api/branch-resources/",
    "/api/shared-sales/",
    *(f"/powers/{code.replace('_', '-')}/" for code in case_models()),
    *(f"/api/{code.replace('_', '-')}/" for code in case_models()),
]
JUNK_QUERIES = [
    "page=abc",
    "page=999999",
    "page=-1",
    "sort=;DROP TABLE x",
    "sort=-",
    "month=2026-13",
    "month=9999-12",
    "month=0000-00",
    "month=abc",
    "branch=abc",
    "branch=999999999999999999999",
    "organization=-1",
    "status=<script>alert(1)</script>",
    "kind=%00",
    "q=' OR 1=1 --",
    "q=" + "长" * 3000,
    "within=1.5",
    "late=maybe",
    "overdue=x",
    "export=xlsx&month=2026-99",
    "page_size=100000",
    "year=abc",
    "year=99999999999",
    "state=%00",
    "stage=nonsense",
]


ALL_ROUTES = kit.routes()
SAMPLE_UUID = "00000000-0000-4000-8000-000000000001"
ROUTES = sorted(
    {
        (route.url(defaultdict(lambda value=SAMPLE_UUID if "<uuid:" in route.route else 1: value)), route.name)
        for route in ALL_ROUTES
        if route.name not in PUBLIC and "format" not in route.params
    }
)
ROUTES_WITH_AN_ID = [route for route in ALL_ROUTES if route.params and "format" not in route.params]


@pytest.mark.parametrize(("path", "name"), ROUTES)
def test_16_anonymous_visitors_reach_no_route_of_the_resolver(client, tree, path, name):
    for method in (client.get, client.post):
        kit.assert_answer(method(path), path, kit.LOGIN)


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary", "dept_staff", "outsider"])
def test_junk_queries_never_break_a_list(request, client_as, tree, persona):
    client = client_as(request.getfixturevalue(persona))
    for page in LIST_PAGES:
        for query in JUNK_QUERIES:
            response = client.get(f"{page}?{query}")
            assert response.status_code < 500, (page, query, response.status_code)
            # The roster's export needs a permission of its own (town cadres have it): 403 for the others.
            refused = (403,) if page == "/members/" and "export=xlsx" in query and persona != "town_cadre" else ()
            assert response.status_code in (200, 400, 404, *refused), (page, query, response.status_code)


@pytest.mark.parametrize("persona", ["town_cadre", "village_secretary", "outsider"])
def test_junk_posts_never_break_a_route(request, client_as, tree, persona):
    client = client_as(request.getfixturevalue(persona))
    junk = {"month": "2026-99", "village": "abc", "version": "x", "reason": "", "form_token": "not-a-uuid"}
    for path, _name in ROUTES:
        response = client.post(path, junk)
        assert response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("route", ROUTES_WITH_AN_ID, ids=lambda route: route.name)
def test_an_object_out_of_scope_is_404_on_every_route(tree, fixtures, client_as, route):
    assert kit.out_of_scope_answers(route, ALL_ROUTES, fixtures, client_as) == []


# The walk itself: a view that forgets the scope, and a route the walk cannot fill, must fail it. -----------------


class UnscopedMeetingView(LoginRequiredMixin, View):
    """A meeting by its id, without `.restrict()`: the bug the walk is there to catch."""

    model = Meeting

    def get(self, request, pk):
        return HttpResponse(get_object_or_404(Meeting, pk=pk).title)


urlpatterns = [  # this module is the URLconf of the tests below
    url_pattern("leak/<int:pk>/", UnscopedMeetingView.as_view(), name="leak"),
    url_pattern("leak/<int:pk>/<int:thing_pk>/", UnscopedMeetingView.as_view(), name="leak-unknown"),
    *project_urlpatterns,
]


def test_the_walk_reports_a_view_that_forgets_the_scope(settings, fixtures, client_as, g2_meeting):
    settings.ROOT_URLCONF = __name__
    routes = kit.routes()
    [leak] = [route for route in routes if route.name == "leak"]

    wrong = kit.out_of_scope_answers(leak, routes, fixtures, client_as)

    assert wrong == [f"GET /leak/{g2_meeting.pk}/ as {persona}: 200" for persona in kit.OUT_OF_SCOPE_PERSONAS]


def test_the_walk_fails_on_a_route_it_cannot_fill(settings, fixtures, client_as, superuser):
    settings.ROOT_URLCONF = __name__
    routes = kit.routes()
    [unknown] = [route for route in routes if route.name == "leak-unknown"]

    with pytest.raises(AssertionError, match="name it in kit.ROUTE_OBJECTS"):
        kit.out_of_scope_answers(unknown, routes, fixtures, client_as)


API_FORMAT_ROUTES = sorted(
    {
        route.url(defaultdict(lambda: 1, format="json"))
        for route in ALL_ROUTES
        if route.route.startswith("api/^") and "format" in route.params
    }
)


def test_every_api_action_has_a_format_suffixed_route():
    actions = ["record", "review", "progress", "submit", "check", "return", "approve"]
    assert {action for action in actions if any(p.endswith(f"/{action}.json/") for p in API_FORMAT_ROUTES)} == set(
        actions
    )


@pytest.mark.parametrize("path", API_FORMAT_ROUTES)
@pytest.mark.parametrize("persona", ["town_cadre", "village_secretary"])
def test_format_suffixed_api_routes_never_break(request, client_as, tree, persona, path):
    client = client_as(request.getfixturevalue(persona))
    for method in (client.get, client.post, client.patch):
        response = method(path, {}, content_type="application/json")
        assert response.status_code < 500, (method.__name__, path, response.status_code)
    assert client.get(path.replace(".json/", ".xlsx/")).status_code == 404  # a format the API does not speak


def test_an_action_with_a_format_suffix_does_what_it_does_without(client_as, tree, village_secretary, gb_secretary):
    month = timezone.localdate().replace(day=1)
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=month)
    report = actions.report_save(
        actor=village_secretary, report=report, version=report.version, narrative="做了", problems="", requests=""
    )
    actions.report_submit(actor=village_secretary, report=report)

    response = client_as(gb_secretary).post(f"/api/reports/{report.pk}/approve.json", {}, "application/json")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == ReportStatus.APPROVED


UNICODE_DIGITS = ["²", "١"]  # `isdigit()` passes both; `int()` refuses the first and reads the second as 1
DIGIT_PARAMETERS = ["village", "organization", "branch", "within", "parent", "issued_by", "month", "page", "version"]
FORM_PAGES = ["/reports/write/", "/members/add/", "/meetings/add/", "/tasks/add/"]


@pytest.mark.parametrize("persona", ["town_cadre", "village_secretary"])
def test_unicode_digits_never_break_a_page(request, client_as, tree, persona):
    client = client_as(request.getfixturevalue(persona))
    for page in LIST_PAGES + FORM_PAGES:
        for name in DIGIT_PARAMETERS:
            for value in UNICODE_DIGITS:
                status = client.get(page, {name: value}).status_code
                assert status in (200, 400, 403, 404), (page, name, value, status)


def test_unicode_digits_are_not_ids_or_months(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    assert client.get("/reports/write/", {"village": "²"}).status_code == 404
    assert client.get("/reports/write/", {"village": "١"}).status_code == 404  # not read as the id 1
    assert client.get("/reports/write/", {"village": "1²"}).status_code == 404
    assert client.get("/members/add/", {"branch": "²"}).status_code == 200
    assert client.get("/api/meetings/", {"organization": "²"}).status_code == 400
    assert client.get("/api/reports/", {"month": "٢٠٢٦-١١"}).status_code == 400
    assert client.get("/meetings/", {"organization": "²"}).status_code == 200
    started = client.post("/api/reports/", {"village": "²", "month": "2026-01"}, content_type="application/json")
    assert started.status_code == 400 and set(started.json()) == {"village"}


def test_a_unicode_version_in_a_posted_form_is_no_version(client_as, tree, village_secretary):
    month = timezone.localdate().replace(day=1)
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=month)
    actions.report_save(
        actor=village_secretary, report=report, version=report.version, narrative="做了", problems="", requests=""
    )
    client = client_as(village_secretary)

    assert client.post(f"/api/reports/{report.pk}/", {"version": "²"}, "application/json").status_code == 405
    assert client.patch(f"/api/reports/{report.pk}/", {"version": "²"}, "application/json").status_code == 400
    response = client.post(f"/reports/{report.pk}/submit/", {"version": "²"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


JUNK_FORM = {
    "village": "abc",
    "version": "x",
    "title": "长" * 5000,
    "comment": "\x00",
    "date": "2026-02-30",
    "done_on": "9999-99-99",
    "due_on": "yesterday",
    "occurred_at": "not a time",
    "expected": "-5",
    "present": "1e9",
    "in_favour": "١٢",
    "score_de": "101",
    "amount": "NaN",
    "number": "26",
    "form_token": "not-a-uuid",
}
OWN_OBJECT_ROUTES = [
    route
    for route in ROUTES_WITH_AN_ID
    if route.route.startswith(("powers/", "recruitment/", "services/", "development/"))
    and not route.route.startswith("api/")
]


@pytest.mark.parametrize("route", OWN_OBJECT_ROUTES, ids=lambda route: route.name)
def test_junk_posted_by_the_people_who_act_never_breaks_a_page(tree, fixtures, client_as, route):
    """The pages of the seven powers, recruitment and services, fed junk by g2's secretary, whose objects they are:
    refused with a form or a message, never a 500."""
    templates = kit.route_kwargs(route, ALL_ROUTES, fixtures["superuser"])
    path = route.url({key: fixtures.url(template) for key, template in templates.items()})
    for persona in ("gb2_secretary", "town_cadre"):
        response = client_as(fixtures[persona]).post(path, JUNK_FORM)
        assert response.status_code < 500, (path, persona, response.status_code)
