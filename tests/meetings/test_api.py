"""The meeting API: the same scope as the pages, and planning, recording and review through the same services."""

import datetime

import pytest

from branches.choices import MeetingStatus
from branches.models import MeetingAttendance

from .conftest import today


def test_api_access(client_as, client, gb_secretary, gb2_secretary, village_secretary, v11_held):
    url = f"/api/meetings/{v11_held.pk}/"

    assert client.get("/api/meetings/").status_code in (401, 403)
    assert client_as(gb2_secretary).get(url).status_code == 404
    assert client_as(gb2_secretary).get("/api/meetings/").json()["count"] == 0
    data = client_as(gb_secretary).get(url).json()
    assert data["status"] == MeetingStatus.HELD
    assert data["present_count"] == 3 and data["absent_count"] == 0
    assert len(data["attendance"]) == 3
    listed = client_as(village_secretary).get("/api/meetings/?kind=branch_committee").json()
    assert [m["id"] for m in listed["results"]] == [v11_held.pk]


def test_api_plan_record_review(client_as, tree, village_secretary, gb_secretary):
    vs, gb = client_as(village_secretary), client_as(gb_secretary)
    members = tree.members["v11"]

    created = vs.post(
        "/api/meetings/",
        {"organization": tree.v11.pk, "kind": "party_lecture", "title": "党课", "planned_for": today().isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    attendance = [{"member": m.pk, "present": True} for m in members[1:]]
    attendance.append({"member": members[0].pk, "present": False, "absence_reason": "生病"})
    body = {"version": 1, "held_on": today().isoformat(), "place": "党员活动室", "attendance": attendance}

    recorded = vs.post(f"/api/meetings/{pk}/record/", body, content_type="application/json")
    refused = vs.post(f"/api/meetings/{pk}/review/", {"comment": "好"}, content_type="application/json")
    reviewed = gb.post(f"/api/meetings/{pk}/review/", {"comment": "好"}, content_type="application/json")

    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["present_count"] == 2 and recorded.json()["absent_count"] == 1
    assert refused.status_code == 403
    assert reviewed.status_code == 200 and reviewed.json()["status"] == MeetingStatus.REVIEWED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("future", "future"),
        ("stranger", "attendance list"),
        ("no_reason", "reason"),
        ("stale", "Someone else saved"),
    ],
)
def test_api_record_refuses_bad_input(client_as, tree, village_secretary, v11_meeting, change, message):
    members = tree.members["v11"]
    body = {
        "version": v11_meeting.version,
        "held_on": today().isoformat(),
        "attendance": [{"member": m.pk, "present": True} for m in members],
    }
    if change == "future":
        body["held_on"] = (today() + datetime.timedelta(days=2)).isoformat()
    elif change == "stranger":
        body["attendance"].append({"member": tree.members["v21"][0].pk, "present": True})
    elif change == "no_reason":
        body["attendance"][0] = {"member": members[0].pk, "present": False, "absence_reason": ""}
    elif change == "stale":
        body["version"] = v11_meeting.version + 5

    response = client_as(village_secretary).post(
        f"/api/meetings/{v11_meeting.pk}/record/", body, content_type="application/json"
    )

    assert response.status_code == (409 if change == "stale" else 400)  # a stale version is a conflict
    assert message in response.content.decode()
    assert tree.members["v21"][0].name not in response.content.decode()
    v11_meeting.refresh_from_db()
    assert v11_meeting.status == MeetingStatus.PLANNED
    assert not MeetingAttendance.objects.exists()


def test_api_record_by_a_deputy_is_forbidden(client_as, tree, deputy, v11_meeting):
    body = {"held_on": today().isoformat(), "attendance": []}

    response = client_as(deputy).post(f"/api/meetings/{v11_meeting.pk}/record/", body, content_type="application/json")

    assert response.status_code == 403
