"""API POSTs take an Idempotency-Key (issue 6): a retried or parallel create with the same key creates one record,
and every repeat gets the first answer; the same key on another request is refused (422); a refused request leaves
the key unspent."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from anding.models import IdempotencyKey
from branches import actions
from branches.models import Meeting, MonthlyReport, ReportTransition, Task


def plan(tree, title="十二月支委会"):
    planned_for = timezone.localdate() + datetime.timedelta(days=3)
    return {"organization": tree.v11.pk, "kind": "branch_committee", "title": title, "planned_for": str(planned_for)}


def post(client, path, body, key, **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(path, body, content_type="application/json", headers=headers)


def test_a_repeated_meeting_plan_creates_one_meeting_and_answers_the_same(client_as, tree, village_secretary):
    client, key = client_as(village_secretary), str(uuid.uuid4())

    first = post(client, "/api/meetings/", plan(tree), key)
    second = post(client, "/api/meetings/", plan(tree), key)

    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Meeting.objects.filter(title="十二月支委会").count() == 1


def test_without_a_key_every_post_creates(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    post(client, "/api/meetings/", plan(tree), None)
    post(client, "/api/meetings/", plan(tree), None)

    assert Meeting.objects.filter(title="十二月支委会").count() == 2


def test_a_repeated_task_deploy_deploys_one_task(client_as, tree, town_cadre):
    client, key = client_as(town_cadre), "deploy-2026-12-fire"
    body = {
        "issued_by": tree.town.pk,
        "title": "冬季防火检查",
        "due_date": str(timezone.localdate() + datetime.timedelta(days=10)),
        "assignees": [tree.g1.pk, tree.g2.pk],
    }

    answers = [post(client, "/api/tasks/", body, key) for _ in range(3)]

    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert Task.objects.filter(title="冬季防火检查").count() == 1


def test_a_repeated_report_start_gets_the_first_answer(client_as, tree, village_secretary):
    client = client_as(village_secretary)
    body = {"village": tree.v11.pk, "month": f"{timezone.localdate():%Y-%m}"}

    first = post(client, "/api/reports/", body, "start-1")
    again = post(client, "/api/reports/", body, "start-1")
    without = post(client, "/api/reports/", body, None)

    assert (first.status_code, again.status_code, without.status_code) == (201, 201, 200)
    assert again.content == first.content
    assert MonthlyReport.objects.filter(village=tree.v11).count() == 1


def test_a_repeated_transition_is_answered_from_the_first(client_as, tree, village_secretary):
    month = timezone.localdate().replace(day=1)
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=month)
    actions.report_save(
        actor=village_secretary, report=report, version=report.version, narrative="做了", problems="", requests=""
    )
    client = client_as(village_secretary)

    first = post(client, f"/api/reports/{report.pk}/submit/", {}, "submit-1")
    second = post(client, f"/api/reports/{report.pk}/submit/", {}, "submit-1")

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert ReportTransition.objects.filter(report=report, to_status="submitted").count() == 1


def test_the_same_key_on_another_body_or_path_is_refused(client_as, tree, village_secretary):
    client, key = client_as(village_secretary), "plan-1"
    post(client, "/api/meetings/", plan(tree), key)

    other_body = post(client, "/api/meetings/", plan(tree, title="另一个会"), key, accept_language="en")
    other_path = post(client, "/api/reports/", {"village": tree.v11.pk, "month": "2026-01"}, key)

    assert other_body.status_code == other_path.status_code == 422
    assert other_body.json()["detail"].startswith("This Idempotency-Key was used before for a different request")
    assert other_body.json()["code"] == other_path.json()["code"] == "idempotency_key_reused"
    assert "幂等键" in other_path.json()["detail"]  # the portal's language: Chinese
    assert not Meeting.objects.filter(title="另一个会").exists()
    assert not MonthlyReport.objects.exists()


def test_keys_belong_to_their_user(client_as, tree, village_secretary, town_cadre):
    first = post(client_as(village_secretary), "/api/meetings/", plan(tree), "shared")
    second = post(client_as(town_cadre), "/api/meetings/", plan(tree), "shared")

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_a_refused_request_does_not_spend_its_key(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    refused = post(client, "/api/meetings/", {**plan(tree), "title": ""}, "plan-2")
    accepted = post(client, "/api/meetings/", plan(tree), "plan-2")

    assert (refused.status_code, accepted.status_code) == (400, 201)
    assert IdempotencyKey.objects.get(key="plan-2").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "键", "two words"])
def test_a_malformed_key_is_refused(client_as, tree, village_secretary, key):
    response = post(client_as(village_secretary), "/api/meetings/", plan(tree), key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Meeting.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_plans_with_one_key_make_one_meeting_on_postgresql(tree, village_secretary):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with real concurrent transactions")
    token = Token.objects.create(user=village_secretary).key
    barrier, answers = threading.Barrier(10), []

    def call():
        try:
            barrier.wait()
            response = Client().post(
                "/api/meetings/",
                plan(tree),
                content_type="application/json",
                headers={"Authorization": f"Token {token}", "Idempotency-Key": "parallel"},
            )
            answers.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 10
    assert {status for status, _ in answers} == {201}
    assert len({content for _, content in answers}) == 1
    assert Meeting.objects.filter(title="十二月支委会").count() == 1


# Keys expire (issue 8) ----------------------------------------------------------------------------------------


def age(key: str, days: float) -> None:
    IdempotencyKey.objects.filter(key=key).update(created_at=timezone.now() - datetime.timedelta(days=days))


def test_a_key_older_than_the_setting_counts_as_unused(client_as, settings, tree, village_secretary):
    settings.IDEMPOTENCY_KEY_DAYS = 7
    client = client_as(village_secretary)
    first = post(client, "/api/meetings/", plan(tree), "weekly")
    age("weekly", 6)
    kept = post(client, "/api/meetings/", plan(tree, "另一个"), "weekly")  # within the week: still spent
    age("weekly", 8)

    again = post(client, "/api/meetings/", plan(tree, "下周支委会"), "weekly")

    assert first.status_code == 201 and kept.status_code == 422
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Meeting.objects.filter(title="下周支委会").count() == 1
    stored = IdempotencyKey.objects.get(key="weekly")  # the new request's key replaced the old one
    assert stored.created_at > timezone.now() - datetime.timedelta(hours=1)


def test_purge_idempotency_keys_deletes_the_expired_ones(client_as, settings, tree, village_secretary):
    from io import StringIO

    from django.core.management import call_command

    settings.IDEMPOTENCY_KEY_DAYS = 7
    client = client_as(village_secretary)
    for key in ("old", "new"):
        post(client, "/api/meetings/", plan(tree, key), key)
    age("old", 8)
    out = StringIO()

    call_command("purge_idempotency_keys", stdout=out)

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert "Deleted 1 " in out.getvalue()
    call_command("purge_idempotency_keys", "--days", "0", stdout=out)
    assert not IdempotencyKey.objects.exists()
