"""Tailored assessment plans (issue 10): the general branch sets a village's plan, the town approves it, the general
branch records the actual values and the score follows from them (computed here independently); scope per persona,
across a restructuring, bad input, the API and query counts."""

from decimal import Decimal

import pytest
from django.utils import timezone, translation

from branches import actions as branch_actions
from services import actions
from services.choices import Direction, PlanStatus
from services.models import AssessmentPlan, PlanIndicator
from services.models.plans import attainment, plan_score
from services.todo import plan_todos

from ..conftest import open_plan
from ..kit import assert_flat, page_queries, shows_errors

YEAR = timezone.localdate().year


def indicator_rows(*rows):
    """The POST of the indicators page for `rows` of (name, unit, direction, target, weight)."""
    data = {"indicators-TOTAL_FORMS": str(len(rows)), "indicators-INITIAL_FORMS": "0"}
    for n, (name, unit, direction, target, weight) in enumerate(rows):
        data.update(
            {
                f"indicators-{n}-name": name,
                f"indicators-{n}-unit": unit,
                f"indicators-{n}-direction": direction,
                f"indicators-{n}-target": target,
                f"indicators-{n}-weight": weight,
            }
        )
    return data


def expected_score(rows) -> Decimal:
    """The score of (direction, target, weight, actual) rows, computed without the app's function."""
    total = Decimal(0)
    for direction, target, weight, actual in rows:
        if actual is None:
            continue
        if direction == "at_most":
            share = Decimal(1) if actual <= target else (target / actual if actual else Decimal(0))
        else:
            share = min(actual / target, Decimal(1))
        total += weight * share
    return total.quantize(Decimal("0.1"))


# --- the workflow through the pages ----------------------------------------------------------------------------------


