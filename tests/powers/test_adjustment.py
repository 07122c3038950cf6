"""Leadership-adjustment proposals (村级班子调整建议): drafted and proposed by gb2, decided by the town (gb2 cannot),
supported only by final evaluations of the same village; never seen by the village; bad input saves nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anding.models import AuditEvent
from branches import actions
from branches.models import LeadershipAdjustment

from .. import kit
from ..cases import open_case

A = LeadershipAdjustment.Status
CODE = LeadershipAdjustment.power


def url(name, *args):
    return reverse(f"branches:{CODE}_{name}", args=args)


@pytest.fixture
def case(tree, gb2_secretary):
    return open_case(CODE, gb2_secretary, tree.v21)


def final_evaluation(actor, village, **fields):
    evaluation = open_case("cadre_evaluation", actor, village, **fields)
    actions.case_transition(actor=actor, case=evaluation, name="score")
    return actions.case_transition(actor=actor, case=evaluation, name="finalize_close", comment="优秀")


def step(client, case, name, **data):
    case.refresh_from_db()
    return client.post(url("transition", case.pk, name), {"version": case.version, **data})


def test_a_proposal_runs_from_draft_to_the_towns_decision(tree, client_as, gb2_secretary, g2_deputy, town_cadre):
    deputy, secretary, town = client_as(g2_deputy), client_as(gb2_secretary), client_as(town_cadre)
    member = tree.members["v21"][1]
    response = deputy.post(
        url("open"),
        {
            "village": tree.v21.pk,
            "title": "建议调整组织委员",
            "member": member.pk,
            "kind": "change",
            "from_post": "组织委员",
            "to_post": "支部副书记",
            "reason": "连续两年考核优秀。",
        },
    )
    case = LeadershipAdjustment.objects.get()
    assert response.status_code == 302 and case.status == A.DRAFT and case.member == member
    evaluation = final_evaluation(gb2_secretary, tree.v21, member=member)
    support = deputy.post(url("support", case.pk), {"version": case.version, "evaluations": [evaluation.pk]})
    assert support.status_code == 302 and list(case.evaluations.all()) == [evaluation]
    assert step(deputy, case, "propose").status_code == 403  # the secretary proposes
    assert step(secretary, case, "propose").status_code == 302
    assert step(secretary, case, "approve").status_code == 403  # the town decides, not gb2
    assert step(town, case, "approve", comment="同意，按程序办理。").status_code == 302
    case.refresh_from_db()
    assert case.status == A.APPROVED and case.closed_on == datetime.date.today() and case.decision.startswith("同意")
    assert list(case.events.values_list("transition", flat=True)) == ["open", "propose", "approve"]
    audited = set(
        AuditEvent.objects.filter(object_type="branches.leadershipadjustment", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert {f"{CODE}_open", f"{CODE}_support", f"{CODE}_propose", f"{CODE}_approve"} <= audited
    page = secretary.get(case.get_absolute_url()).content.decode()
    assert evaluation.title in page and "同意，按程序办理。" in page


def test_the_town_rejects_with_a_reason_and_gb2_cannot(client_as, case, gb2_secretary, town_cadre):
    actions.case_transition(actor=gb2_secretary, case=case, name="propose")
    with pytest.raises(PermissionDenied):
        actions.case_transition(actor=gb2_secretary, case=case, name="reject", comment="不行")
    town = client_as(town_cadre)
    assert step(town, case, "reject", comment=" ").status_code == 200  # the reason is required
    answer = town.post(
        f"/api/leadership-adjustment/{case.pk}/transition/",
        {"step": "reject", "comment": "人选需再酝酿"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"
    assert answer.json()["decision"] == "人选需再酝酿"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("gb2_secretary", 200),
        ("town_cadre", 200),
        ("gb_secretary", 404),
        ("village_secretary", 404),
        ("v21_secretary", 404),  # the village's own secretary never sees a proposal
        ("outsider", 404),
    ],
)
def test_who_sees_a_proposal(fixtures, client_as, case, gb2_secretary, persona, status):
    for name in ("propose", "approve"):
        client = client_as(fixtures[persona])
        assert client.get(case.get_absolute_url()).status_code == status
        assert (case.title in client.get(url("list")).content.decode()) == (status == 200)
        api = client.get(f"/api/leadership-adjustment/{case.pk}/")
        assert api.status_code == status
        actor = gb2_secretary if name == "propose" else fixtures["town_cadre"]
        actions.case_transition(actor=actor, case=case, name=name)


def test_gb1_gets_404(client_as, case, gb_secretary):
    gb1 = client_as(gb_secretary)
    for name in ("detail", "edit", "support"):
        assert gb1.get(url(name, case.pk)).status_code == 404
    api = gb1.post(
        f"/api/leadership-adjustment/{case.pk}/support/", {"evaluations": []}, content_type="application/json"
    )
    assert api.status_code == 404


def test_only_final_evaluations_of_the_village_support_a_proposal(tree, client_as, case, gb2_secretary):
    draft = open_case("cadre_evaluation", gb2_secretary, tree.v21, title="草稿考核")
    elsewhere = final_evaluation(gb2_secretary, tree.v22, title="北营考核")
    for evaluation in (draft, elsewhere):
        with pytest.raises(ValidationError) as refused:
            actions.adjustment_support(actor=gb2_secretary, case=case, evaluations=[evaluation])
        assert "evaluations" in refused.value.message_dict
    secretary = client_as(gb2_secretary)
    page = secretary.get(url("support", case.pk)).content.decode()
    assert "草稿考核" not in page and "北营考核" not in page
    response = secretary.post(url("support", case.pk), {"version": case.version, "evaluations": [draft.pk]})
    assert response.status_code == 200 and "evaluations" in response.context["form"].errors
    answer = secretary.post(
        f"/api/leadership-adjustment/{case.pk}/support/",
        {"evaluations": [elsewhere.pk]},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "evaluations" in answer.json()
    assert not case.evaluations.exists()


def test_bad_input_is_refused_at_the_field_and_saves_nothing(tree, client_as, gb2_secretary):
    secretary = client_as(gb2_secretary)
    data = {"village": tree.v21.pk, "title": "t", "member": tree.members["v21"][0].pk, "reason": "r"}
    cases = [
        ({"kind": "appoint", "to_post": ""}, "to_post"),
        ({"kind": "remove", "from_post": ""}, "from_post"),
        ({"kind": "change", "from_post": "组织委员", "to_post": "组织委员"}, "to_post"),
        ({"kind": "promote"}, "kind"),
        ({"kind": "other", "member": tree.members["v11"][0].pk}, "member"),  # not a member of the village
        ({"kind": "other", "reason": "x" * 5001}, "reason"),
    ]
    for fields, field in cases:
        kit.shows_errors(secretary.post(url("open"), {**data, **fields}), field)
    api = secretary.post(
        "/api/leadership-adjustment/",
        {**data, "kind": "appoint", "member": tree.members["v12"][0].pk, "to_post": "书记"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "member" in api.json()
    api = secretary.post("/api/leadership-adjustment/", {**data, "kind": "appoint"}, content_type="application/json")
    assert api.status_code == 400 and "to_post" in api.json()
    assert not LeadershipAdjustment.objects.exists()


def test_query_counts_do_not_grow_with_the_proposals(tree, client_as, gb2_secretary, town_cadre):
    evaluation = final_evaluation(gb2_secretary, tree.v21)

    def make(n):
        def build():
            for i in range(n):
                c = open_case(CODE, gb2_secretary, tree.v21, title=f"建议{i}")
                actions.adjustment_support(actor=gb2_secretary, case=c, evaluations=[evaluation])
            return n

        return build

    secretary, town = client_as(gb2_secretary), client_as(town_cadre)

    def measure(_):
        last = LeadershipAdjustment.objects.order_by("-pk").first()
        pages = [
            url("list"),
            last.get_absolute_url(),
            f"/api/{CODE.replace('_', '-')}/",
            f"/api/{CODE.replace('_', '-')}/{last.pk}/",
        ]
        return tuple(kit.page_queries(c, p) for c in (secretary, town) for p in pages)

    kit.assert_flat(measure, make(2), make(20))
