"""The task API: the same scope and filters as the pages; deploying and reporting progress through the same
services, with the same refusals."""

import pytest

from anding.models import AuditEvent
from branches.models import Task, TaskProgress

from .. import kit
from .conftest import DONE, assignment, days, report


def api_deploy(client, issuer, assignees, data=None):
    data = {
        "issued_by": issuer.pk,
        "title": "API部署的任务",
        "due_date": days(5).isoformat(),
        "assignees": [a.pk for a in assignees],
        **(data or {}),
    }
    return client.post("/api/tasks/", data, content_type="application/json")


@pytest.mark.parametrize("path", ["/api/tasks/", "/api/task-assignments/"])
def test_anonymous_api_caller_is_refused(check_access, tree, town_task, path):
    check_access("anonymous", path, kit.LOGIN)
    check_access("anonymous", path, kit.LOGIN, method="post", data={}, content_type="application/json")


def test_the_api_lists_tasks_with_the_assignees_the_caller_may_see(
    client_as, tree, town_task, g1_task, town_cadre, gb_secretary, gb2_secretary, village_secretary
):
    def listed(user):
        return {
            t["title"]: [a["assignee"]["code"] for a in t["assignments"]]
            for t in client_as(user).get("/api/tasks/").json()["results"]
        }

    assert listed(town_cadre) == {town_task.title: ["G1", "G2"], g1_task.title: ["V11", "V12"]}
    assert listed(gb_secretary) == {town_task.title: ["G1"], g1_task.title: ["V11", "V12"]}
    assert listed(gb2_secretary) == {town_task.title: ["G2"]}
    assert listed(village_secretary) == {g1_task.title: ["V11"]}
    detail = client_as(gb2_secretary).get(f"/api/tasks/{town_task.pk}/").json()
    assert (detail["assignee_total"], detail["done_count"], detail["is_overdue"]) == (1, 0, False)
    assert client_as(gb2_secretary).get(f"/api/tasks/{g1_task.pk}/").status_code == 404


def test_the_api_filters_with_the_same_filterset(client_as, tree, town_cadre, three_tasks):
    client = client_as(town_cadre)

    overdue = client.get("/api/tasks/?status=overdue").json()["results"]
    bad = client.get("/api/tasks/?month=garbage")

    assert [t["title"] for t in overdue] == [three_tasks["late"].title]
    assert bad.status_code == 400


def test_the_api_deploys_through_the_service(client_as, tree, town_cadre):
    response = api_deploy(client_as(town_cadre), tree.town, [tree.g1, tree.v21])

    assert response.status_code == 201
    body = response.json()
    task = Task.objects.get(pk=body["id"])
    assert sorted(a["assignee"]["code"] for a in body["assignments"]) == ["G1", "V21"]
    assert task.created_by == town_cadre
    assert AuditEvent.objects.filter(action="task_deploy", object_id=str(task.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_date": "2000-01-01"}, "due_date"),
        ({"assignees": []}, "assignees"),
        ({"title": ""}, "title"),
    ],
)
def test_the_api_refuses_bad_deploy_input(client_as, tree, gb_secretary, overrides, field):
    response = api_deploy(client_as(gb_secretary), tree.g1, [tree.v11], data=overrides)

    assert response.status_code == 400
    assert field in response.json()
    assert not Task.objects.exists()


def test_the_api_refuses_a_sibling_village_and_a_foreign_issuer(client_as, tree, gb_secretary):
    client = client_as(gb_secretary)

    sibling = api_deploy(client, tree.g1, [tree.v11, tree.v21])
    foreign = api_deploy(client, tree.town, [tree.v11])

    assert sibling.status_code == foreign.status_code == 400
    assert "assignees" in sibling.json()
    assert "issued_by" in foreign.json()
    assert not Task.objects.exists()


def test_the_api_reports_progress_through_the_service(client_as, tree, village_secretary, g1_task):
    a = assignment(g1_task, tree.v11)
    client = client_as(village_secretary)
    url = f"/api/task-assignments/{a.pk}/progress/"

    ok = client.post(url, {"status": DONE, "note": "已完成", "version": 1}, content_type="application/json")
    stale = client.post(url, {"status": DONE, "note": "again", "version": 1}, content_type="application/json")
    empty = client.post(url, {"status": DONE, "note": " ", "version": 2}, content_type="application/json")
    bad_status = client.post(url, {"status": "gone", "note": "x", "version": 2}, content_type="application/json")

    assert ok.status_code == 200
    assert (ok.json()["status"], ok.json()["version"], ok.json()["progress"][0]["note"]) == (DONE, 2, "已完成")
    assert stale.status_code == 409  # a stale version is a conflict, as for every API save
    assert stale.json()["code"] == "stale"
    assert empty.status_code == bad_status.status_code == 400
    assert "note" in empty.json()
    assert "status" in bad_status.json()
    assert TaskProgress.objects.count() == 1


def test_the_api_progress_action_is_scoped_and_checks_the_role(
    client_as, tree, deputy, gb2_secretary, village_secretary, g1_task
):
    a = assignment(g1_task, tree.v11)
    other = assignment(g1_task, tree.v12)
    data = {"status": DONE, "note": "x"}

    def post(user, target):
        return client_as(user).post(
            f"/api/task-assignments/{target.pk}/progress/", data, content_type="application/json"
        )

    assert post(deputy, a).status_code == 403  # sees it, may not report
    assert post(gb2_secretary, a).status_code == 404
    assert post(village_secretary, other).status_code == 404
    assert not TaskProgress.objects.exists()


def test_the_api_lists_assignments_in_scope(client_as, tree, gb_secretary, village_secretary, town_task, g1_task):
    def codes(user, query=""):
        return [a["assignee"]["code"] for a in client_as(user).get("/api/task-assignments/" + query).json()["results"]]

    report(village_secretary, assignment(g1_task, tree.v11), DONE)

    assert sorted(codes(gb_secretary)) == ["G1", "V11", "V12"]
    assert codes(village_secretary) == ["V11"]
    assert codes(gb_secretary, "?status=done") == ["V11"]


def test_the_api_schema_describes_the_task_endpoints(client_as, town_cadre):
    schema = client_as(town_cadre).get("/api/schema/?format=json").json()

    assert "/api/tasks/" in schema["paths"]
    assert "post" in schema["paths"]["/api/tasks/"]
    assert "/api/task-assignments/{id}/progress/" in schema["paths"]
