"""The machinery every power shares, tried on organization-building guidance (组织建设指导): who opens, works and
closes a case, who sees it (out of scope is 404, a village sees only what the power opens to it), its history and
audit events, stale and double submits, a move of the village, the lists, the overview pages and their queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from anding.models import AuditEvent
from branches import actions
from branches.models import OrganizationGuidance

from .. import kit
from ..cases import open_case

G = OrganizationGuidance.Status
CODE = OrganizationGuidance.power


def url(name, *args):
    return reverse(f"branches:{CODE}_{name}", args=args)


@pytest.fixture
def case(tree, gb2_secretary):
    return open_case(CODE, gb2_secretary, tree.v21)


def step(client, case, name, **data):
    case.refresh_from_db()
    return client.post(url("transition", case.pk, name), {"version": case.version, **data})


def test_a_case_runs_from_opening_to_closing_with_an_event_per_step(
    tree, client_as, gb2_secretary, g2_deputy, v21_secretary
):
    deputy = client_as(g2_deputy)
    response = deputy.post(
        url("open"),
        {
            "village": tree.v21.pk,
            "title": "指导党小组建设",
            "subject": "members",
            "method": "meeting",
            "guidance": "党小组每月活动一次。",
            "requirements": "",
            "due_on": "",
        },
    )
    case = OrganizationGuidance.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.general_branch == tree.g2 and case.status == G.DRAFT and case.created_by == g2_deputy
    assert step(deputy, case, "give").status_code == 302
    village = client_as(v21_secretary)
    assert step(village, case, "respond", comment="已整改，每月活动。").status_code == 302
    case.refresh_from_db()
    assert case.status == G.RESPONDED and case.response == "已整改，每月活动。"
    assert step(deputy, case, "accept").status_code == 403  # the secretary decides
    assert step(client_as(gb2_secretary), case, "accept", comment="").status_code == 302
    case.refresh_from_db()
    assert case.status == G.CLOSED and case.closed_on == datetime.date.today() and not case.is_open
    assert list(case.events.values_list("transition", flat=True)) == ["open", "give", "respond", "accept"]
    audited = AuditEvent.objects.filter(object_type="branches.organizationguidance", object_id=str(case.pk)).exclude(
        action__startswith="history_"  # the case's field history (tests/test_history.py)
    )
    assert sorted(audited.values_list("action", flat=True)) == sorted(
        f"{CODE}_{name}" for name in ("open", "give", "respond", "accept")
    )
    page = client_as(gb2_secretary).get(case.get_absolute_url())
    assert page.status_code == 200 and "已整改，每月活动。" in page.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("gb2_secretary", 200),
        ("town_cadre", 200),
        ("gb_secretary", 404),  # the sibling general branch
        ("deputy", 404),
        ("village_secretary", 404),  # another village
        ("dept_staff", 404),
        ("outsider", 404),
        ("superuser", 200),
    ],
)
def test_who_sees_a_case(fixtures, client_as, case, persona, status):
    assert client_as(fixtures[persona]).get(case.get_absolute_url()).status_code == status
    listed = client_as(fixtures[persona]).get(url("list"))
    assert listed.status_code == 200 and (case.title in listed.content.decode()) == (status == 200)


def test_the_village_sees_guidance_once_given(client_as, case, gb2_secretary, v21_secretary):
    village = client_as(v21_secretary)
    assert village.get(case.get_absolute_url()).status_code == 404  # a draft is the general branch's
    actions.case_transition(actor=gb2_secretary, case=case, name="give")
    assert village.get(case.get_absolute_url()).status_code == 200
    assert village.get(url("edit", case.pk)).status_code == 403
    assert village.get(url("transition", case.pk, "accept")).status_code == 403


def test_the_town_sees_but_does_not_act(client_as, case, town_cadre):
    town = client_as(town_cadre)
    assert town.get(url("transition", case.pk, "give")).status_code == 403
    assert town.get(url("open")).status_code == 403


def test_a_return_needs_its_reason_and_an_unknown_step_is_404(client_as, case, gb2_secretary, v21_secretary):
    actions.case_transition(actor=gb2_secretary, case=case, name="give")
    actions.case_transition(actor=v21_secretary, case=case, name="respond", comment="已办")
    secretary = client_as(gb2_secretary)
    response = step(secretary, case, "send_back", comment="  ")
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == G.RESPONDED
    assert secretary.get(url("transition", case.pk, "explode")).status_code == 404
    assert step(secretary, case, "send_back", comment="记录不全").status_code == 302
    case.refresh_from_db()
    assert case.status == G.GIVEN and case.events.last().comment == "记录不全"


def test_a_step_in_the_wrong_state_goes_back_to_the_case(client_as, case, gb2_secretary):
    response = step(client_as(gb2_secretary), case, "accept")
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.status == G.DRAFT


def test_a_double_submit_takes_the_step_once_and_a_stale_page_is_refused(client_as, case, gb2_secretary):
    secretary = client_as(gb2_secretary)
    version = case.version
    assert secretary.post(url("transition", case.pk, "give"), {"version": version}).status_code == 302
    assert secretary.post(url("transition", case.pk, "give"), {"version": version}).status_code == 302
    assert case.events.filter(transition="give").count() == 1
    edit = secretary.post(
        url("edit", case.pk),
        {"version": version, "title": "改", "subject": "rules", "method": "written", "guidance": "x"},
    )
    assert edit.status_code == 200 and edit.context["form"].non_field_errors()  # someone else saved it meanwhile
    case.refresh_from_db()
    assert case.title != "改"


def test_bad_input_saves_nothing(tree, client_as, gb2_secretary, gb_secretary):
    secretary = client_as(gb2_secretary)
    data = {"village": tree.v21.pk, "title": "", "subject": "nonsense", "method": "on_site", "guidance": "x" * 6000}
    response = secretary.post(url("open"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "subject", "guidance"} <= set(errors)
    response = secretary.post(
        url("open"), {**data, "village": tree.v11.pk, "title": "t", "subject": "rules", "guidance": "g"}
    )
    assert response.status_code == 200 and "village" in response.context["form"].errors  # not g2's village
    assert not OrganizationGuidance.objects.exists()
    with pytest.raises(PermissionDenied):
        open_case(CODE, gb_secretary, tree.v21)


def test_after_a_move_the_new_general_branch_takes_the_case(
    tree, client_as, case, gb_secretary, gb2_secretary, superuser
):
    actions.organization_move(
        actor=superuser, organization=tree.v21, new_parent=tree.g1, effective_date=datetime.date.today(), reason="调整"
    )
    assert client_as(gb2_secretary).get(case.get_absolute_url()).status_code == 404
    new = client_as(gb_secretary)
    assert new.get(case.get_absolute_url()).status_code == 200
    assert step(new, case, "give").status_code == 302
    case.refresh_from_db()
    assert case.status == G.GIVEN and case.general_branch == tree.g2  # the general branch of its time is kept


def test_attachments(settings, tmp_path, client_as, case, gb2_secretary, gb_secretary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    secretary = client_as(gb2_secretary)
    pdf = SimpleUploadedFile("指导记录.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    assert secretary.post(url("attach", case.pk), {"file": pdf}).status_code == 302
    attachment = case.attachments.get()
    download = secretary.get(url("attachment", case.pk, attachment.pk))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert client_as(gb_secretary).get(url("attachment", case.pk, attachment.pk)).status_code == 404
    fake = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>")
    assert secretary.post(url("attach", case.pk), {"file": fake}).status_code == 400
    assert secretary.post(url("detach", case.pk, attachment.pk)).status_code == 302
    assert not case.attachments.exists()


def test_lists_filters_and_export(tree, client_as, case, gb2_secretary):
    secretary = client_as(gb2_secretary)
    assert case.title in secretary.get(url("list") + "?state=open").content.decode()
    assert case.title not in secretary.get(url("list") + "?state=closed").content.decode()
    assert case.title in secretary.get(url("list") + f"?within={tree.v21.pk}&status=draft").content.decode()
    export = secretary.get(url("list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_overview_pages(tree, client_as, case, town_cadre, gb2_secretary, gb_secretary, v21_secretary):
    town = client_as(town_cadre).get(reverse("branches:power_overview"))
    assert town.status_code == 200 and tree.g1.name in town.content.decode() and tree.g2.name in town.content.decode()
    page = client_as(gb2_secretary).get(reverse("branches:power_general_branch", args=[tree.g2.pk]))
    assert page.status_code == 200 and case.get_absolute_url() in page.content.decode()
    assert client_as(gb_secretary).get(reverse("branches:power_general_branch", args=[tree.g2.pk])).status_code == 404
    assert client_as(v21_secretary).get(reverse("branches:power_overview")).status_code == 200


def test_query_counts_do_not_grow_with_the_cases(tree, client_as, gb2_secretary, town_cadre):
    def make(n):
        def build():
            for i in range(n):
                c = open_case(CODE, gb2_secretary, tree.v21 if i % 2 else tree.v22, title=f"指导{i}")
                actions.case_transition(actor=gb2_secretary, case=c, name="give")
            return n

        return build

    secretary, town = client_as(gb2_secretary), client_as(town_cadre)
    pages = [
        url("list"),
        reverse("branches:power_overview"),
        reverse("branches:power_general_branch", args=[tree.g2.pk]),
    ]

    def measure(_):
        return tuple(kit.page_queries(c, p) for c in (secretary, town) for p in pages)

    kit.assert_flat(measure, make(2), make(20))


def test_the_to_do_lists_name_who_must_act(client_as, case, gb2_secretary, g2_deputy, v21_secretary, town_cadre):
    from branches.todo import power_todos

    def labels(user):
        return [item["label"] for item in power_todos(user)]

    assert len(labels(g2_deputy)) == 1 and len(labels(gb2_secretary)) == 1  # a draft to give
    assert labels(v21_secretary) == [] and labels(town_cadre) == []
    actions.case_transition(actor=gb2_secretary, case=case, name="give")
    assert len(labels(v21_secretary)) == 1 and labels(gb2_secretary) == []
    actions.case_transition(actor=v21_secretary, case=case, name="respond", comment="已办")
    assert len(labels(gb2_secretary)) == 1 and labels(g2_deputy) == []  # only the secretary accepts
    dashboard = client_as(gb2_secretary).get("/")
    assert "status=responded" in dashboard.content.decode()


def test_the_monthly_report_counts_cases_opened_and_closed(tree, case, gb2_secretary):
    today = datetime.date.today()
    figures = actions.report_figures(tree.v21, today.replace(day=1))
    assert figures["powers"][CODE] == {"opened": 1, "closed": 0}
    actions.case_transition(actor=gb2_secretary, case=case, name="give")
    case.refresh_from_db()
    actions.case_transition(actor=gb2_secretary, case=case, name="close", comment="无需回复")
    assert actions.report_figures(tree.v21, today.replace(day=1))["powers"][CODE] == {"opened": 1, "closed": 1}
