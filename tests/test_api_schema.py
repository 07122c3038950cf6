"""The API's schema says what the API answers (issue 6): every field that comes back null is declared nullable, every
operation documents its error answers and their bodies, and every POST its Idempotency-Key header. Also the
answers schemathesis found undocumented (tests/test_schema_fuzz.py), each pinned down here."""

import datetime

import pytest
from django.utils import timezone

from branches import actions
from branches.choices import MeetingKind
from branches.views.powers import POWER_PAGES

UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture
def api_schema(client_as, village_secretary):
    return client_as(village_secretary).get("/api/schema/", {"format": "json"}).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def resolve(schema: dict, api_schema: dict) -> dict:
    """A schema with its `$ref` (or single `allOf` reference) replaced by the component, keeping `nullable`."""
    if "allOf" in schema and len(schema["allOf"]) == 1:
        schema = {**schema["allOf"][0], "nullable": schema.get("nullable", False)}
    if "$ref" in schema:
        target = api_schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        schema = {**target, "nullable": schema.get("nullable", False) or target.get("nullable", False)}
    return schema


def undeclared_nulls(value, schema: dict, api_schema: dict, where: str = "") -> list[str]:
    """Where in `value` a null stands for a field that `schema` does not declare nullable."""
    schema = resolve(schema, api_schema)
    if value is None:
        return [] if schema.get("nullable") else [where]
    if isinstance(value, list):
        return [n for i, item in enumerate(value) for n in undeclared_nulls(item, schema["items"], api_schema, where)]
    if isinstance(value, dict) and "properties" in schema:
        return [
            n
            for key, item in value.items()
            if key in schema["properties"]
            for n in undeclared_nulls(item, schema["properties"][key], api_schema, f"{where}.{key}")
        ]
    return []


@pytest.fixture
def sparse_world(tree, town_cadre, gb_secretary, village_secretary):
    """Records whose optional fields are empty: a planned meeting (not held, not reviewed), a work meeting whose
    agenda item names no task or village, a task not yet completed, a report not yet submitted."""
    today = timezone.localdate()
    actions.meeting_plan(
        actor=village_secretary,
        organization=tree.v11,
        kind=MeetingKind.BRANCH_COMMITTEE,
        title="支委会",
        planned_for=today,
    )
    work = actions.meeting_plan(
        actor=gb_secretary, organization=tree.g1, kind=MeetingKind.WORK_MEETING, title="例会", planned_for=today
    )
    actions.meeting_set_agenda(actor=gb_secretary, meeting=work, items=[actions.AgendaLine(title="其他")])
    actions.task_deploy(
        actor=town_cadre,
        issued_by=tree.town,
        title="防火",
        due_date=today + datetime.timedelta(days=5),
        assignees=[tree.g1, tree.v11],
    )
    actions.report_start(actor=village_secretary, village=tree.v11, month=today.replace(day=1))


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        ("/api/meetings/", "/api/meetings/"),
        ("/api/meetings/{first}/", "/api/meetings/{id}/"),
        ("/api/tasks/", "/api/tasks/"),
        ("/api/task-assignments/", "/api/task-assignments/"),
        ("/api/reports/", "/api/reports/"),
        ("/api/reports/{first}/", "/api/reports/{id}/"),
        ("/api/organizations/", "/api/organizations/"),
    ],
)
def test_every_null_in_an_answer_is_declared_nullable(client_as, town_cadre, sparse_world, api_schema, path, operation):
    client = client_as(town_cadre)
    if "{first}" in path:
        listing = path.split("{first}")[0]
        path = path.format(first=client.get(listing).json()["results"][-1]["id"])
    response = client.get(path)
    schema = api_schema["paths"][operation]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert response.status_code == 200
    assert b"null" in response.content  # the sample holds empty fields
    assert undeclared_nulls(response.json(), schema, api_schema) == []


# Operations whose refusal has a body of its own: the roster import answers its rows' errors, or field messages.
OWN_400_ANSWERS = {"/api/members/import/": {"type": "object", "additionalProperties": {}}}


def test_every_operation_documents_its_errors(api_schema):
    for path, method, operation in operations(api_schema):
        responses = operation["responses"]
        error = {"$ref": "#/components/schemas/Error"}
        assert responses["403"]["content"]["application/json"]["schema"] == error, (method, path)
        if method in UNSAFE:
            validation = responses["400"]["content"]["application/json"]["schema"]
            expected = OWN_400_ANSWERS.get(path, {"$ref": "#/components/schemas/ValidationError"})
            assert validation == expected, (method, path)
        if path != "/api/token/":
            assert responses["404"]["content"]["application/json"]["schema"] == error, (method, path)
        if method in UNSAFE and "{id}" in path:
            assert responses["409"]["content"]["application/json"]["schema"] == error, (method, path)
    assert set(api_schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "code"}


def test_every_post_of_the_viewsets_documents_the_idempotency_key(api_schema):
    posts = [(path, op) for path, method, op in operations(api_schema) if method == "post" and path != "/api/token/"]

    # each power: open, transition, correct; recruitment and committees/groups: 4; an emergency's reports and
    # actions (2); a cadre evaluation's scores and rectification items (4); a proposal's supporting evaluations (1);
    # services: a record and its closing (2); a major matter's steps (1); an inspection's items (3); an assessment
    # plan: open, indicators, submit, decide, actuals (5); special funds: an allocation, its correction and an
    # expense (3); a household, a visit and its closing (3); development: village figures (create), pairings
    # (create, progress), partner events (create), branch resources (create, trainings), shared sales (create)
    assert len(posts) == 15 + 3 * len(POWER_PAGES) + 2 + 4 + 1 + 2 + 1 + 3 + 5 + 3 + 3 + 1 + 2 + 1 + 2 + 1
    for path, operation in posts:
        headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], path
        assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


# --- what the fuzzing found --------------------------------------------------------------------------------------


def test_an_api_url_that_no_route_matches_answers_json(client_as, tree, village_secretary):
    response = client_as(village_secretary).get("/api/meetings/0.5e-3/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert client_as(village_secretary).get("/org/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_token_request_that_is_not_an_object_is_refused(client, db):
    response = client.post("/api/token/", [None, None], content_type="application/json")

    assert response.status_code == 400


def test_a_body_without_a_content_type_is_415_and_documented(client_as, tree, village_secretary, api_schema):
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=datetime.date(2025, 1, 1))

    response = client_as(village_secretary).generic("PATCH", f"/api/reports/{report.pk}/", b"x=1", content_type="")

    assert response.status_code == 415
    assert set(response.json()) == {"detail"}
    assert "415" in api_schema["paths"]["/api/reports/{id}/"]["patch"]["responses"]
