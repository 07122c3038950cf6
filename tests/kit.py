"""The test kit every area's tests use: access tables, the query counter, form errors, and the walk over every route.

Access tables (NetBox's `utilities/testing/views.py`, made declarative): a row says what one persona gets from one
URL. The personas are the fixtures of `tests/conftest.py` (PERSONAS); a URL is a template whose fields are fixtures
of the running test (`"/meetings/{v11_meeting.pk}/"`, `"/members/{tree.members[v21][0].pk}/"`). One parametrized
check answers each row; an anonymous visitor expects LOGIN (the login page for pages, 401/403 and no data for the
API)::

    ACCESS = [
        *kit.anonymous(["/things/", "/things/{v11_thing.pk}/"]),
        ("town_cadre", "/things/{v21_thing.pk}/", 200),
        ("village_secretary", "/things/{v21_thing.pk}/", 404),  # out of scope
        ("deputy", "/things/{v11_thing.pk}/edit/", 403),  # in scope, wrong role
    ]

    @kit.access_table(ACCESS)
    def test_access(check_access, persona, url, status):
        check_access(persona, url, status)

Query counts: `page_queries(client, path)` counts the queries of a page (after a warm-up request), `count_queries`
those of any call, and `assert_flat(measure, small, large)` asserts the same count for 1× and 10× the data.

The route walk: `routes()` lists every URL pattern; `out_of_scope_answers(route, ...)` asks an object of the
sibling general branch (g2) through the route as personas outside g2 and lists every answer that is not 404. The
object of a route is found from its view (its `model`, its selector's return type, its viewset's queryset) or from
the route it extends (`meetings/<pk>/record/` acts on the object of `meetings/<pk>/`), then made by OUT_OF_SCOPE;
routes where that cannot work are named in ROUTE_OBJECTS. A route the walk cannot fill fails the suite.
"""

import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection, models
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.html import escape

from branches.actions import workflow_of
from branches.models import (
    BranchCommittee,
    Meeting,
    MonthlyReport,
    Organization,
    PartyGroup,
    PartyMember,
    RecruitmentCase,
    Task,
    TaskAssignment,
    case_models,
)
from development.models import (
    BranchResource,
    Pairing,
    PairingProgress,
    Partner,
    PartnerEvent,
    ResourceTraining,
    SharedSale,
    VillageFigures,
)
from services.models import (
    AssessmentPlan,
    FundAllocation,
    FundExpense,
    Household,
    HouseholdVisit,
    ServiceCentre,
    ServiceRecord,
    ServiceSession,
)

__all__ = [
    "ALL_PERSONAS",
    "LOGIN",
    "OUT_OF_SCOPE",
    "OUT_OF_SCOPE_PERSONAS",
    "PERSONAS",
    "ROUTE_OBJECTS",
    "Fixtures",
    "Route",
    "access_table",
    "anonymous",
    "assert_answer",
    "assert_flat",
    "count_queries",
    "out_of_scope_answers",
    "page_queries",
    "route_kwargs",
    "routes",
    "shows_errors",
]

# --- personas and access tables ----------------------------------------------------------------------------------

PERSONAS = (  # the fixtures of tests/conftest.py; their positions on the tree are in its table POSITIONS
    "town_cadre",
    "gb_secretary",
    "gb2_secretary",  # the sibling general branch
    "village_secretary",
    "neighbour_secretary",  # the neighbour village
    "deputy",
    "dept_staff",
    "outsider",  # a user without a position
    "superuser",
)
ALL_PERSONAS = ("anonymous", *PERSONAS)
LOGIN = "login"  # what an anonymous visitor gets: the login page (pages), 401 or 403 without data (the API)


class Fixtures(dict):
    """The fixtures of the running test, by name, for URL templates: `"/org/{tree.v11.pk}/".format_map(f)`."""

    def __init__(self, request):
        super().__init__()
        self.request = request

    def __missing__(self, name):
        return self.request.getfixturevalue(name)

    def url(self, template: str) -> str:
        return template.format_map(self)


def anonymous(urls: Iterable[str]) -> list[tuple[str, str, str]]:
    """Rows of an access table: an anonymous visitor is sent to log in from each of `urls`."""
    return [("anonymous", url, LOGIN) for url in urls]


def access_table(rows: list[tuple[str, str, int | str]]):
    """The parametrize mark of an access table: (persona, URL template, expected status or LOGIN) per row."""
    for persona, _url, _status in rows:
        assert persona in ALL_PERSONAS, f"unknown persona {persona!r}: one of {ALL_PERSONAS}"
    ids = [f"{persona}-{url}-{status}" for persona, url, status in rows]
    return pytest.mark.parametrize(("persona", "url", "status"), rows, ids=ids)


