"""The recruitment's API: scoped reads with masked ID numbers, opening a case, recording the next step (refusals
name the rule), the Idempotency-Key, and 404 out of scope."""

import json

import pytest

from branches.models import RecruitmentCase

from ..cases import RECRUITMENT_DATES as D
from ..cases import id_number, recruit

API = "/api/recruitment/"


def post(client, path, data, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(path, json.dumps(data), content_type="application/json", **headers)


@pytest.fixture
def case(tree, v21_secretary):
    return recruit(v21_secretary, tree.v21, 6)


def test_reads_are_scoped_and_masked(client_as, case, gb2_secretary, gb_secretary):
    rows = client_as(gb2_secretary).get(API).json()["results"]
    assert [r["id"] for r in rows] == [case.pk]
    assert rows[0]["id_number"].startswith("110115") and rows[0]["id_number"].endswith("*")
    assert len(rows[0]["steps"]) == 6 and rows[0]["next_step"] == 7
    assert client_as(gb_secretary).get(API).json()["results"] == []
    assert client_as(gb_secretary).get(f"{API}{case.pk}/").status_code == 404
    assert (
        post(client_as(gb_secretary), f"{API}{case.pk}/steps/", {"number": 7, "done_on": "2023-03-02"}).status_code
        == 404
    )


def test_open_and_record_with_the_rule_named(tree, client_as, v21_secretary, g2_deputy, case):
    client = client_as(v21_secretary)
    data = {
        "village": tree.v21.pk,
        "name": "周敏",
        "gender": "female",
        "birth_date": "1995-03-10",
        "id_number": id_number(seq=22),
        "applied_on": D[1].isoformat(),
    }
    created = post(client, API, data, key="open-1")
    assert created.status_code == 201 and created.json()["stage"] == "applicant"
    again = post(client, API, data, key="open-1")
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]
    assert RecruitmentCase.objects.count() == 2
    refused = post(client, f"{API}{case.pk}/steps/", {"number": 7, "done_on": "2023-02-01"})
    assert refused.status_code == 400 and "培养教育一年以上" in refused.json()["done_on"][0]
    recorded = post(client, f"{API}{case.pk}/steps/", {"number": 7, "done_on": "2023-03-02", "people": "李明"})
    assert recorded.status_code == 201 and recorded.json()["stage"] == "candidate"
    assert (
        post(client_as(g2_deputy), f"{API}{case.pk}/steps/", {"number": 8, "done_on": "2023-03-10"}).status_code == 403
    )
    long = post(client, f"{API}{case.pk}/steps/", {"number": 8, "done_on": "2023-03-10", "people": "x" * 201})
    assert long.status_code == 400 and "people" in long.json()
