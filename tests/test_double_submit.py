"""Create forms carry a one-time token: a double click or a resubmitted page creates one record, not two."""

import datetime
import uuid

from django.utils import timezone

from branches.models import Meeting, PartyMember, Task

from .factories import member_form_data


def test_34_member_form_submitted_twice_adds_one_member(client_as, tree, village_secretary):
    client = client_as(village_secretary)
    data = {**member_form_data(tree.v11, name="赵六"), "form_token": str(uuid.uuid4())}
    first = client.post("/members/add/", data)
    second = client.post("/members/add/", data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert PartyMember.objects.filter(name="赵六").count() == 1


def test_meeting_plan_submitted_twice_plans_one_meeting(client_as, tree, village_secretary):
    client = client_as(village_secretary)
    data = {
        "organization": tree.v11.pk,
        "kind": "branch_committee",
        "title": "十二月支委会",
        "planned_for": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "topics": "",
        "form_token": str(uuid.uuid4()),
    }
    responses = [client.post("/meetings/add/", data) for _ in range(2)]
    assert {r.status_code for r in responses} == {302}
    assert Meeting.objects.filter(title="十二月支委会").count() == 1


def test_task_deploy_submitted_twice_deploys_one_task(client_as, tree, town_cadre):
    client = client_as(town_cadre)
    data = {
        "issued_by": tree.town.pk,
        "title": "冬季防火检查",
        "description": "",
        "due_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "assignees": [tree.g1.pk, tree.g2.pk],
        "form_token": str(uuid.uuid4()),
    }
    responses = [client.post("/tasks/add/", data) for _ in range(2)]
    assert {r.status_code for r in responses} == {302}
    assert Task.objects.filter(title="冬季防火检查").count() == 1


def test_a_refused_form_does_not_spend_its_token(client_as, tree, village_secretary):
    client = client_as(village_secretary)
    token = str(uuid.uuid4())
    bad = {**member_form_data(tree.v11, name=""), "form_token": token}
    assert client.post("/members/add/", bad).status_code == 200
    good = {**member_form_data(tree.v11, name="钱七"), "form_token": token}
    assert client.post("/members/add/", good).status_code == 302
    assert PartyMember.objects.filter(name="钱七").count() == 1


def test_the_form_page_carries_a_fresh_token(client_as, tree, village_secretary):
    client = client_as(village_secretary)
    tokens = {client.get("/members/add/").context["form_token"] for _ in range(2)}
    assert len(tokens) == 2


def _approved_report(tree, village_secretary, deputy, gb_secretary):
    from branches import actions

    month = timezone.localdate().replace(day=1)
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=month)
    report = actions.report_save(
        actor=village_secretary, report=report, version=report.version, narrative="本月", problems="", requests=""
    )
    report = actions.report_submit(actor=village_secretary, report=report)
    report = actions.report_check(actor=deputy, report=report)
    return actions.report_approve(actor=gb_secretary, report=report)


def test_a_repeated_approval_by_the_approver_changes_nothing(client_as, tree, village_secretary, deputy, gb_secretary):
    report = _approved_report(tree, village_secretary, deputy, gb_secretary)

    response = client_as(gb_secretary).post(f"/api/reports/{report.pk}/approve/")

    assert response.status_code == 200
    assert report.transitions.count() == 3


def test_the_repeated_click_shortcut_checks_who_acts(
    client_as, tree, village_secretary, deputy, gb_secretary, town_cadre
):
    """Someone in scope but not the reviewer "repeating" an approval or a first review is refused, as before it."""
    report = _approved_report(tree, village_secretary, deputy, gb_secretary)

    for user in (village_secretary, deputy, town_cadre):
        assert client_as(user).post(f"/api/reports/{report.pk}/approve/").status_code == 403
        assert client_as(user).post(f"/reports/{report.pk}/approve/").status_code == 403
    report.status = "checked"  # as if the first review had just passed
    type(report).objects.filter(pk=report.pk).update(status="checked")
    assert client_as(village_secretary).post(f"/api/reports/{report.pk}/check/").status_code == 403
    assert report.transitions.count() == 3
