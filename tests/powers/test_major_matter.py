"""The preliminary review of major matters (重要事务初审): a matter through the six steps of 四议两公开 with the general
branch's review between step 2 and step 3; who sees and does what; the quorum and majority of both votes at their
boundaries; steps in order; bad input saves nothing; the pages' queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from anding.models import AuditEvent
from branches import actions
from branches.models import MajorMatter, MatterStep

from .. import kit
from ..cases import open_case

M = MajorMatter.Status
CODE = MajorMatter.power
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, *args):
    return reverse(f"branches:{CODE}_{name}", args=args)


@pytest.fixture
def matter(tree, v21_secretary):
    return open_case(CODE, v21_secretary, tree.v21)


def record(actor, case, number, **fields):
    case.refresh_from_db()
    data = {"held_on": TODAY - 10 * DAY if number < 3 else TODAY, **fields}  # 3 to 6: after the review
    if number == 3:
        data = {"entitled": 30, "present": 25, "in_favour": 20, "against": 3, "abstained": 2, **data}
    if number == 4:
        data = {
            "body": "representatives",
            "entitled": 35,
            "present": 30,
            "in_favour": 28,
            "against": 1,
            "abstained": 1,
            **data,
        }
    if number in (5, 6):
        data = {"published_how": "村务公开栏", **data}
    return actions.matter_record_step(actor=actor, case=case, number=number, **data)


def reviewed(case, village, secretary):
    """The matter through steps 1 and 2 and the preliminary review: ready for the members' meeting."""
    record(village, case, 1, held_on=TODAY - 10 * DAY)
    record(village, case, 2, held_on=TODAY - 9 * DAY)
    actions.case_transition(actor=secretary, case=case, name="approve")
    case.refresh_from_db()
    return case


def step_page(client, case, **data):
    case.refresh_from_db()
    fields = {
        "number": "",
        "held_on": "",
        "body": "",
        "entitled": "",
        "present": "",
        "in_favour": "",
        "against": "",
        "abstained": "",
        "published_how": "",
        "note": "",
        "version": case.version,
    }
    return client.post(url("record_step", case.pk), {**fields, **data})


def step(client, case, name, **data):
    case.refresh_from_db()
    return client.post(url("transition", case.pk, name), {"version": case.version, **data})


def test_a_matter_runs_through_the_six_steps_with_an_event_per_transition(
    tree, client_as, v21_secretary, g2_deputy, gb2_secretary
):
    village = client_as(v21_secretary)
    form = village.get(url("open"))
    assert form.status_code == 200
    assert list(form.context["form"].fields["village"].queryset) == [tree.v21]  # the secretary's own village
    response = village.post(
        url("open"),
        {
            "village": tree.v21.pk,
            "title": "村道硬化",
            "kind": "project",
            "description": "主路硬化2公里。",
            "amount": "380000",
        },
    )
    case = MajorMatter.objects.get()
    assert response.status_code == 302 and case.status == M.DRAFT and case.general_branch == tree.g2
    assert step_page(village, case, number=1, held_on=TODAY - 10 * DAY, note="支委会提议").status_code == 302
    assert step_page(village, case, number=2, held_on=TODAY - 8 * DAY).status_code == 302
    case.refresh_from_db()
    assert case.status == M.REVIEWING
    deputy = client_as(g2_deputy)
    assert step(deputy, case, "draft_opinion", comment="程序合规，同意提交。").status_code == 302
    assert step(deputy, case, "approve").status_code == 403  # the secretary decides
    assert step(client_as(gb2_secretary), case, "approve", comment="同意").status_code == 302
    case.refresh_from_db()
    assert case.status == M.APPROVED and case.review_opinion == "程序合规，同意提交。"
    figures = {"entitled": 30, "present": 20, "in_favour": 16, "against": 2, "abstained": 2}
    assert step_page(village, case, number=3, held_on=TODAY, **figures).status_code == 302
    votes = {"body": "villagers", "entitled": 200, "present": 101, "in_favour": 51, "against": 40, "abstained": 10}
    assert step_page(village, case, number=4, held_on=TODAY, **votes).status_code == 302
    assert step_page(village, case, number=5, held_on=TODAY, published_how="公开栏").status_code == 302
    assert step_page(village, case, number=6, held_on=TODAY, published_how="公开栏、微信群").status_code == 302
    case.refresh_from_db()
    assert case.status == M.CLOSED and case.closed_on == TODAY
    assert list(case.steps.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    transitions = ["open", "step1", "step2", "draft_opinion", "approve", "step3", "step4", "step5", "step6"]
    assert list(case.events.values_list("transition", flat=True)) == transitions
    audited = AuditEvent.objects.filter(object_type="branches.majormatter", object_id=str(case.pk))
    actions_ = list(audited.values_list("action", flat=True))
    assert all(f"{CODE}_{name}" in actions_ for name in transitions)
    assert actions_.count(f"{CODE}_record_step") == 6
    page = client_as(gb2_secretary).get(case.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200 and "matter-step-6" in content and "公开栏、微信群" in content


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("gb2_secretary", 200),
        ("town_cadre", 200),
        ("gb_secretary", 404),  # gb1: the sibling general branch
        ("deputy", 404),
        ("village_secretary", 404),  # another village
        ("outsider", 404),
    ],
)
def test_who_sees_a_matter(fixtures, client_as, matter, persona, status):
    assert client_as(fixtures[persona]).get(matter.get_absolute_url()).status_code == status
    assert client_as(fixtures[persona]).get(url("record_step", matter.pk)).status_code in (status, 403)


