"""The committee pages in Chinese (the default language): posts and terms of the glossary."""

import pytest
from django.utils import translation

from branches.choices import MeetingKind

from ..conftest import plan


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield


def test_the_record_page_of_a_committee_meeting_names_the_posts(client_as, tree, village_secretary, v11_committee):
    meeting = plan(village_secretary, tree.v11, kind=MeetingKind.BRANCH_COMMITTEE)

    page = client_as(village_secretary).get(f"/meetings/{meeting.pk}/record/").content.decode()

    assert "书记" in page and "组织委员" in page and "宣传委员" in page
    assert "每行为一名支部委员" in page


def test_the_village_page_shows_the_committee_in_chinese(client_as, tree, village_secretary, v11_committee, v11_groups):
    page = client_as(village_secretary).get(f"/org/{tree.v11.pk}/").content.decode()

    assert "支部委员会" in page and "党小组" in page and "党小组组长" in page


def test_the_new_rules_answer_in_chinese(client_as, tree, village_secretary, v11_roster, v11_groups):
    client = client_as(village_secretary)
    plan_body = {"organization": tree.v11.pk, "kind": "party_group", "title": "党小组会", "planned_for": "2026-12-01"}
    group_body = {"village": tree.v11.pk, "name": "第三党小组", "leader": v11_roster[1].pk}

    planned = client.post("/api/meetings/", plan_body, content_type="application/json")
    grouped = client.post("/api/party-groups/", group_body, content_type="application/json")

    assert planned.json()["party_group"] == ["请选择开会的党小组：其成员即出席名单。"]
    assert grouped.json()["members"] == [f"{v11_roster[1].name}已在党小组第一党小组中：一名党员只能属于一个党小组。"]
