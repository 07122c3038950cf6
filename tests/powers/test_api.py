"""The API of the seven powers, made once for every power, tried on organization-building guidance: the same scope
and rules as the pages, opening, steps and corrections through the same actions."""

import pytest

from branches.models import OrganizationGuidance

from ..cases import open_case

CODE = OrganizationGuidance.power
API = "/api/organization-guidance/"
JSON = {"content_type": "application/json"}


@pytest.fixture
def case(tree, gb2_secretary):
    return open_case(CODE, gb2_secretary, tree.v21)


def test_the_api_sees_what_the_pages_see(client_as, case, gb_secretary, gb2_secretary, v21_secretary, town_cadre):
    assert client_as(gb2_secretary).get(f"{API}{case.pk}/").json()["status"] == "draft"
    assert client_as(town_cadre).get(API).json()["count"] == 1
    assert client_as(gb_secretary).get(f"{API}{case.pk}/").status_code == 404
    assert client_as(gb_secretary).get(API).json()["count"] == 0
    assert client_as(v21_secretary).get(f"{API}{case.pk}/").status_code == 404  # a draft is not the village's yet


def test_open_step_and_correct(tree, client_as, gb2_secretary, v21_secretary):
    api = client_as(gb2_secretary)
    body = {"village": tree.v21.pk, "title": "指导", "subject": "rules", "method": "written", "guidance": "建台账"}
    created = api.post(API, body, HTTP_IDEMPOTENCY_KEY="open-1", **JSON)
    assert created.status_code == 201, created.content
    again = api.post(API, body, HTTP_IDEMPOTENCY_KEY="open-1", **JSON)
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]
    assert OrganizationGuidance.objects.count() == 1
    pk = created.json()["id"]
    given = api.post(f"{API}{pk}/transition/", {"step": "give", "version": 1}, **JSON)
    assert given.status_code == 200 and given.json()["status"] == "given"
    assert [e["transition"] for e in given.json()["events"]] == ["open", "give"]
    stale = api.post(f"{API}{pk}/correct/", {"title": "改", "version": 1}, **JSON)
    assert stale.status_code == 409
    corrected = api.post(f"{API}{pk}/correct/", {"title": "改", "version": 2}, **JSON)
    assert corrected.status_code == 200 and corrected.json()["title"] == "改"
    village = client_as(v21_secretary)
    assert village.post(f"{API}{pk}/transition/", {"step": "respond"}, **JSON).status_code == 400  # needs its text
    responded = village.post(f"{API}{pk}/transition/", {"step": "respond", "comment": "已建台账"}, **JSON)
    assert responded.status_code == 200 and responded.json()["response"] == "已建台账"
    assert village.post(f"{API}{pk}/transition/", {"step": "accept"}, **JSON).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "subject": "rules", "method": "written", "guidance": "x"},
        {"title": "t", "subject": "nonsense", "method": "written", "guidance": "x"},
        {"title": "t", "subject": "rules", "method": "written", "guidance": "x" * 5001},
        {"title": "t" * 201, "subject": "rules", "method": "written", "guidance": "x"},
    ],
)
def test_bad_input_is_400_and_saves_nothing(tree, client_as, gb2_secretary, body):
    answer = client_as(gb2_secretary).post(API, {"village": tree.v21.pk, **body}, **JSON)
    assert answer.status_code == 400
    assert not OrganizationGuidance.objects.exists()


def test_a_village_of_another_general_branch_cannot_be_chosen(tree, client_as, gb2_secretary, case):
    body = {"village": tree.v11.pk, "title": "t", "subject": "rules", "method": "written", "guidance": "x"}
    assert client_as(gb2_secretary).post(API, body, **JSON).status_code == 400
    assert client_as(gb2_secretary).post(f"{API}{case.pk}/transition/", {"step": "explode"}, **JSON).status_code == 400