def test_gb1_gets_404_on_every_page_and_the_api(client_as, matter, gb_secretary):
    gb1 = client_as(gb_secretary)
    for path in (url("detail", matter.pk), url("record_step", matter.pk), url("edit", matter.pk)):
        assert gb1.get(path).status_code == 404
    assert step_page(gb1, matter, number=1, held_on=TODAY).status_code == 404
    api = f"/api/major-matter-review/{matter.pk}/"
    assert gb1.get(api).status_code == 404
    assert (
        gb1.post(api + "record-step/", {"number": 1, "held_on": TODAY}, content_type="application/json").status_code
        == 404
    )


def test_the_village_sees_its_matter_always_and_records_only_its_steps(
    tree, client_as, v21_secretary, gb2_secretary, town_cadre
):
    case = open_case(CODE, gb2_secretary, tree.v21)  # opened by the general branch
    village = client_as(v21_secretary)
    assert village.get(case.get_absolute_url()).status_code == 200
    assert village.get(url("list")).content.decode().count(case.title) >= 1
    assert village.get(url("record_step", case.pk)).status_code == 200
    assert client_as(gb2_secretary).get(url("record_step", case.pk)).status_code == 403  # the village records
    assert client_as(town_cadre).get(url("record_step", case.pk)).status_code == 403
    with pytest.raises(PermissionDenied):
        record(gb2_secretary, case, 1)
    record(v21_secretary, case, 1)
    record(v21_secretary, case, 2)
    case.refresh_from_db()
    assert step(village, case, "approve").status_code == 403  # the review is the general branch's
    assert client_as(v21_secretary).get(url("open")).status_code == 200
    other = client_as(v21_secretary).post(
        url("open"), {"village": tree.v22.pk, "title": "t", "kind": "plan", "description": "d"}
    )
    assert other.status_code == 200 and "village" in other.context["form"].errors  # not their village


def test_a_matter_sent_back_is_resubmitted_with_what_changed(client_as, matter, v21_secretary, gb2_secretary):
    record(v21_secretary, matter, 1)
    record(v21_secretary, matter, 2)
    secretary = client_as(gb2_secretary)
    response = step(secretary, matter, "send_back", comment=" ")
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    assert step(secretary, matter, "send_back", comment="缺少权属材料").status_code == 302
    matter.refresh_from_db()
    assert matter.status == M.RETURNED and matter.return_reason == "缺少权属材料"
    village = client_as(v21_secretary)
    assert "缺少权属材料" in village.get(matter.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError) as refused:
        record(v21_secretary, matter, 3)
    assert "number" in refused.value.message_dict  # the review comes first
    assert step(village, matter, "resubmit", comment="已补齐").status_code == 302
    matter.refresh_from_db()
    assert matter.status == M.REVIEWING


VOTES = [
    # step, figures, passes, the field refused
    (3, {"entitled": 30, "present": 20, "in_favour": 16}, True, None),  # exactly 2/3 present
    (3, {"entitled": 30, "present": 19, "in_favour": 19}, False, "present"),  # just under 2/3
    (3, {"entitled": 30, "present": 30, "in_favour": 15}, False, "in_favour"),  # exactly half of 应到: not more
    (3, {"entitled": 31, "present": 31, "in_favour": 16}, True, None),
    (4, {"body": "representatives", "entitled": 30, "present": 20, "in_favour": 11}, True, None),
    (4, {"body": "representatives", "entitled": 30, "present": 19, "in_favour": 19}, False, "present"),
    (4, {"body": "representatives", "entitled": 30, "present": 20, "in_favour": 10}, False, "in_favour"),  # half
    (4, {"body": "villagers", "entitled": 100, "present": 50, "in_favour": 50}, False, "present"),  # exactly half
    (4, {"body": "villagers", "entitled": 100, "present": 51, "in_favour": 26}, True, None),
    (4, {"body": "households", "entitled": 60, "present": 40, "in_favour": 21}, True, None),
    (4, {"body": "households", "entitled": 60, "present": 39, "in_favour": 39}, False, "present"),
]


