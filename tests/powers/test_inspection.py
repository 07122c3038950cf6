"""The village-affairs inspection (村务监督检查): findings, rectification items followed until verified, the case's
deadline kept from its items; who sees and does what; closing refused while an item is not verified; bad input
saves nothing; the pages' queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anding.models import AuditEvent
from branches import actions
from branches.models import AffairsInspection, InspectionItem

from .. import kit
from ..cases import open_case

I = AffairsInspection.Status  # noqa: E741
CODE = AffairsInspection.power
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, *args):
    return reverse(f"branches:{CODE}_{name}", args=args)


@pytest.fixture
def inspection(tree, gb2_secretary):
    return open_case(CODE, gb2_secretary, tree.v21)


def add(actor, case, what="补齐凭证签字", deadline=None):
    return actions.inspection_add_item(actor=actor, case=case, what=what, deadline=deadline or TODAY + 10 * DAY)


def step(client, case, name, **data):
    case.refresh_from_db()
    return client.post(url("transition", case.pk, name), {"version": case.version, **data})


def test_an_inspection_runs_until_every_item_is_verified(tree, client_as, g2_deputy, gb2_secretary, v21_secretary):
    deputy = client_as(g2_deputy)
    response = deputy.post(
        url("open"),
        {
            "village": tree.v21.pk,
            "title": "惠农补贴检查",
            "area": "policies",
            "inspected_on": TODAY - 5 * DAY,
            "inspectors": "总支副书记、监委会主任",
            "findings": "补贴公示不足七天；台账不全。",
        },
    )
    case = AffairsInspection.objects.get()
    assert response.status_code == 302 and case.status == I.DRAFT and case.due_on is None
    for what, days in (("重新公示满七天", 20), ("补齐补贴台账", 10)):
        assert deputy.post(url("add_item", case.pk), {"what": what, "deadline": TODAY + days * DAY}).status_code == 302
    case.refresh_from_db()
    assert case.due_on == TODAY + 10 * DAY  # the earliest open deadline
    assert step(deputy, case, "issue").status_code == 302
    village = client_as(v21_secretary)
    first, second = case.items.order_by("deadline")
    page = village.get(url("report_item", case.pk) + f"?item={first.pk}")
    assert page.status_code == 200 and page.context["form"]["item"].value() == first.pk
    assert (
        village.post(
            url("report_item", case.pk), {"item": first.pk, "follow_up": "台账已补齐", "done_on": TODAY}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == I.RECTIFYING and case.due_on == TODAY + 20 * DAY  # the next open one
    secretary = client_as(gb2_secretary)
    assert secretary.post(url("verify_item", case.pk), {"item": first.pk}).status_code == 302
    response = step(secretary, case, "close")
    assert response.status_code == 200 and "1" in str(response.context["form"].non_field_errors())  # one left
    case.refresh_from_db()
    assert case.status == I.RECTIFYING
    assert secretary.post(url("verify_item", case.pk), {"item": second.pk}).status_code == 302
    second.refresh_from_db()
    assert second.verified_on is None  # not reported done yet
    village.post(url("report_item", case.pk), {"item": second.pk, "follow_up": "已重新公示", "done_on": TODAY})
    assert deputy.post(url("verify_item", case.pk), {"item": second.pk}).status_code == 302
    case.refresh_from_db()
    assert case.due_on is None and not case.items.filter(verified_on__isnull=True).exists()
    assert step(secretary, case, "close", comment="整改到位").status_code == 302
    case.refresh_from_db()
    assert case.status == I.CLOSED and case.closed_on == TODAY
    assert list(case.events.values_list("transition", flat=True)) == ["open", "issue", "rectify", "close"]
    audited = list(
        AuditEvent.objects.filter(object_type="branches.affairsinspection", object_id=str(case.pk)).values_list(
            "action", flat=True
        )
    )
    for name in ("open", "issue", "rectify", "close"):
        assert f"{CODE}_{name}" in audited
    assert audited.count(f"{CODE}_add_item") == 2 and audited.count(f"{CODE}_verify_item") == 2
    assert audited.count(f"{CODE}_report_item") == 2
    content = village.get(case.get_absolute_url()).content.decode()
    assert "已重新公示" in content and "item-verified" in content


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("gb2_secretary", 200),
        ("town_cadre", 200),
        ("gb_secretary", 404),
        ("deputy", 404),
        ("village_secretary", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_an_inspection(fixtures, client_as, inspection, persona, status):
    assert client_as(fixtures[persona]).get(inspection.get_absolute_url()).status_code == status


def test_gb1_gets_404_on_the_item_pages_and_the_api(client_as, inspection, gb2_secretary, gb_secretary):
    item = add(gb2_secretary, inspection)
    gb1 = client_as(gb_secretary)
    assert gb1.get(url("add_item", inspection.pk)).status_code == 404
    assert gb1.post(url("verify_item", inspection.pk), {"item": item.pk}).status_code == 404
    api = f"/api/affairs-inspection/{inspection.pk}/"
    assert gb1.get(api).status_code == 404
    assert (
        gb1.post(api + "add-item/", {"what": "x", "deadline": str(TODAY)}, content_type="application/json").status_code
        == 404
    )


def test_the_village_sees_the_findings_once_issued_and_works_only_its_items(
    client_as, inspection, gb2_secretary, v21_secretary
):
    item = add(gb2_secretary, inspection)
    village = client_as(v21_secretary)
    assert village.get(inspection.get_absolute_url()).status_code == 404  # a draft is the general branch's
    assert village.get(url("report_item", inspection.pk)).status_code == 404
    actions.case_transition(actor=gb2_secretary, case=inspection, name="issue")
    assert village.get(inspection.get_absolute_url()).status_code == 200
    assert village.get(url("add_item", inspection.pk)).status_code == 403
    assert village.post(url("verify_item", inspection.pk), {"item": item.pk}).status_code == 403
    assert village.get(url("transition", inspection.pk, "close")).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.inspection_report_item(actor=gb2_secretary, item=item, follow_up="代报")
    assert client_as(gb2_secretary).get(url("report_item", inspection.pk)).status_code == 403


def test_issuing_needs_findings_and_a_clean_inspection_closes_directly(tree, client_as, gb2_secretary):
    case = open_case(CODE, gb2_secretary, tree.v21, findings="")
    secretary = client_as(gb2_secretary)
    response = step(secretary, case, "issue")
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert step(secretary, case, "close_clean").status_code == 302
    case.refresh_from_db()
    assert case.status == I.CLOSED
    other = open_case(CODE, gb2_secretary, tree.v21)
    add(gb2_secretary, other)
    with pytest.raises(ValidationError):
        actions.case_transition(actor=gb2_secretary, case=other, name="close_clean")  # it has items
    with pytest.raises(ValidationError):
        actions.case_transition(actor=gb2_secretary, case=other, name="close")  # not rectifying


def test_an_overdue_item_shows_on_the_case_and_the_to_do_list(
    tree, client_as, inspection, gb2_secretary, v21_secretary
):
    from branches.todo import power_todos

    late = add(gb2_secretary, inspection, what="更新资产台账", deadline=inspection.inspected_on)
    add(gb2_secretary, inspection, what="补签凭证", deadline=TODAY + 30 * DAY)
    inspection.refresh_from_db()
    assert inspection.due_on == late.deadline and inspection.is_overdue
    actions.case_transition(actor=gb2_secretary, case=inspection, name="issue")
    content = client_as(v21_secretary).get(inspection.get_absolute_url()).content.decode()
    assert "item-overdue" in content
    todo = power_todos(v21_secretary)
    assert len(todo) == 1 and todo[0]["badge_class"] == "danger"  # issued: the village begins the rectification
    listed = client_as(gb2_secretary).get(url("list") + "?state=overdue")
    assert inspection.title in listed.content.decode()


def test_bad_input_saves_nothing(tree, client_as, inspection, gb2_secretary, v21_secretary):
    secretary = client_as(gb2_secretary)
    response = secretary.post(
        url("open"),
        {"village": tree.v21.pk, "title": "", "area": "weather", "inspected_on": "昨天", "inspectors": "x" * 300},
    )
    assert response.status_code == 200
    assert {"title", "area", "inspected_on", "inspectors"} <= set(response.context["form"].errors)
    assert AffairsInspection.objects.count() == 1
    for data, field in (
        ({"what": "", "deadline": TODAY}, "what"),
        ({"what": "x" * 600, "deadline": TODAY}, "what"),
        ({"what": "补签", "deadline": ""}, "deadline"),
        ({"what": "补签", "deadline": inspection.inspected_on - DAY}, "deadline"),
    ):
        response = secretary.post(url("add_item", inspection.pk), data)
        assert response.status_code == 200 and field in response.context["form"].errors, data
    assert not InspectionItem.objects.exists()
    item = add(gb2_secretary, inspection)
    actions.case_transition(actor=gb2_secretary, case=inspection, name="issue")
    village = client_as(v21_secretary)
    for data, field in (
        ({"item": item.pk, "follow_up": " ", "done_on": ""}, "follow_up"),
        ({"item": item.pk, "follow_up": "已办", "done_on": TODAY + DAY}, "done_on"),
        ({"item": item.pk, "follow_up": "已办", "done_on": inspection.inspected_on - DAY}, "done_on"),
        ({"item": 999999, "follow_up": "已办", "done_on": ""}, "item"),
    ):
        response = village.post(url("report_item", inspection.pk), data)
        assert response.status_code == 200 and field in response.context["form"].errors, data
    item.refresh_from_db()
    inspection.refresh_from_db()
    assert item.follow_up == "" and item.done_on is None and inspection.status == I.ISSUED


def test_the_api_works_the_items(client_as, inspection, gb2_secretary, v21_secretary):
    path = f"/api/affairs-inspection/{inspection.pk}/"
    secretary, village = client_as(gb2_secretary), client_as(v21_secretary)
    json = {"content_type": "application/json"}
    answer = secretary.post(path + "add-item/", {"what": "补签凭证", "deadline": str(TODAY + DAY)}, **json)
    assert answer.status_code == 200 and answer.json()["due_on"] == str(TODAY + DAY)
    item = answer.json()["items"][0]["id"]
    bad = secretary.post(path + "add-item/", {"what": "x", "deadline": str(inspection.inspected_on - DAY)}, **json)
    assert bad.status_code == 400 and "deadline" in bad.json()
    assert village.post(path + "report-item/", {"item": item, "follow_up": "已办"}, **json).status_code == 404  # draft
    actions.case_transition(actor=gb2_secretary, case=inspection, name="issue")
    assert village.post(path + "add-item/", {"what": "x", "deadline": str(TODAY)}, **json).status_code == 403
    answer = village.post(path + "report-item/", {"item": item, "follow_up": "已办", "done_on": str(TODAY)}, **json)
    assert answer.status_code == 200 and answer.json()["status"] == I.RECTIFYING and answer.json()["due_on"] is None
    assert village.post(path + "verify-item/", {"item": item}, **json).status_code == 403
    answer = secretary.post(path + "verify-item/", {"item": item}, **json)
    assert answer.status_code == 200 and answer.json()["items"][0]["verified_on"] == str(TODAY)
    again = secretary.post(path + "verify-item/", {"item": item}, **json)
    assert again.status_code == 400
    assert secretary.post(path + "verify-item/", {"item": 10**9}, **json).status_code == 400
    closed = secretary.post(path + "transition/", {"step": "close"}, **json)
    assert closed.status_code == 200 and closed.json()["status"] == I.CLOSED


def test_query_counts_do_not_grow_with_the_items(tree, client_as, gb2_secretary, v21_secretary, town_cadre):
    def make(n):
        def build():
            case = None
            for i in range(n):
                case = open_case(CODE, gb2_secretary, tree.v21, title=f"检查{i}")
                for k in range(n):
                    item = add(gb2_secretary, case, what=f"事项{k}", deadline=TODAY + k * DAY)
                actions.case_transition(actor=gb2_secretary, case=case, name="issue")
                item.inspection = case
                actions.inspection_report_item(actor=v21_secretary, item=item, follow_up="已办", done_on=TODAY)
                actions.inspection_verify_item(actor=gb2_secretary, item=item)
            return case

        return build

    clients = [client_as(u) for u in (v21_secretary, gb2_secretary, town_cadre)]

    def measure(case):
        return tuple(kit.page_queries(c, p) for c in clients for p in (url("list"), case.get_absolute_url()))

    kit.assert_flat(measure, make(2), make(12))


def test_the_list_exports(client_as, inspection, gb2_secretary, v21_secretary):
    export = client_as(gb2_secretary).get(url("list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    listed = client_as(v21_secretary).get(url("list"))
    assert listed.status_code == 200 and inspection.title not in listed.content.decode()  # a draft