def test_the_general_branch_sets_the_town_approves_and_the_score_follows(
    tree, gb_secretary, town_cadre, village_secretary, client_as
):
    gb = client_as(gb_secretary)
    opened = gb.post(
        "/services/plans/add/", {"village": tree.v11.pk, "year": YEAR, "weak_points": "集体经济收入低；环境整治差"}
    )
    plan = AssessmentPlan.objects.get(village=tree.v11, year=YEAR)
    assert opened.url == f"/services/plans/{plan.pk}/indicators/"
    assert plan.status == PlanStatus.DRAFT and plan.created_by == gb_secretary

    rows = [
        ("集体经营性收入", "万元", "at_least", "30", "50"),
        ("垃圾分类参与率", "%", "at_least", "90", "30"),
        ("环境检查问题", "处", "at_most", "4", "10"),
    ]
    assert gb.post(f"/services/plans/{plan.pk}/indicators/", indicator_rows(*rows)).status_code == 302
    # The weights add up to 90: submitting is refused with the sum, and the plan stays a draft.
    refused = gb.post(f"/services/plans/{plan.pk}/submit/", follow=True)
    assert "90" in refused.content.decode() and "100" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT

    rows.append(("“三会一课”召开率", "%", "at_least", "100", "10"))
    again = gb.post(f"/services/plans/{plan.pk}/indicators/", indicator_rows(*rows))
    assert again.status_code == 302, again.context["service_errors"]
    submitted = gb.post(f"/services/plans/{plan.pk}/submit/", follow=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED, [str(m) for m in submitted.context["messages"]]
    assert plan.submitted_on == timezone.localdate()

    # The general branch cannot decide; the town can.
    assert gb.get(f"/services/plans/{plan.pk}/decide/").status_code == 403
    town = client_as(town_cadre)
    assert town.post(f"/services/plans/{plan.pk}/decide/", {"decision": "approve"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == town_cadre

    indicators = list(plan.indicators.order_by("order"))
    values = {indicators[0]: "24", indicators[1]: "95", indicators[2]: "6"}  # the fourth not yet measured
    answer = gb.post(
        f"/services/plans/{plan.pk}/actuals/", {f"indicator_{i.pk}": v for i, v in values.items()}, follow=True
    )
    assert answer.status_code == 200
    expected = expected_score(
        [
            (i.direction, i.target, i.weight, Decimal(values[i]) if i in values else None)
            for i in plan.indicators.order_by("order")
        ]
    )
    assert expected == Decimal("76.7")  # 50×24/30 + 30×1 + 10×4/6 + 0
    page = client_as(village_secretary).get(plan.get_absolute_url())
    assert page.status_code == 200 and page.context["plan"].score.score == expected
    assert page.context["plan"].score.measured == 3
    assert f">{expected}<" in page.content.decode()


def test_a_returned_plan_goes_back_to_the_general_branch_with_the_reason(tree, gb2_secretary, town_cadre, client_as):
    plan = open_plan(gb2_secretary, tree.v21, weights=(50, 50), submit=True)
    town = client_as(town_cadre)
    no_reason = town.post(f"/services/plans/{plan.pk}/decide/", {"decision": "return", "reason": "  "})
    shows_errors(no_reason, "reason")
    town.post(f"/services/plans/{plan.pk}/decide/", {"decision": "return", "reason": "目标偏低"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "目标偏低"
    page = client_as(gb2_secretary).get(plan.get_absolute_url())
    assert "目标偏低" in page.content.decode() and page.context["can_set"]
    # Revised and submitted again: the town decides once more.
    actions.plan_update(actor=gb2_secretary, plan=plan, weak_points="集体经济薄弱，增收渠道少")
    assert actions.plan_submit(actor=gb2_secretary, plan=plan).status == PlanStatus.SUBMITTED


def test_a_step_out_of_the_plans_state_leads_back_to_it(tree, gb2_secretary, town_cadre, client_as):
    plan = open_plan(gb2_secretary, tree.v21)
    answer = client_as(town_cadre).get(f"/services/plans/{plan.pk}/decide/")  # a draft is not decided
    assert answer.status_code == 302 and answer.url == plan.get_absolute_url()
    assert client_as(gb2_secretary).get(f"/services/plans/{plan.pk}/actuals/").url == plan.get_absolute_url()


# --- the score ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "actual", "share"),
    [
        ("at_least", "30", None, None),
        ("at_least", "30", "15", "0.5"),
        ("at_least", "30", "45", "1"),
        ("at_most", "4", "3", "1"),
        ("at_most", "4", "8", "0.5"),
        ("at_most", "0", "0", "1"),
        ("at_most", "0", "2", "0"),
    ],
)
def test_attainment(direction, target, actual, share):
    got = attainment(direction, Decimal(target), None if actual is None else Decimal(actual))
    assert got == (None if share is None else Decimal(share))


def test_the_score_counts_what_is_measured_and_unmeasured_as_zero():
    rows = [
        PlanIndicator(direction=Direction.AT_LEAST, target=Decimal(3), weight=Decimal("33.33"), actual=Decimal(1)),
        PlanIndicator(direction=Direction.AT_MOST, target=Decimal(2), weight=Decimal("33.33"), actual=Decimal(3)),
        PlanIndicator(direction=Direction.AT_LEAST, target=Decimal(10), weight=Decimal("33.34"), actual=None),
    ]
    score = plan_score(rows)
    assert score.score == expected_score([(r.direction, r.target, r.weight, r.actual) for r in rows])
    assert (score.measured, score.total, score.complete) == (2, 3, False)
    assert plan_score(rows[2:]).score is None  # nothing measured yet: no score, not 0


# --- scope ---------------------------------------------------------------------------------------------------------------

SCOPE = [  # persona: the g2 plan's page, its API, its indicators page, its decision page
    ("town_cadre", 200, 200, 403, 200),
    ("gb2_secretary", 200, 200, 302, 403),  # submitted: back to the plan (the state), not 403
    ("gb_secretary", 404, 404, 404, 404),
    ("deputy", 404, 404, 404, 404),
    ("village_secretary", 404, 404, 404, 404),
    ("sifa", 404, 404, 404, 404),
    ("outsider", 404, 404, 404, 404),
]


@pytest.mark.parametrize(("persona", "page", "api", "indicators", "decide"), SCOPE, ids=[r[0] for r in SCOPE])
def test_scope_per_persona(persona, page, api, indicators, decide, check_access, g2_plan, sifa):
    check_access(persona, "/services/plans/{g2_plan.pk}/", page)
    check_access(persona, "/api/assessment-plans/{g2_plan.pk}/", api)
    check_access(persona, "/services/plans/{g2_plan.pk}/indicators/", indicators)
    check_access(persona, "/services/plans/{g2_plan.pk}/decide/", decide)


def test_the_village_sees_its_plan_and_changes_nothing(tree, gb_secretary, village_secretary, client_as):
    plan = open_plan(gb_secretary, tree.v11)
    client = client_as(village_secretary)
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.get(f"/services/plans/{plan.pk}/indicators/").status_code == 403
    assert client.post(f"/services/plans/{plan.pk}/submit/").status_code == 403
    assert client.get("/services/plans/add/").status_code == 403
    assert set(client_as(village_secretary).get("/services/plans/").context["object_list"]) == {plan}


def test_after_a_move_the_new_general_branch_sets_the_plan(tree, gb_secretary, gb2_secretary, superuser, client_as):
    plan = open_plan(gb_secretary, tree.v11)
    branch_actions.organization_move(
        actor=superuser,
        organization=tree.v11,
        new_parent=tree.g2,
        effective_date=timezone.localdate(),
        reason="按片区调整",
    )
    assert client_as(gb_secretary).get(plan.get_absolute_url()).status_code == 404
    new = client_as(gb2_secretary)
    assert new.get(plan.get_absolute_url()).status_code == 200
    assert new.post(f"/services/plans/{plan.pk}/submit/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


# --- bad input saves nothing --------------------------------------------------------------------------------------------


def test_bad_input_to_open_a_plan(tree, gb_secretary, client_as):
    client = client_as(gb_secretary)
    good = {"village": tree.v11.pk, "year": YEAR, "weak_points": "集体经济薄弱"}
    shows_errors(client.post("/services/plans/add/", {**good, "village": tree.v21.pk}), "village")  # not g1's
    shows_errors(client.post("/services/plans/add/", {**good, "year": YEAR - 5}), "year")
    shows_errors(client.post("/services/plans/add/", {**good, "weak_points": "   "}), "weak_points")
    shows_errors(client.post("/services/plans/add/", {**good, "weak_points": "弱" * 2001}), "weak_points")
    assert not AssessmentPlan.objects.exists()
    client.post("/services/plans/add/", good)
    messages = shows_errors(client.post("/services/plans/add/", good), "year")
    assert AssessmentPlan.objects.count() == 1 and str(YEAR) in messages[0]


@pytest.mark.parametrize(
    "row",
    [
        ("", "万元", "at_least", "30", "50"),  # a row without a name but with values
        ("收入", "万元", "at_least", "abc", "50"),
        ("收入", "万元", "at_least", "0", "50"),  # "at least" nothing
        ("收入", "万元", "at_least", "30", "0"),
        ("收入", "万元", "at_least", "30", "100.5"),
        ("收入", "万元", "at_least", "30.123", "50"),
        ("收入", "万元", "sideways", "30", "50"),
        ("收入", "万元", "at_least", "-1", "50"),
        ("收" * 101, "万元", "at_least", "30", "50"),
    ],
)
def test_bad_indicators_save_nothing(tree, gb_secretary, client_as, row):
    plan = open_plan(gb_secretary, tree.v11)
    before = list(plan.indicators.values_list("name", "target", "weight"))
    answer = client_as(gb_secretary).post(f"/services/plans/{plan.pk}/indicators/", indicator_rows(row))
    assert answer.status_code == 200
    formset = answer.context["formset"]
    assert formset.errors and any(formset.errors) or answer.context.get("service_errors")
    assert list(plan.indicators.values_list("name", "target", "weight")) == before


def test_twice_the_same_indicator_is_refused(tree, gb_secretary, client_as):
    plan = open_plan(gb_secretary, tree.v11)
    rows = [("收入", "万元", "at_least", "30", "50"), ("收入", "万元", "at_least", "20", "50")]
    answer = client_as(gb_secretary).post(f"/services/plans/{plan.pk}/indicators/", indicator_rows(*rows))
    assert answer.status_code == 200 and any("收入" in e for e in answer.context["service_errors"])
    assert plan.indicators.count() == 2 and set(plan.indicators.values_list("name", flat=True)) != {"收入"}


def test_bad_actual_values_save_nothing(tree, gb_secretary, town_cadre, client_as):
    plan = open_plan(gb_secretary, tree.v11, submit=True)
    actions.plan_decide(actor=town_cadre, plan=plan, approve=True)
    first = plan.indicators.order_by("order").first()
    for value in ("-3", "abc", "1.234", "1" * 15):
        answer = client_as(gb_secretary).post(f"/services/plans/{plan.pk}/actuals/", {f"indicator_{first.pk}": value})
        shows_errors(answer, f"indicator_{first.pk}")
    assert not plan.indicators.filter(actual__isnull=False).exists()


# --- API ---------------------------------------------------------------------------------------------------------------


def test_the_api_runs_the_whole_workflow(tree, gb_secretary, town_cadre, client_as):
    gb, town = client_as(gb_secretary), client_as(town_cadre)
    created = gb.post(
        "/api/assessment-plans/",
        {"village": tree.v12.pk, "year": YEAR, "weak_points": "党员老化"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/assessment-plans/{created.json()['id']}/"
    lines = [
        {"name": "发展积极分子", "unit": "名", "target": "3", "weight": "70"},
        {"name": "越级信访", "unit": "件", "direction": "at_most", "target": "0", "weight": "30"},
    ]
    answer = gb.post(url + "indicators/", {"indicators": lines}, content_type="application/json")
    assert answer.status_code == 200 and len(answer.json()["indicators"]) == 2
    assert gb.post(url + "submit/").json()["status"] == "submitted"
    assert gb.post(url + "decide/", {"approve": True}, content_type="application/json").status_code == 403
    assert town.post(url + "decide/", {"approve": True}, content_type="application/json").json()["status"] == "approved"
    ids = [i["id"] for i in answer.json()["indicators"]]
    body = {"actuals": [{"indicator": ids[0], "actual": "2"}, {"indicator": ids[1], "actual": "1"}]}
    scored = gb.post(url + "actuals/", body, content_type="application/json")
    assert scored.status_code == 200
    assert Decimal(scored.json()["score"]) == expected_score(
        [("at_least", Decimal(3), Decimal(70), Decimal(2)), ("at_most", Decimal(0), Decimal(30), Decimal(1))]
    )


def test_the_api_refuses_bad_input_and_other_plans_indicators(tree, gb_secretary, town_cadre, g2_plan, client_as):
    gb = client_as(gb_secretary)
    plan = open_plan(gb_secretary, tree.v11, submit=True)
    actions.plan_decide(actor=town_cadre, plan=plan, approve=True)
    url = f"/api/assessment-plans/{plan.pk}/"
    foreign = g2_plan.indicators.first().pk
    answer = gb.post(
        url + "actuals/", {"actuals": [{"indicator": foreign, "actual": "1"}]}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert g2_plan.indicators.get(pk=foreign).actual is None
    refused = gb.post(
        "/api/assessment-plans/",
        {"village": tree.v21.pk, "year": YEAR, "weak_points": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "village" in refused.json()
    assert (
        gb.patch(
            f"/api/assessment-plans/{g2_plan.pk}/", {"weak_points": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


# --- to-do ---------------------------------------------------------------------------------------------------------------


def test_the_to_do_list_names_what_waits(tree, gb_secretary, town_cadre, g2_plan):
    def labels(user):
        with translation.override("en"):
            return [item["label"] for item in plan_todos(user)]

    assert "1 assessment plan awaits approval" in labels(town_cadre)
    assert f"2 villages have no assessment plan for {YEAR}" in labels(gb_secretary)
    open_plan(gb_secretary, tree.v11)
    assert labels(gb_secretary) == [
        "1 assessment plan is a draft not yet submitted",
        f"1 village has no assessment plan for {YEAR}",
    ]


# --- query counts --------------------------------------------------------------------------------------------------------


def test_query_counts_are_flat(tree, gb_secretary, town_cadre, client_as):
    from ..conftest import more_villages

    client = client_as(town_cadre)
    years = iter(range(2000, 2100))

    def measure(_):
        plan = AssessmentPlan.objects.order_by("-pk").first()
        return (
            page_queries(client, "/services/plans/"),
            page_queries(client, "/api/assessment-plans/"),
            page_queries(client, plan.get_absolute_url()),
            page_queries(client_as(gb_secretary), "/"),
        )

    def make(n):
        def build():
            villages = more_villages(tree, "g1", n, f"p{n}")
            for village in villages:
                plan = AssessmentPlan.objects.create(village=village, year=next(years), weak_points="弱")
                PlanIndicator.objects.bulk_create(
                    PlanIndicator(plan=plan, order=k, name=f"指标{k}", target=10, weight=10, actual=k) for k in range(n)
                )
            return n

        return build

    assert_flat(measure, make(1), make(5))