@pytest.mark.parametrize(("number", "figures", "passes", "field"), VOTES)
def test_the_quorum_and_majority_of_each_vote(matter, v21_secretary, gb2_secretary, number, figures, passes, field):
    reviewed(matter, v21_secretary, gb2_secretary)
    if number == 4:
        record(v21_secretary, matter, 3)
    figures = {"against": 0, "abstained": 0, **figures}
    before = matter.status
    if passes:
        record(v21_secretary, matter, number, **figures)
        matter.refresh_from_db()
        assert matter.status == {3: M.DELIBERATED, 4: M.RESOLVED}[number]
        return
    with pytest.raises(ValidationError) as refused:
        record(v21_secretary, matter, number, **figures)
    assert set(refused.value.message_dict) == {field}
    matter.refresh_from_db()
    assert matter.status == before and not matter.steps.filter(number=number).exists()


def test_a_members_vote_without_quorum_cannot_pass_to_the_next_step(client_as, matter, v21_secretary, gb2_secretary):
    """Done when 3 of issue 9, on the page, in Chinese."""
    reviewed(matter, v21_secretary, gb2_secretary)
    village = client_as(v21_secretary)
    with translation.override("zh-hans"):
        response = step_page(
            village,
            matter,
            number=3,
            held_on=TODAY,
            entitled=30,
            present=15,
            in_favour=15,
            against=0,
            abstained=0,
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "present" in errors and "三分之二" in errors["present"][0]
    matter.refresh_from_db()
    assert matter.status == M.APPROVED and not matter.steps.filter(number=3).exists()
    response = step_page(
        village,
        matter,
        number=4,
        held_on=TODAY,
        body="representatives",
        entitled=30,
        present=30,
        in_favour=30,
        against=0,
        abstained=0,
    )
    assert response.status_code == 200 and "number" in response.context["form"].errors
    assert step(village, matter, "step4").status_code == 302  # not its state: back to the case
    matter.refresh_from_db()
    assert matter.status == M.APPROVED


def test_steps_in_order_and_dates_that_do_not_go_back(client_as, matter, v21_secretary, gb2_secretary):
    for number in (2, 3, 6):
        with pytest.raises(ValidationError) as refused:
            record(v21_secretary, matter, number)
        assert "number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(v21_secretary, matter, 1, held_on=TODAY + DAY)
    assert "held_on" in refused.value.message_dict  # not in the future
    record(v21_secretary, matter, 1, held_on=TODAY - 5 * DAY)
    with pytest.raises(ValidationError) as refused:
        record(v21_secretary, matter, 2, held_on=TODAY - 6 * DAY)
    assert "held_on" in refused.value.message_dict  # before step 1
    record(v21_secretary, matter, 2, held_on=TODAY - 5 * DAY)  # the same day is fine
    with pytest.raises(ValidationError):
        record(v21_secretary, matter, 3)  # the review first
    actions.case_transition(actor=gb2_secretary, case=matter, name="approve")
    with pytest.raises(ValidationError) as refused:
        record(v21_secretary, matter, 3, held_on=TODAY - 4 * DAY)  # before the review passed (today)
    assert "held_on" in refused.value.message_dict
    # A step's transition taken bare, without its record, is refused.
    with pytest.raises(ValidationError):
        actions.case_transition(actor=v21_secretary, case=matter, name="step3")
    assert matter.steps.count() == 2


def test_bad_input_saves_nothing(tree, client_as, matter, v21_secretary, gb2_secretary):
    village = client_as(v21_secretary)
    response = village.post(
        url("open"), {"village": tree.v21.pk, "title": "", "kind": "x", "description": "d" * 6000, "amount": "abc"}
    )
    assert response.status_code == 200
    assert {"title", "kind", "description", "amount"} <= set(response.context["form"].errors)
    assert MajorMatter.objects.count() == 1
    response = step_page(village, matter, number=1, held_on="", note="x" * 3000)
    assert response.status_code == 200 and {"held_on", "note"} <= set(response.context["form"].errors)
    reviewed(matter, v21_secretary, gb2_secretary)
    cases = [
        ({"entitled": 30, "present": 31, "in_favour": 20, "against": 0, "abstained": 0}, "present"),
        ({"entitled": 30, "present": 25, "in_favour": 20, "against": 5, "abstained": 1}, "in_favour"),
        ({"entitled": 0, "present": 0, "in_favour": 0, "against": 0, "abstained": 0}, "entitled"),
        ({"entitled": 30, "present": 25, "in_favour": "", "against": 0, "abstained": 0}, "in_favour"),
        ({"entitled": -3, "present": "二十", "in_favour": 20, "against": 0, "abstained": 0}, "present"),
    ]
    for figures, field in cases:
        response = step_page(village, matter, number=3, held_on=TODAY, **figures)
        assert response.status_code == 200 and field in response.context["form"].errors, figures
    response = step_page(
        village, matter, number=3, held_on=TODAY, entitled=30, present=25, in_favour=20, against=0, abstained=0
    )
    assert response.status_code == 302
    response = step_page(
        village, matter, number=4, held_on=TODAY, entitled=30, present=25, in_favour=20, against=0, abstained=0
    )
    assert response.status_code == 200 and "body" in response.context["form"].errors  # which meeting?
    response = step_page(
        village,
        matter,
        number=4,
        held_on=TODAY,
        body="representatives",
        entitled=30,
        present=25,
        in_favour=20,
        against=0,
        abstained=0,
    )
    response = step_page(village, matter, number=5, held_on=TODAY, published_how=" ")
    assert response.status_code == 200 and "published_how" in response.context["form"].errors
    assert list(matter.steps.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_the_api_records_steps_and_refuses_what_the_pages_refuse(client_as, matter, v21_secretary, gb2_secretary):
    api = client_as(v21_secretary)
    path = f"/api/major-matter-review/{matter.pk}/"
    answer = api.post(
        path + "record-step/", {"number": 1, "held_on": str(TODAY - DAY)}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == M.PROPOSED
    assert [s["number"] for s in answer.json()["steps"]] == [1]
    answer = api.post(path + "record-step/", {"number": 3, "held_on": str(TODAY)}, content_type="application/json")
    assert answer.status_code == 400 and "number" in answer.json()
    record(v21_secretary, matter, 2, held_on=TODAY)
    actions.case_transition(actor=gb2_secretary, case=matter, name="approve")
    short = {
        "number": 3,
        "held_on": str(TODAY),
        "entitled": 30,
        "present": 19,
        "in_favour": 19,
        "against": 0,
        "abstained": 0,
    }
    answer = api.post(path + "record-step/", short, content_type="application/json")
    assert answer.status_code == 400 and "present" in answer.json()
    assert (
        client_as(gb2_secretary)
        .post(path + "record-step/", {**short, "present": 25}, content_type="application/json")
        .status_code
        == 403
    )
    assert api.get(path).json()["steps"][-1]["number"] == 2
    assert MatterStep.objects.filter(matter=matter).count() == 2


def test_withdrawing_needs_the_reason(client_as, matter, v21_secretary):
    village = client_as(v21_secretary)
    assert step(village, matter, "withdraw", comment="").status_code == 200
    assert step(village, matter, "withdraw", comment="村民意见分歧大，暂缓").status_code == 302
    matter.refresh_from_db()
    assert matter.status == M.WITHDRAWN and not matter.is_open


def test_the_to_do_lists(matter, v21_secretary, g2_deputy, gb2_secretary):
    from branches.todo import power_todos

    assert len(power_todos(v21_secretary)) == 1 and power_todos(gb2_secretary) == []
    record(v21_secretary, matter, 1)
    record(v21_secretary, matter, 2)
    assert power_todos(v21_secretary) == []
    assert len(power_todos(g2_deputy)) == 1 and len(power_todos(gb2_secretary)) == 1


def test_query_counts_do_not_grow_with_the_matters(tree, client_as, v21_secretary, gb2_secretary, town_cadre):
    def make(n):
        def build():
            last = None
            for i in range(n):
                last = open_case(CODE, gb2_secretary, tree.v21, title=f"事项{i}")
                reviewed(last, v21_secretary, gb2_secretary)
                record(v21_secretary, last, 3)
            return last

        return build

    clients = [client_as(u) for u in (v21_secretary, gb2_secretary, town_cadre)]

    def measure(case):
        return tuple(kit.page_queries(c, p) for c in clients for p in (url("list"), case.get_absolute_url()))

    kit.assert_flat(measure, make(2), make(20))


def test_the_list_filters_and_exports(client_as, matter, v21_secretary, gb2_secretary):
    secretary = client_as(gb2_secretary)
    assert matter.title in secretary.get(url("list") + "?status=draft").content.decode()
    assert matter.title not in secretary.get(url("list") + "?state=closed").content.decode()
    export = client_as(v21_secretary).get(url("list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_stale_page_records_nothing(client_as, matter, v21_secretary):
    village = client_as(v21_secretary)
    stale = matter.version
    actions.case_update(actor=v21_secretary, case=matter, title="村集体鱼塘承包（修订）")
    data = {"number": 1, "held_on": TODAY, "version": stale}
    response = village.post(url("record_step", matter.pk), data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not matter.steps.exists()
    matter.refresh_from_db()
    assert matter.status == M.DRAFT
