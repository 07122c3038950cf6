"""The history of records (issue 12, anding.history): every create, change and delete of the tree, positions,
members, reports and power cases is an audit event with the fields before and after, in the hash chain, read only
by the audit administrator; sensitive fields are never written in clear."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from anding import history
from anding.models import AuditEvent
from branches import actions
from branches.choices import OrgKind, ReportStatus, Role
from branches.models import (
    AffairsInspection,
    MonthlyReport,
    Organization,
    OrganizationGuidance,
    PartyMember,
    Position,
)

from .cases import open_case
from .factories import (
    OrganizationFactory,
    PositionFactory,
    UserFactory,
    make_id_number,
    member_edit_data,
    member_form_data,
)

HISTORY = ("history_create", "history_change", "history_delete")
TODAY = timezone.localdate()


def events_of(obj, action=None):
    """The history events of `obj`, oldest first."""
    found = AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action__in=[action] if action else HISTORY
    )
    return list(found.order_by("id"))


def changes_of(obj):
    return [(e.detail["before"], e.detail["after"]) for e in events_of(obj, "history_change")]


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


# The tree


def test_a_new_node_records_all_its_fields(tree, superuser):
    node = actions.organization_create(
        actor=superuser,
        organization=Organization(kind=OrgKind.VILLAGE, name="北湾村党支部", code="V23", parent=tree.g2),
    )

    (event,) = events_of(node, "history_create")
    assert event.detail["before"] == {}
    after = event.detail["after"]
    assert after["name"] == "北湾村党支部" and after["code"] == "V23" and after["parent"] == str(tree.g2.pk)
    assert after["households"] is None
    assert not {"lft", "rght", "tree_id", "level", "id"} & set(after)
    assert event.actor == superuser


def test_a_change_records_exactly_the_changed_fields(tree, superuser):
    node = Organization.objects.get(pk=tree.v21.pk)
    node.name, node.population, node.collective_income_yuan = "南营新村党支部", 820, "12000.5"

    actions.organization_update(actor=superuser, organization=node, changed=["name", "population"])

    assert changes_of(node) == [
        (
            {"name": "南营村党支部", "population": None, "collective_income_yuan": None},
            {"name": "南营新村党支部", "population": "820", "collective_income_yuan": "12000.50"},
        )
    ]


def test_a_save_that_changes_nothing_records_nothing(tree, superuser):
    node = Organization.objects.get(pk=tree.v21.pk)

    actions.organization_update(actor=superuser, organization=node, changed=[])
    node.save()
    node.refresh_from_db()
    node.save()

    assert changes_of(node) == []
    assert AuditEvent.objects.filter(action="org_update").count() == 1  # the action itself is still audited


def test_a_field_deferred_at_loading_still_has_its_before(tree):
    node = Organization.objects.only("name").get(pk=tree.v21.pk)
    node.population = 640  # never read: its value before comes from the database at the save

    node.save()

    assert changes_of(node) == [({"population": None}, {"population": "640"})]


def test_a_move_records_the_new_parent_and_the_reports_that_follow_it(tree, superuser, village_secretary):
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=TODAY.replace(day=1))

    actions.organization_move(
        actor=superuser, organization=tree.v11, new_parent=tree.g2, effective_date=TODAY, reason="按片区调整"
    )

    assert changes_of(tree.v11) == [({"parent": str(tree.g1.pk)}, {"parent": str(tree.g2.pk)})]
    assert changes_of(report) == [({"general_branch": str(tree.g1.pk)}, {"general_branch": str(tree.g2.pk)})]
    # The nested-set numbers of the nodes around it moved too: that is not history.
    assert changes_of(tree.v21) == [] and changes_of(tree.g1) == []


def test_a_move_by_django_mptt_is_recorded(tree):
    node = Organization.objects.get(pk=tree.v12.pk)

    node.move_to(Organization.objects.get(pk=tree.g2.pk))

    assert changes_of(node) == [({"parent": str(tree.g1.pk)}, {"parent": str(tree.g2.pk)})]


def test_a_deleted_node_records_what_it_was(tree):
    node = OrganizationFactory(kind=OrgKind.VILLAGE, name="待撤村党支部", code="V29", parent=tree.g2)
    pk = node.pk

    Organization.objects.get(pk=pk).delete()

    (event,) = AuditEvent.objects.filter(action="history_delete", object_id=str(pk))
    assert event.detail["after"] == {}
    assert event.detail["before"]["name"] == "待撤村党支部" and event.object_type == "branches.organization"


# Positions


def test_a_position_keeps_its_history(tree):
    user = UserFactory(username="newsec")
    position = PositionFactory(user=user, organization=tree.v22, role=Role.VILLAGE_SECRETARY)
    assert events_of(position, "history_create")[0].detail["after"]["role"] == Role.VILLAGE_SECRETARY

    position = Position.objects.get(pk=position.pk)
    position.end_date = datetime.date(2030, 1, 31)
    position.save()
    position.save()
    pk = position.pk
    position.delete()

    assert changes_of(Position(pk=pk)) == [({"end_date": None}, {"end_date": "2030-01-31"})]
    (deleted,) = AuditEvent.objects.filter(action="history_delete", object_type="branches.position", object_id=pk)
    assert deleted.detail["before"]["end_date"] == "2030-01-31"


def test_a_deputys_liaison_villages_keep_their_history(tree, deputy):
    position = Position.objects.get(user=deputy)
    v11, v12, v21 = tree.v11.pk, tree.v12.pk, tree.v21.pk

    position.liaison_villages.add(tree.v21)
    position.liaison_villages.add(tree.v21)  # already there: nothing changes
    position.liaison_villages.remove(tree.v11)
    position.liaison_villages.clear()

    assert changes_of(position)[0] == ({"liaison_villages": "[]"}, {"liaison_villages": f"[{v11}, {v12}]"})  # given
    assert changes_of(position)[1:] == [
        ({"liaison_villages": f"[{v11}, {v12}]"}, {"liaison_villages": f"[{v11}, {v12}, {v21}]"}),
        ({"liaison_villages": f"[{v11}, {v12}, {v21}]"}, {"liaison_villages": f"[{v12}, {v21}]"}),
        ({"liaison_villages": f"[{v12}, {v21}]"}, {"liaison_villages": "[]"}),
    ]


# Members: the ID number and phone are never written in clear


def test_a_member_change_names_the_sensitive_fields_but_never_their_values(client_as, tree, village_secretary):
    client = client_as(village_secretary)
    number = make_id_number(datetime.date(1971, 3, 15), 23, male=True)
    data = member_form_data(tree.v11, name="赵新", id_number=number, phone="13912345678")
    assert client.post("/members/add/", data).status_code == 302
    member = PartyMember.objects.get(name="赵新")
    created = events_of(member, "history_create")[0].detail["after"]
    assert created["id_number"] == history.HIDDEN and created["phone"] == history.HIDDEN
    assert created["name"] == "赵新" and "id_number_digest" not in created

    new_number = make_id_number(datetime.date(1971, 3, 15), 25, male=True)
    data = member_edit_data(member, name="赵新民", id_number=new_number, phone="13987654321")
    assert client.post(f"/members/{member.pk}/edit/", data).status_code == 302
    assert client.post(f"/members/{member.pk}/edit/", member_edit_data(PartyMember.objects.get(pk=member.pk)))

    assert changes_of(member) == [
        (
            {"name": "赵新", "id_number": history.HIDDEN, "phone": history.HIDDEN},
            {"name": "赵新民", "id_number": history.CHANGED, "phone": history.CHANGED},
        )
    ]
    (event,) = events_of(member, "history_change")
    assert event.actor == village_secretary and event.ip_address == "127.0.0.1"
    stored = str(list(AuditEvent.objects.values_list("detail", "object_repr")))
    for secret in (number, new_number, "13912345678", "13987654321"):
        assert secret not in stored


def test_a_deleted_member_leaves_no_clear_number(tree):
    member = tree.members["v22"][0]
    member = PartyMember.objects.get(pk=member.pk)

    member.delete()

    (event,) = AuditEvent.objects.filter(action="history_delete", object_type="branches.partymember")
    assert event.detail["before"]["id_number"] == history.HIDDEN
    assert member.id_number not in str(event.detail)


# Reports


def test_a_report_keeps_the_history_of_its_text_and_status(tree, village_secretary):
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=TODAY.replace(day=1))
    assert events_of(report, "history_create")[0].detail["after"]["status"] == ReportStatus.DRAFT

    report = actions.report_save(
        actor=village_secretary, report=report, version=report.version, narrative="本月", problems="", requests=""
    )
    actions.report_save(
        actor=village_secretary, report=report, version=report.version, narrative="本月", problems="", requests=""
    )

    assert changes_of(report) == [({"narrative": ""}, {"narrative": "本月"})]
    assert events_of(report, "history_change")[0].actor == village_secretary


def test_a_submitted_report_records_its_status_step(tree, village_secretary, settings):
    month = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=month)
    report = actions.report_save(
        actor=village_secretary, report=report, version=report.version, narrative="本月", problems="", requests=""
    )

    actions.report_submit(actor=village_secretary, report=MonthlyReport.objects.get(pk=report.pk))

    before, after = changes_of(report)[-1]
    assert (before["status"], after["status"]) == (ReportStatus.DRAFT, ReportStatus.SUBMITTED)
    assert before["submitted_at"] is None and after["submitted_at"]


def test_figures_changed_in_place_after_loading_keep_their_before(tree, village_secretary):
    """The loaded values become text only when a save compares them; a JSON value is text from the start, so that
    changing the loaded dict itself still leaves its before."""
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=TODAY.replace(day=1))
    MonthlyReport.objects.filter(pk=report.pk).update(figures={"members": 3})
    loaded = MonthlyReport.objects.get(pk=report.pk)

    loaded.figures["members"] = 4
    loaded.save()

    assert changes_of(report) == [({"figures": '{"members": 3}'}, {"figures": '{"members": 4}'})]


# Power cases


def test_a_power_case_keeps_its_history(tree, gb2_secretary):
    case = open_case(OrganizationGuidance.power, gb2_secretary, tree.v21)
    created = events_of(case, "history_create")[0].detail["after"]
    assert created["title"] == case.title and created["village"] == str(tree.v21.pk)
    assert created["status"] == OrganizationGuidance.Status.DRAFT

    case = OrganizationGuidance.objects.get(pk=case.pk)
    actions.case_update(actor=gb2_secretary, case=case, version=case.version, requirements="补齐记录。")
    actions.case_update(actor=gb2_secretary, case=case, version=case.version, requirements="补齐记录。")
    old_requirements = events_of(case, "history_create")[0].detail["after"]["requirements"]
    pk = case.pk
    case.delete()

    assert changes_of(OrganizationGuidance(pk=pk)) == [
        ({"requirements": old_requirements}, {"requirements": "补齐记录。"})
    ]
    assert AuditEvent.objects.filter(action="history_delete", object_id=str(pk)).exists()


def test_the_deadline_an_inspection_takes_from_its_items_is_recorded(tree, gb2_secretary):
    case = open_case(AffairsInspection.power, gb2_secretary, tree.v21)
    case = AffairsInspection.objects.get(pk=case.pk)
    deadline = case.inspected_on + datetime.timedelta(days=20)

    item = actions.inspection_add_item(actor=gb2_secretary, case=case, what="公开栏更新", deadline=deadline)

    assert ({"due_on": None}, {"due_on": deadline.isoformat()}) in changes_of(case)
    assert events_of(item, "history_create")[0].detail["after"]["what"] == "公开栏更新"


# In the chain, and only for the audit administrator


def test_history_events_verify_in_the_chain(tree, superuser, gb2_secretary):
    node = Organization.objects.get(pk=tree.v21.pk)
    node.population = 900
    actions.organization_update(actor=superuser, organization=node, changed=["population"])
    open_case(OrganizationGuidance.power, gb2_secretary, tree.v21)

    assert AuditEvent.objects.filter(action__in=HISTORY).count() >= 10  # the tree, a position, the change, a case
    assert "OK" in verify()


def test_the_audit_administrator_finds_an_objects_history_in_the_admin(client_as, tree, superuser, auditadmin):
    node = Organization.objects.get(pk=tree.v21.pk)
    node.name = "南营新村党支部"
    actions.organization_update(actor=superuser, organization=node, changed=["name"])
    (event,) = events_of(node, "history_change")
    client = client_as(auditadmin)

    listed = client.get(
        "/admin/anding/auditevent/",
        {"object_type": "branches.organization", "object_id": str(node.pk)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = client.get(f"/admin/anding/auditevent/{event.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")

    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list.values_list("action", flat=True)) == [
        "org_update",
        "history_change",
        "history_create",
    ]
    assert page.status_code == 200
    content = page.content.decode()
    with translation.override("en"):
        assert "Before and after" in content and "All its events" in content
    assert "<td>南营村党支部</td><td>南营新村党支部</td>" in content


def test_a_system_administrator_does_not_see_the_history(client_as, tree, superuser, sysadmin):
    node = Organization.objects.get(pk=tree.v21.pk)
    node.name = "南营新村党支部"
    actions.organization_update(actor=superuser, organization=node, changed=["name"])
    (event,) = events_of(node, "history_change")
    client = client_as(sysadmin)

    assert client.get("/admin/anding/auditevent/").status_code == 403
    assert client.get(f"/admin/anding/auditevent/{event.pk}/change/").status_code == 403


@pytest.mark.parametrize("model", [Organization, Position, PartyMember, MonthlyReport, AffairsInspection])
def test_bookkeeping_fields_are_not_history(model):
    names = {f.name for f in history.tracked_fields(model)}

    assert not names & history.BOOKKEEPING
    assert "id_number_digest" not in names


def test_the_admin_names_the_records_a_moved_foreign_key_pointed_to(client_as, tree, superuser, auditadmin):
    node = Organization.objects.get(pk=tree.v11.pk)
    actions.organization_move(
        actor=superuser, organization=node, new_parent=tree.g2, effective_date=datetime.date.today(), reason="调整"
    )
    (event,) = events_of(node, "history_change")

    content = client_as(auditadmin).get(f"/admin/anding/auditevent/{event.pk}/change/").content.decode()

    assert f"<td>{tree.g1.name} ({tree.g1.pk})</td><td>{tree.g2.name} ({tree.g2.pk})</td>" in content
