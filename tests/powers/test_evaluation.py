"""Cadre evaluation (干部考核评议): the total and grade follow from the scores, the votes and the weights they were
scored with (issue 9, done-when 4); a round opened, scored, finalized and closed as gb2 with an event per step; who
sees it (the village only once final); bad input refused at the field with nothing saved; flat query counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anding.models import AuditEvent
from branches import actions
from branches.models import CadreEvaluation, EvaluationScheme
from branches.models.powers.evaluation import evaluate

from .. import kit
from ..cases import SCORES, TALLIES, open_case

E = CadreEvaluation.Status
CODE = CadreEvaluation.power
TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"branches:{CODE}_{name}", args=args)


def scheme(**numbers):
    """An unsaved weighting: the default numbers with `numbers` changed."""
    return EvaluationScheme(name="t", **numbers)


@pytest.fixture
def case(tree, gb2_secretary):
    return open_case(CODE, gb2_secretary, tree.v21)


def step(client, case, name, **data):
    case.refresh_from_db()
    return client.post(url("transition", case.pk, name), {"version": case.version, **data})


# --- done-when 4: the total and grade follow from the scores and the weights --------------------------------------

ALL_90 = dict.fromkeys(["de", "neng", "qin", "ji", "lian"], 90)


@pytest.mark.parametrize(
    ("numbers", "scores", "votes", "total", "grade"),
    [
        # default 20/20/20/25/15 and 70 % scores: (92·20+88·20+90·20+85·25+95·15)/100 = 89.5;
        # votes (20·100+8·80+2·60)/30 = 92; 89.5·0.7 + 92·0.3 = 90.25
        ({}, {"de": 92, "neng": 88, "qin": 90, "ji": 85, "lian": 95}, (20, 8, 2, 0), "90.25", "excellent"),
        # the same scores with 绩 weighing 60: (92·10+88·10+90·10+85·60+95·10)/100 = 87.5; no vote weight
        (
            {
                "weight_de": 10,
                "weight_neng": 10,
                "weight_qin": 10,
                "weight_ji": 60,
                "weight_lian": 10,
                "vote_weight": 0,
            },
            {"de": 92, "neng": 88, "qin": 90, "ji": 85, "lian": 95},
            (0, 0, 0, 0),
            "87.50",
            "competent",
        ),
        # scores only (vote weight 0) right on the threshold: 90 is 优秀
        ({"vote_weight": 0}, ALL_90, (0, 0, 0, 0), "90.00", "excellent"),
        # half the total from the vote, all 不称职 votes: 90·0.5 + 0 = 45
        ({"vote_weight": 50}, ALL_90, (0, 0, 0, 10), "45.00", "incompetent"),
        # 90 · 0.7 + (60·3+0·1)/4 = 45 → 63 + 13.5 = 76.5
        ({}, ALL_90, (0, 0, 3, 1), "76.50", "competent"),
        # stricter thresholds: 76.5 is only 基本称职 when 称职 starts at 80
        ({"threshold_competent": 80}, ALL_90, (0, 0, 3, 1), "76.50", "basic"),
        # points of a vote changed: 称职 worth 100 → vote score 100
        ({"points_competent": 100}, ALL_90, (0, 5, 0, 0), "93.00", "excellent"),
        # rounding half up: 70 · 0.7 + (80·2+60)/3 · 0.3 = 49 + 22 = 71.00 → 基本称职
        ({}, dict.fromkeys(ALL_90, 70), (0, 2, 1, 0), "71.00", "basic"),
        # 59.99… stays under 基本称职
        (
            {"vote_weight": 0},
            {"de": 60, "neng": 60, "qin": 60, "ji": 59.9, "lian": 60},
            (0, 0, 0, 0),
            "59.98",
            "incompetent",
        ),
    ],
)
def test_the_total_and_grade_follow_from_scores_votes_and_weights(numbers, scores, votes, total, grade):
    tallies = dict(zip(["excellent", "competent", "basic", "incompetent"], votes, strict=True))
    result = evaluate(scheme(**numbers), {k: Decimal(str(v)) for k, v in scores.items()}, tallies)
    assert result.total == Decimal(total) and result.grade == grade


def test_no_total_while_a_score_or_the_vote_is_missing():
    assert evaluate(scheme(), {**ALL_90, "ji": None}, {"excellent": 3}).total is None
    assert evaluate(scheme(), ALL_90, {}).grade == ""  # the vote counts 30 % and nobody voted
    assert evaluate(scheme(vote_weight=0), ALL_90, {}).total == Decimal("90.00")


def test_a_case_keeps_the_weights_it_was_scored_with(tree, gb2_secretary):
    default = EvaluationScheme.objects.get(is_default=True)
    case = open_case(CODE, gb2_secretary, tree.v21)
    assert (case.total, case.grade, case.weight_ji, case.vote_weight) == (Decimal("90.25"), "excellent", 25, 30)
    default.weight_ji, default.weight_lian, default.vote_weight = 35, 5, 0
    default.full_clean()
    default.save()
    case.refresh_from_db()
    assert (case.total, case.weight_ji) == (Decimal("90.25"), 25)  # a later edit leaves it as it was
    strict = EvaluationScheme.objects.create(
        name="绩效优先", weight_de=10, weight_neng=10, weight_qin=10, weight_ji=60, weight_lian=10, vote_weight=0
    )
    actions.evaluation_score(actor=gb2_secretary, case=case, scheme=strict, **SCORES, **TALLIES)
    case.refresh_from_db()
    assert (case.total, case.grade, case.scheme, case.weight_ji) == (Decimal("87.50"), "competent", strict, 60)


def test_a_scheme_must_weigh_100_and_go_down():
    with pytest.raises(ValidationError) as refused:
        scheme(weight_de=30).clean()
    assert "weight_de" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        scheme(threshold_competent=95).clean()
    assert "threshold_competent" in refused.value.message_dict


# --- the workflow as gb2 ------------------------------------------------------------------------------------------


def test_an_evaluation_runs_from_draft_to_closed_with_an_event_per_step(tree, client_as, gb2_secretary, g2_deputy):
    deputy, secretary = client_as(g2_deputy), client_as(gb2_secretary)
    member = tree.members["v21"][0]
    response = deputy.post(
        url("open"),
        {
            "village": tree.v21.pk,
            "title": "2025年度考核",
            "year": 2025,
            "half": "year",
            "member": member.pk,
            "post": "支部书记",
        },
    )
    case = CadreEvaluation.objects.get()
    assert response.status_code == 302 and case.status == E.DRAFT and case.cadre == member.name
    assert step(deputy, case, "score").status_code == 200  # no scores yet: refused on the page
    case.refresh_from_db()
    assert case.status == E.DRAFT
    scores = {**{k: str(v) for k, v in SCORES.items()}, **TALLIES, "scheme": EvaluationScheme.objects.get().pk}
    assert deputy.post(url("scores", case.pk), {"version": case.version, **scores}).status_code == 302
    case.refresh_from_db()
    assert (case.total, case.grade) == (Decimal("90.25"), "excellent")
    assert step(deputy, case, "score").status_code == 302
    assert step(deputy, case, "finalize", comment="好").status_code == 403  # the secretary finalizes
    assert step(secretary, case, "return", comment="  ").status_code == 200  # a return needs its reason
    assert step(secretary, case, "return", comment="测评票数不全").status_code == 302
    case.refresh_from_db()
    assert case.status == E.DRAFT and case.events.last().comment == "测评票数不全"
    assert step(deputy, case, "score").status_code == 302
    add = deputy.post(url("item_add", case.pk), {"text": "整改村务公开栏", "deadline": TODAY.isoformat()})
    assert add.status_code == 302
    assert step(secretary, case, "finalize_close", comment="x").status_code == 200  # it has an item
    assert step(secretary, case, "finalize", comment="工作扎实，公开要及时。").status_code == 302
    case.refresh_from_db()
    assert case.status == E.FINAL and case.feedback == "工作扎实，公开要及时。" and case.grade == "excellent"
    item = case.items.get()
    done = deputy.post(url("item_done", case.pk), {"item": item.pk, "done_on": TODAY.isoformat(), "note": "已更新"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == E.CLOSED and case.closed_on == TODAY  # the last item done closes it
    steps = ["open", "score", "return", "score", "finalize", "close"]
    assert list(case.events.values_list("transition", flat=True)) == steps
    audited = set(
        AuditEvent.objects.filter(object_type="branches.cadreevaluation", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    assert {f"{CODE}_{s}" for s in steps} | {f"{CODE}_score", f"{CODE}_item_add", f"{CODE}_item_done"} <= audited
    page = secretary.get(case.get_absolute_url()).content.decode()
    assert "90.25" in page and "整改村务公开栏" in page and "工作扎实" in page


def test_finalized_without_items_it_closes_at_once(case, gb2_secretary):
    actions.case_transition(actor=gb2_secretary, case=case, name="score")
    with pytest.raises(ValidationError):
        actions.case_transition(actor=gb2_secretary, case=case, name="finalize", comment="好")
    actions.case_transition(actor=gb2_secretary, case=case, name="finalize_close", comment="好")
    assert case.status == E.CLOSED and case.closed_on == TODAY and case.feedback == "好"


@pytest.mark.parametrize(
    ("persona", "status", "scores"),
    [
        ("gb2_secretary", 200, 200),
        ("town_cadre", 200, 403),  # the town sees, the general branch scores
        ("gb_secretary", 404, 404),
        ("village_secretary", 404, 404),
        ("superuser", 200, 403),
    ],
)
def test_who_sees_an_evaluation(fixtures, client_as, case, persona, status, scores):
    client = client_as(fixtures[persona])
    assert client.get(case.get_absolute_url()).status_code == status
    assert client.get(url("scores", case.pk)).status_code == scores


def test_gb1_gets_404_everywhere(client_as, case, gb_secretary):
    gb1 = client_as(gb_secretary)
    for name in ("detail", "edit", "scores", "item_add", "item_done", "item_remove"):
        assert gb1.get(url(name, case.pk)).status_code == 404, name
    assert gb1.post(url("transition", case.pk, "score")).status_code == 404
    api = gb1.post(f"/api/cadre-evaluation/{case.pk}/scores/", {}, content_type="application/json")
    assert api.status_code == 404


def test_the_village_sees_an_evaluation_only_once_final(client_as, case, gb2_secretary, v21_secretary):
    village = client_as(v21_secretary)

    def seen():
        listed = village.get(url("list")).content.decode()
        api = village.get("/api/cadre-evaluation/").json()
        detail = village.get(case.get_absolute_url()).status_code
        return detail, case.title in listed, [c["id"] for c in api["results"]]

    assert seen() == (404, False, [])
    actions.case_transition(actor=gb2_secretary, case=case, name="score")
    assert seen() == (404, False, [])
    actions.rectification_add(actor=gb2_secretary, case=case, text="公开栏", deadline=TODAY)
    actions.case_transition(actor=gb2_secretary, case=case, name="finalize", comment="好")
    assert seen() == (200, True, [case.pk])
    assert village.get(url("scores", case.pk)).status_code == 403
    assert village.get(url("item_done", case.pk)).status_code == 403


def test_bad_input_is_refused_at_the_field_and_saves_nothing(tree, client_as, gb2_secretary):
    secretary = client_as(gb2_secretary)
    response = secretary.post(
        url("open"), {"village": tree.v21.pk, "title": "t", "year": 1800, "half": "q3", "post": "x" * 41}
    )
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"year", "half", "post", "member"} <= set(errors)
    other_village = tree.members["v22"][0]
    response = secretary.post(
        url("open"),
        {"village": tree.v21.pk, "title": "t", "year": 2025, "half": "year", "member": other_village.pk, "post": "p"},
    )
    assert "member" in response.context["form"].errors
    assert not CadreEvaluation.objects.exists()

    case = actions.case_open(
        actor=gb2_secretary,
        model=CadreEvaluation,
        village=tree.v21,
        title="t",
        year=2025,
        cadre_name="张某",
        post="村委会主任",
    )
    pk = EvaluationScheme.objects.get().pk
    bad = {"scheme": pk, "score_de": "101", "score_neng": "-1", "votes_excellent": "-3", "votes_competent": "x"}
    response = secretary.post(url("scores", case.pk), {"version": case.version, **bad})
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"score_de", "score_neng", "votes_excellent", "votes_competent"} <= set(
        errors
    )
    assert "0" in errors["score_de"][0] and "100" in errors["score_de"][0]
    response = secretary.post(url("item_add", case.pk), {"text": "", "deadline": "2020-01-01"})
    assert {"text"} <= set(response.context["form"].errors)
    response = secretary.post(url("item_add", case.pk), {"text": "t", "deadline": "2000-01-01"})
    assert "deadline" in response.context["form"].errors
    case.refresh_from_db()
    assert case.score_de is None and case.total is None and not case.items.exists()

    api = client_as(gb2_secretary)
    answer = api.post(
        f"/api/cadre-evaluation/{case.pk}/scores/",
        {"score_ji": 150, "votes_basic": -1},
        content_type="application/json",
    )
    assert answer.status_code == 400 and {"score_ji", "votes_basic"} <= set(answer.json())
    with pytest.raises(ValidationError) as refused:
        actions.evaluation_score(
            actor=gb2_secretary, case=case, scheme=EvaluationScheme.objects.get(), score_de=Decimal(120)
        )
    assert "score_de" in refused.value.message_dict
    case.refresh_from_db()
    assert case.score_ji is None and case.votes_basic == 0


def test_the_api_scores_and_follows_up_the_items(tree, client_as, gb2_secretary):
    case = actions.case_open(
        actor=gb2_secretary,
        model=CadreEvaluation,
        village=tree.v21,
        title="t",
        year=2025,
        half="h1",
        member=tree.members["v21"][1],
        post="组织委员",
    )
    api = client_as(gb2_secretary)
    base = f"/api/cadre-evaluation/{case.pk}"
    body = {
        "score_de": "80",
        "score_neng": "80",
        "score_qin": "80",
        "score_ji": "80",
        "score_lian": "80",
        "votes_competent": 10,
    }
    answer = api.post(f"{base}/scores/", body, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["total"] == "80.00" and answer.json()["grade"] == "competent"
    answer = api.post(
        f"{base}/item-add/", {"text": "学习制度", "deadline": TODAY.isoformat()}, content_type="application/json"
    )
    assert answer.status_code == 201
    item = answer.json()["items"][0]["id"]
    for name, comment in (("score", ""), ("finalize", "称职")):
        answer = api.post(f"{base}/transition/", {"step": name, "comment": comment}, content_type="application/json")
        assert answer.status_code == 200, answer.json()
    answer = api.post(f"{base}/item-remove/", {"item": item}, content_type="application/json")
    assert answer.status_code == 400  # final: items stay
    answer = api.post(
        f"{base}/item-done/", {"item": item, "done_on": TODAY.isoformat()}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "closed"


def test_query_counts_do_not_grow_with_the_evaluations(tree, client_as, gb2_secretary, town_cadre):
    def make(n):
        def build():
            for i in range(n):
                c = open_case(CODE, gb2_secretary, tree.v21 if i % 2 else tree.v22, title=f"考核{i}")
                actions.rectification_add(actor=gb2_secretary, case=c, text=f"整改{i}", deadline=TODAY)
                actions.rectification_add(actor=gb2_secretary, case=c, text=f"再整改{i}", deadline=TODAY)
            return n

        return build

    secretary, town = client_as(gb2_secretary), client_as(town_cadre)

    def measure(_):
        last = CadreEvaluation.objects.order_by("-pk").first()
        pages = [url("list"), last.get_absolute_url(), "/api/cadre-evaluation/", f"/api/cadre-evaluation/{last.pk}/"]
        return tuple(kit.page_queries(c, p) for c in (secretary, town) for p in pages)

    kit.assert_flat(measure, make(2), make(20))