def assert_answer(response, path: str, expected: int | str) -> None:
    """`expected` is a status code, or LOGIN: a page sends the visitor to log in and come back to `path`; the API
    answers 401 or 403 and shows no organization's name."""
    answer = (path, response.status_code)
    if expected != LOGIN:
        assert response.status_code == expected, answer
    elif path.startswith("/api/"):
        assert response.status_code in (401, 403), answer
        for name in Organization.objects.values_list("name", flat=True):
            assert name.encode() not in response.content, (path, name)
    else:
        assert response.status_code == 302, answer
        target = urlsplit(response["Location"])
        assert target.path == resolve_url(settings.LOGIN_URL), (path, response["Location"])
        assert parse_qs(target.query)["next"] == [path], (path, response["Location"])


# --- query counts ------------------------------------------------------------------------------------------------


def count_queries(call: Callable[[], typing.Any]) -> tuple[int, typing.Any]:
    """The number of database queries `call()` runs, and what it returns: the one query counter of the tests."""
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


def page_queries(client, path: str) -> int:
    """The queries of a GET of `path` answering 200, after a first GET that lets the session and caches settle."""
    client.get(path)
    queries, response = count_queries(lambda: client.get(path))
    assert response.status_code == 200, path
    return queries


def assert_flat(measure: Callable, small, large):
    """No N+1: `measure` gives the same for 1× and 10× the data. `small` and `large` are what `measure` takes, or
    functions called in this order that make the data and return it; a measure is a query count, or a dict or tuple
    of them. Returns both measures."""
    few = measure(small() if callable(small) else small)
    many = measure(large() if callable(large) else large)
    assert many == few, f"the queries grew with the data: {few} → {many}"
    return few, many


# --- forms -------------------------------------------------------------------------------------------------------


def shows_errors(response, field: str | None) -> list[str]:
    """The form came back (200) with errors on `field` (None: the top of the form), and the page shows them.
    Returns the messages in the default language."""
    assert response.status_code == 200
    form = response.context["form"]
    key = field or "__all__"
    assert key in form.errors, form.errors
    with translation.override(settings.LANGUAGE_CODE):
        messages = list(form.errors[key])
    page = response.content.decode()
    for message in messages:
        assert escape(message) in page
    return messages


# --- the route walk ----------------------------------------------------------------------------------------------

LEFT_OUT = ("admin/", "static/")  # the admin has its own permissions (staff only) and redirects everyone else
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")

OUT_OF_SCOPE_PERSONAS = ("outsider", "village_secretary", "gb_secretary", "deputy")
# An object of each model in g2, the sibling general branch: out of scope for every persona above. Templates of
# the object's id, filled from the fixtures of tests/conftest.py.
OUT_OF_SCOPE = {
    Organization: "{tree.v21.pk}",
    PartyMember: "{tree.members[v21][0].pk}",
    Meeting: "{g2_meeting.pk}",
    MonthlyReport: "{g2_report.pk}",
    Task: "{g2_task.pk}",
    TaskAssignment: "{g2_assignment.pk}",
    BranchCommittee: "{g2_committee.pk}",
    PartyGroup: "{g2_party_group.pk}",
    RecruitmentCase: "{g2_recruitment.pk}",
    ServiceCentre: "{service_centres[g2].pk}",
    ServiceSession: "{g2_session.pk}",
    ServiceRecord: "{g2_service_record.pk}",
    AssessmentPlan: "{g2_plan.pk}",
    FundAllocation: "{g2_allocation.pk}",
    FundExpense: "{g2_expense.pk}",
    Household: "{g2_household.pk}",
    HouseholdVisit: "{g2_visit.pk}",
    Pairing: "{g2_pairing.pk}",
    PairingProgress: "{g2_progress.pk}",
    VillageFigures: "{g2_figures.pk}",
    PartnerEvent: "{g2_event.pk}",
    Partner: "{g2_event.partner.pk}",  # reference data: seen through its events (g2's job fair), or by all unused
    BranchResource: "{g2_resource.pk}",
    ResourceTraining: "{g2_training.pk}",
    SharedSale: "{g2_sale.pk}",
}
# Routes whose object the walk cannot find from the view: their URL parameters, as templates.
ROUTE_OBJECTS = {
    "branches:task_progress": {"pk": "{g2_assignment.pk}"},  # a FormView on an assignment, under tasks/assignments/
    "branches:meeting_pack": {"meeting_pk": "{g2_meeting.pk}"},  # the pack of a work meeting, under reports/
    "branches:meeting_attachment": {"pk": "{g2_meeting.pk}", "attachment_pk": "{g2_attachment.pk}"},
    "branches:power_general_branch": {"pk": "{tree.g2.pk}"},  # a general branch's powers
    "job": {"pk": "{g2_job.pk}"},  # a background job: its user's only (the town cadre's export)
    "job_download": {"pk": "{g2_job.pk}"},
}
# The seven powers: each case model's pages, on the case of g2 that tests/cases.py opens.
for _code, _model in case_models().items():
    OUT_OF_SCOPE[_model] = f"{{g2_cases[{_code}].pk}}"
    _attachment = {"pk": OUT_OF_SCOPE[_model], "attachment_pk": f"{{g2_case_attachments[{_code}].pk}}"}
    ROUTE_OBJECTS[f"branches:{_code}_attachment"] = _attachment
    ROUTE_OBJECTS[f"branches:{_code}_detach"] = _attachment
    ROUTE_OBJECTS[f"branches:{_code}_transition"] = {
        "pk": OUT_OF_SCOPE[_model],
        "step": workflow_of(_model).transitions[0].name,
    }


