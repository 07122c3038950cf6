"""What the audit trail records besides the changes (docs/SECURITY.md, "What the audit trail records"): reads of
personal data, out-of-scope access and 403s, refused workflow steps, and the security events of checklist item 17.
Refusals and denials are written after the refused request's transactions: they survive its rollback."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anding import duties
from anding.models import AuditEvent, IdempotencyKey
from branches import actions
from branches.choices import ReportStatus
from branches.models import MonthlyReport, OrganizationGuidance

from .cases import open_case, recruit
from .conftest import plan
from .factories import PASSWORD, UserFactory
from .reports.conftest import THIS_MONTH, make_report, people  # noqa: F401  (the fixture `people`)

IP = "203.0.113.9"
FAIL, OK = AuditEvent.Result.FAILURE, AuditEvent.Result.SUCCESS


def events(action, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


def assert_complete(event, actor, *, obj=None, result=OK, ip=IP):
    """The fields item 17 asks of every row: a TZ-aware time, the user, the address, the action, object, result."""
    assert event.at.tzinfo is not None and event.at.utcoffset() is not None
    assert event.actor == actor and event.actor_name == actor.get_username()
    assert event.ip_address == ip
    assert event.result == result
    if obj is not None:
        assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))


# --- item 13: another village's report ------------------------------------------------------------------------------


def test_13_out_of_scope_report_is_404_and_audited(people, tree, client_as):  # noqa: F811
    own = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    other = make_report(people, tree, "v12", THIS_MONTH, ReportStatus.SUBMITTED, problems="西庄的问题")
    client = client_as(people["sec"]["v11"])
    json = {"content_type": "application/json", "REMOTE_ADDR": IP}

    answers = {
        ("GET", "page"): client.get(f"/reports/{other.pk}/", REMOTE_ADDR=IP),
        ("POST", "page"): client.post(f"/reports/{other.pk}/edit/", {"problems": "x"}, REMOTE_ADDR=IP),
        ("GET", "api"): client.get(f"/api/reports/{other.pk}/", REMOTE_ADDR=IP),
        ("PATCH", "api"): client.patch(f"/api/reports/{other.pk}/", {"problems": "x", "version": 1}, **json),
    }
    for (method, where), response in answers.items():
        assert response.status_code == 404, (method, where)
        assert "西庄的问题" not in response.content.decode()
    # PUT and DELETE are offered for no report: 405 for every one alike, nothing read, so no event
    for method in ("put", "delete"):
        response = getattr(client, method)(f"/api/reports/{other.pk}/", {"problems": "x"}, **json)
        assert response.status_code == 405 and "西庄的问题" not in response.content.decode()

    denied = events("access_denied")
    assert len(denied) == len(answers)  # one event per request
    for event in denied:
        assert_complete(event, people["sec"]["v11"], obj=other, result=FAIL)
    assert {(e.detail["method"], e.detail["path"]) for e in denied} == {
        ("GET", f"/reports/{other.pk}/"),
        ("POST", f"/reports/{other.pk}/edit/"),
        ("GET", f"/api/reports/{other.pk}/"),
        ("PATCH", f"/api/reports/{other.pk}/"),
    }
    other.refresh_from_db()
    assert other.problems == "西庄的问题"
    assert [r.pk for r in client.get("/reports/").context["object_list"]] == [own.pk]
    assert [r["id"] for r in client.get("/api/reports/").json()["results"]] == [own.pk]


def test_13_a_report_that_does_not_exist_is_404_and_no_event(people, client_as):  # noqa: F811
    client = client_as(people["sec"]["v11"])
    assert client.get("/reports/999999/").status_code == 404
    assert client.get("/api/reports/999999/").status_code == 404
    assert not AuditEvent.objects.filter(result=FAIL).exists()


def test_13_an_anonymous_request_sent_to_the_login_is_no_event(people, tree, client):  # noqa: F811
    report = make_report(people, tree, "v12", THIS_MONTH, ReportStatus.SUBMITTED)
    assert client.get(f"/reports/{report.pk}/").status_code == 302
    assert client.get(f"/api/reports/{report.pk}/").status_code in (401, 403)
    assert not AuditEvent.objects.filter(result=FAIL).exists()


# --- item 14: reviews only in one's own subtree ---------------------------------------------------------------------


def test_14_a_general_branch_secretary_reviews_only_their_subtree_and_a_village_cannot_approve(
    people,  # noqa: F811
    tree,
    client_as,
):
    sibling = make_report(people, tree, "v21", THIS_MONTH, ReportStatus.SUBMITTED)
    gb1 = client_as(people["gb1"])
    assert gb1.post(f"/reports/{sibling.pk}/approve/", REMOTE_ADDR=IP).status_code == 404
    assert gb1.post(f"/api/reports/{sibling.pk}/approve/", REMOTE_ADDR=IP).status_code == 404
    denied = events("access_denied")
    assert len(denied) == 2
    for event in denied:
        assert_complete(event, people["gb1"], obj=sibling, result=FAIL)

    own = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.CHECKED)
    village = client_as(people["sec"]["v11"])
    assert village.post(f"/reports/{own.pk}/approve/", REMOTE_ADDR=IP).status_code == 403
    assert village.post(f"/api/reports/{own.pk}/approve/", REMOTE_ADDR=IP).status_code == 403
    refused = AuditEvent.objects.filter(actor=people["sec"]["v11"], result=FAIL).order_by("id")
    assert len(refused) == 2  # one event per request
    for event in refused:
        assert event.action in ("permission_denied", "transition_refused")
        assert_complete(event, people["sec"]["v11"], result=FAIL)
    sibling.refresh_from_db()
    own.refresh_from_db()
    assert (sibling.status, own.status) == (ReportStatus.SUBMITTED, ReportStatus.CHECKED)


def test_14_a_403_names_the_path_and_method(people, tree, client_as):  # noqa: F811
    client = client_as(people["outsider"])
    assert client.get("/reports/write/", REMOTE_ADDR=IP).status_code == 403
    (event,) = events("permission_denied")
    assert_complete(event, people["outsider"], result=FAIL)
    assert event.detail == {"path": "/reports/write/", "method": "GET", "status": 403}


# --- reads of personal data ---------------------------------------------------------------------------------------


def test_17_member_detail_page_and_api_reads_are_audited_without_the_numbers(tree, client_as, village_secretary):
    member = tree.members["v11"][0]
    client = client_as(village_secretary)
    assert client.get(f"/members/{member.pk}/", REMOTE_ADDR=IP).status_code == 200
    assert client.get(f"/api/members/{member.pk}/", REMOTE_ADDR=IP).status_code == 200
    assert client.get("/members/", REMOTE_ADDR=IP).status_code == 200  # a list shows masks: not audited by row

    reads = events("member_view")
    assert len(reads) == 2
    for event in reads:
        assert_complete(event, village_secretary, obj=member)
        assert member.id_number not in str(event.detail) + event.object_repr
        assert member.phone[-4:] not in str(event.detail)


def test_17_recruit_and_household_reads_are_audited(tree, client_as, gb2_secretary, g2_household):
    case = recruit(gb2_secretary, tree.v21)
    client = client_as(gb2_secretary)
    for path in (
        f"/recruitment/{case.pk}/",
        f"/api/recruitment/{case.pk}/",
        f"/services/households/{g2_household.pk}/",
        f"/api/households/{g2_household.pk}/",
    ):
        assert client.get(path, REMOTE_ADDR=IP).status_code == 200, path
    assert len(events("recruitment_view", object_id=str(case.pk))) == 2
    assert len(events("household_view", object_id=str(g2_household.pk))) == 2


def test_17_an_out_of_scope_member_is_404_and_audited(tree, client_as, village_secretary):
    outside = tree.members["v21"][0]
    client = client_as(village_secretary)
    assert client.get(f"/members/{outside.pk}/", REMOTE_ADDR=IP).status_code == 404
    assert client.get(f"/api/members/{outside.pk}/", REMOTE_ADDR=IP).status_code == 404
    assert not events("member_view")
    assert len(events("access_denied", object_id=str(outside.pk))) == 2


# --- refused workflow steps -----------------------------------------------------------------------------------------


def test_17_a_refused_report_step_is_audited_with_its_reason(people, tree, client_as):  # noqa: F811
    draft = make_report(people, tree, "v21", THIS_MONTH, ReportStatus.DRAFT)
    response = client_as(people["gb2"]).post(f"/api/reports/{draft.pk}/approve/", REMOTE_ADDR=IP)
    assert response.status_code == 400
    (event,) = events("transition_refused")
    assert_complete(event, people["gb2"], obj=draft, result=FAIL)
    assert event.detail == {"step": "report_approve", "reason": "state"}

    # refused by the pages themselves, before any service: a return of a draft, an edit of a submitted report
    assert client_as(people["gb2"]).post(f"/reports/{draft.pk}/return/", {"reason": "x"}).status_code == 302
    submitted = make_report(people, tree, "v22", THIS_MONTH, ReportStatus.SUBMITTED)
    edit = client_as(people["sec"]["v22"]).post(f"/reports/{submitted.pk}/edit/", {"narrative": "x", "version": 1})
    assert edit.status_code == 302
    steps = [(e.object_id, e.detail["step"], e.detail["reason"]) for e in events("transition_refused")[1:]]
    assert steps == [(str(draft.pk), "report_return", "state"), (str(submitted.pk), "report_save", "state")]


def test_17_a_refused_power_case_step_is_audited(tree, client_as, gb2_secretary, village_secretary):
    case = open_case(OrganizationGuidance.power, gb2_secretary, tree.v21)
    path = reverse(f"branches:{case.power}_transition", args=(case.pk, "accept"))
    response = client_as(gb2_secretary).post(path, {"version": case.version}, REMOTE_ADDR=IP)  # a draft: no accept
    assert response.status_code in (200, 302)
    with pytest.raises(PermissionDenied):  # another general branch's village
        actions.case_transition(actor=village_secretary, case=case, name="give")

    state, permission = events("transition_refused")
    assert_complete(state, gb2_secretary, obj=case, result=FAIL)
    assert state.detail == {"step": f"{case.power}_accept", "reason": "state"}
    assert (permission.actor, permission.object_id) == (village_secretary, str(case.pk))
    assert permission.detail == {"step": f"{case.power}_give", "reason": "permission"}
    case.refresh_from_db()
    assert case.status == OrganizationGuidance.Status.DRAFT


def test_17_refused_meeting_and_recruitment_steps_are_audited(tree, gb_secretary, gb2_secretary, village_secretary):
    meeting = plan(village_secretary, tree.v11)
    with pytest.raises(ValidationError):  # planned, not held: nothing to review yet
        actions.meeting_review(actor=gb_secretary, meeting=meeting, comment="好")
    case = recruit(gb2_secretary, tree.v21)
    with pytest.raises(PermissionDenied):  # another general branch's recruit
        actions.recruitment_record_step(actor=gb_secretary, case=case, number=2, done_on=datetime.date.today())

    review, step = events("transition_refused")
    assert (review.actor, review.object_id, review.detail) == (
        gb_secretary,
        str(meeting.pk),
        {"step": "meeting_review", "reason": "state"},
    )
    assert (step.actor, step.object_id, step.detail) == (
        gb_secretary,
        str(case.pk),
        {"step": "recruitment_record_step", "reason": "permission"},
    )


def test_17_a_field_error_is_no_refusal(people, tree):  # noqa: F811
    report = make_report(people, tree, "v21", THIS_MONTH, ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        actions.report_return(actor=people["gb2"], report=report, reason="  ")  # the reason is missing
    assert not events("transition_refused")


# --- the event survives the refused request's rollback ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_17_a_refusal_event_survives_the_rollback_of_its_request(people, tree, client_as):  # noqa: F811
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.CHECKED)
    client = client_as(people["sec"]["v11"])
    response = client.post(f"/api/reports/{report.pk}/approve/", HTTP_IDEMPOTENCY_KEY="k-1", REMOTE_ADDR=IP)
    assert response.status_code == 403
    assert not IdempotencyKey.objects.exists()  # the request's transaction was rolled back
    (event,) = AuditEvent.objects.filter(actor=people["sec"]["v11"], result=FAIL)
    assert event.action in ("transition_refused", "permission_denied")
    assert MonthlyReport.objects.get(pk=report.pk).status == ReportStatus.CHECKED


@pytest.mark.django_db(transaction=True)
def test_17_an_access_denial_survives_the_rollback_of_its_request(people, tree, client_as):  # noqa: F811
    other = make_report(people, tree, "v12", THIS_MONTH, ReportStatus.SUBMITTED)
    client = client_as(people["sec"]["v11"])
    response = client.post(f"/api/reports/{other.pk}/submit/", HTTP_IDEMPOTENCY_KEY="k-2", REMOTE_ADDR=IP)
    assert response.status_code == 404
    assert not IdempotencyKey.objects.exists()
    (event,) = events("access_denied")
    assert_complete(event, people["sec"]["v11"], obj=other, result=FAIL)


# --- item 17: the security events ---------------------------------------------------------------------------------


def test_17_audit_rows_exist_for_login_logout_password_and_role_changes(client, client_as, tree, secadmin, sysadmin):
    user = UserFactory(username="clerk")
    assert (
        client.post("/accounts/login/", {"username": "clerk", "password": "wrong"}, REMOTE_ADDR=IP).status_code == 200
    )
    assert (
        client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR=IP).status_code == 302
    )
    assert client.post("/accounts/logout/", REMOTE_ADDR=IP).status_code == 302
    (failed,) = events("login_failed")
    assert failed.result == FAIL and failed.actor_name == "clerk" and failed.ip_address == IP
    assert_complete(events("login")[-1], user)
    assert_complete(events("logout")[-1], user)

    new = {"password1": "A-new-pa55word", "password2": "A-new-pa55word", "usable_password": "true"}
    response = client_as(sysadmin).post(f"/admin/anding/user/{user.pk}/password/", new, REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert_complete(events("password_change")[-1], sysadmin, obj=user)

    exporters = Group.objects.get(name=duties.MEMBER_EXPORTERS)
    response = client_as(secadmin).post(
        f"/admin/anding/user/{user.pk}/change/", {"is_staff": "", "groups": [exporters.pk]}, REMOTE_ADDR=IP
    )
    assert response.status_code == 302
    role = events("role_change")[-1]
    assert_complete(role, secadmin, obj=user)
    assert role.detail == {"added": [duties.MEMBER_EXPORTERS]}


def test_17_audit_rows_exist_for_tree_move_report_steps_export_and_id_reveal(
    people,  # noqa: F811
    tree,
    client_as,
    sysadmin,
):
    report = make_report(people, tree, "v21", THIS_MONTH, ReportStatus.SUBMITTED)
    gb2 = client_as(people["gb2"])
    assert gb2.post(f"/reports/{report.pk}/return/", {"reason": "请补充"}, REMOTE_ADDR=IP).status_code == 302
    writer = client_as(people["sec"]["v21"])
    assert writer.post(f"/reports/{report.pk}/submit/", REMOTE_ADDR=IP).status_code == 302
    assert gb2.post(f"/reports/{report.pk}/approve/", REMOTE_ADDR=IP).status_code == 302
    assert_complete(events("report_returned")[-1], people["gb2"], obj=report)
    assert_complete(events("report_submitted")[-1], people["sec"]["v21"], obj=report)
    assert_complete(events("report_approved")[-1], people["gb2"], obj=report)

    town = client_as(people["town"])
    assert town.get("/members/?export=xlsx", REMOTE_ADDR=IP).status_code == 200
    assert_complete(events("export")[-1], people["town"])
    member = tree.members["v21"][0]
    assert town.post(f"/members/{member.pk}/reveal-id/", {"reason": "核对档案"}, REMOTE_ADDR=IP).status_code == 200
    assert_complete(events("id_number_reveal")[-1], people["town"], obj=member)

    actions.organization_move(
        actor=sysadmin, organization=tree.v12, new_parent=tree.g2, effective_date=datetime.date.today(), reason="调整"
    )
    move = events("org_move")[-1]
    assert (move.actor, move.object_id, move.result) == (sysadmin, str(tree.v12.pk), OK)
    assert move.at.tzinfo is not None
