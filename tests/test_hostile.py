"""Hostile and wrong input never produces a server error, and nothing but the login page and the health check
answers an anonymous visitor (security checklist items 16 and 31)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "logout", "healthz", "favicon", "set_language", "javascript-catalog", "api-token"}

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
]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def _concrete(route: str) -> str:
    """A path for a route pattern, with every parameter set to 1 (regex routes of the API router included)."""
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    route = route.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + route.lstrip("/")


ROUTES = sorted(
    {
        (_concrete(route), name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith(("admin/", "static/")) and name not in PUBLIC and "format" not in route
    }
)


@pytest.mark.parametrize(("path", "name"), ROUTES)
def test_anonymous_visitors_reach_nothing(client, tree, path, name):
    for method in (client.get, client.post):
        response = method(path)
        if path.startswith("/api/"):
            assert response.status_code in (401, 403), (path, response.status_code)
        else:
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary", "dept_staff", "outsider"])
def test_junk_queries_never_break_a_list(request, client_as, tree, persona):
    client = client_as(request.getfixturevalue(persona))
    for page in LIST_PAGES:
        for query in JUNK_QUERIES:
            response = client.get(f"{page}?{query}")
            assert response.status_code < 500, (page, query, response.status_code)
            assert response.status_code in (200, 400, 404), (page, query, response.status_code)


@pytest.mark.parametrize("persona", ["town_cadre", "village_secretary", "outsider"])
def test_junk_posts_never_break_a_route(request, client_as, tree, persona):
    client = client_as(request.getfixturevalue(persona))
    junk = {"month": "2026-99", "village": "abc", "version": "x", "reason": "", "form_token": "not-a-uuid"}
    for path, _name in ROUTES:
        response = client.post(path, junk)
        assert response.status_code < 500, (path, response.status_code)