@dataclass(frozen=True)
class Route:
    """One URL pattern: its whole route (prefixes joined), its name (with namespaces) and its view."""

    route: str
    name: str | None
    callback: Callable

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(a or b for a, b in PARAMETER.findall(self.route))

    @property
    def view(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def methods(self) -> list[str]:
        """The HTTP methods the view answers (an API route: those of its router entry)."""
        if hasattr(self.callback, "actions"):
            return sorted(set(self.callback.actions) - {"head", "options"})
        if self.view is None:
            return ["get", "post"]
        return [m for m in ("get", "post") if m in self.view.http_method_names and hasattr(self.view, m)]

    def url(self, values: dict) -> str:
        """The path of this route with each parameter set from `values`."""
        path = PARAMETER.sub(lambda m: str(values[m.group(1) or m.group(2)]), self.route)
        path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
        return "/" + path.lstrip("/")


def routes(urlconf=None) -> list[Route]:
    """Every URL pattern of `urlconf` (default: the project's), the admin's and static files' left out."""

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = namespace + entry.name if entry.name else None
                yield Route(prefix + str(entry.pattern), name, entry.callback)

    return [r for r in walk(get_resolver(urlconf).url_patterns) if not r.route.startswith(LEFT_OUT)]


def model_of(route: Route, superuser) -> type[models.Model] | None:
    """The model a route's view shows: its `model`, its queryset's, its selector's return type, or its viewset's
    queryset for a superuser."""
    view = route.view
    for found in (getattr(view, "model", None), getattr(getattr(view, "queryset", None), "model", None)):
        if found is not None:
            return found
    selector = getattr(view, "selector", None)
    if selector is not None:
        returned = typing.get_type_hints(selector).get("return")
        if isinstance(returned, type) and issubclass(returned, models.Model):
            return returned
    if hasattr(route.callback, "actions"):  # a viewset: ask it for its queryset
        viewset = view(**route.callback.initkwargs)
        viewset.action, viewset.kwargs, viewset.format_kwarg = next(iter(route.callback.actions.values())), {}, None
        viewset.request = type("Request", (), {"user": superuser, "query_params": {}, "GET": {}})()
        return viewset.get_queryset().model
    return None


def route_kwargs(route: Route, all_routes: list[Route], superuser) -> dict[str, str]:
    """The URL parameters of an out-of-scope object of `route`, as templates; AssertionError when the walk cannot
    tell (name the route in ROUTE_OBJECTS, or its model in OUT_OF_SCOPE)."""
    if route.name in ROUTE_OBJECTS:
        return ROUTE_OBJECTS[route.name]
    model = model_of(route, superuser)
    if model is not None and route.params == ("pk",):
        assert model in OUT_OF_SCOPE, f"{route.route}: add {model.__name__} to kit.OUT_OF_SCOPE"
        return {"pk": OUT_OF_SCOPE[model]}
    parent = max(
        (
            r
            for r in all_routes
            if r != route and r.params == route.params and route.route.startswith(r.route.rstrip("$"))
        ),
        key=lambda r: len(r.route),
        default=None,
    )
    assert parent is not None, (
        f"{route.route} ({route.name}): the walk cannot make an object of this route; name it in kit.ROUTE_OBJECTS"
    )
    return route_kwargs(parent, all_routes, superuser)


def out_of_scope_answers(route: Route, all_routes: list[Route], fixtures: Fixtures, client_as) -> list[str]:
    """Ask an object of g2 through `route` with each method the route answers, as each of OUT_OF_SCOPE_PERSONAS;
    the answers that are not 404. The town cadre, whose scope holds the object, must not get 404 (the URL is
    real); it asks last, since what it posts may change the object."""
    templates = route_kwargs(route, all_routes, fixtures["superuser"])
    path = route.url({key: fixtures.url(template) for key, template in templates.items()})
    json = {"content_type": "application/json"} if path.startswith("/api/") else {}
    wrong = []
    for persona in (*OUT_OF_SCOPE_PERSONAS, "town_cadre"):
        client = client_as(fixtures[persona])
        for method in route.methods:
            status = getattr(client, method)(path, **(json if method != "get" else {})).status_code
            in_scope = persona == "town_cadre"
            if (in_scope and status == 404) or (not in_scope and status != 404):
                wrong.append(f"{method.upper()} {path} as {persona}: {status}")
    return wrong
