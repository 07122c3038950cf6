"""The organization tree: kind rules, the locked move service, check_tree, and restructuring in the admin."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from anding.models import AuditEvent
from branches import actions
from branches.choices import OrgChangeKind, OrgKind
from branches.models import Organization, OrgChange

from .factories import OrganizationFactory, UserFactory

EFFECTIVE = datetime.date(2026, 3, 1)


def snapshot():
    """Every node's place in the tree: what must not change when a restructuring is refused."""
    return list(Organization.objects.order_by("pk").values_list("pk", "parent_id", "tree_id", "lft", "rght", "level"))


def check_tree() -> str:
    out = io.StringIO()
    call_command("check_tree", stdout=out)
    return out.getvalue()


def tree_rows(client):
    """The tree page's rows in order: (name, level)."""
    return [(node.name, node.level) for node in client.get("/org/").context["nodes"]]


# Kind rules ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "parent_key", "message"),
    [
        (OrgKind.VILLAGE, "v11", "A village branch cannot be placed under a village branch."),
        (OrgKind.GENERAL, "g1", "A joint general branch cannot be placed under a joint general branch."),
        (OrgKind.GENERAL, "v11", "A joint general branch cannot be placed under a village branch."),
        (OrgKind.TOWN, "g1", "A town party committee cannot be placed under a joint general branch."),
    ],
)
def test_a_node_must_sit_one_kind_below_its_parent(tree, kind, parent_key, message):
    node = Organization(kind=kind, name="新节点", code="NEW", parent=getattr(tree, parent_key))

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        node.full_clean()

    assert caught.value.message_dict["parent"] == [message]


def test_a_village_may_sit_directly_under_a_town(tree):
    node = OrganizationFactory.build(kind=OrgKind.VILLAGE, name="直属村党支部", code="DIRECT", parent=tree.town)

    node.full_clean()
    node.save()

    assert node.get_ancestors().get() == tree.town
    assert "sound" in check_tree()


def test_only_a_town_or_district_stands_at_the_top(db):
    with pytest.raises(ValidationError) as caught:
        Organization(kind=OrgKind.VILLAGE, name="孤村党支部", code="ALONE").full_clean()

    assert "parent" in caught.value.message_dict


def test_village_names_are_unique_under_a_parent(tree):
    with pytest.raises(ValidationError) as caught:
        Organization(kind=OrgKind.VILLAGE, name=tree.v11.name, code="DUP", parent=tree.g1).full_clean()

    assert "__all__" in caught.value.message_dict or "name" in caught.value.message_dict


def test_nodes_saved_one_by_one_keep_a_sound_tree(tree):
    assert "sound (7 nodes)" in check_tree()


# The move service ---------------------------------------------------------------------------------------------


def test_moving_a_village_to_another_general_branch(tree, superuser):
    change = actions.organization_move(
        actor=superuser, organization=tree.v12, new_parent=tree.g2, effective_date=EFFECTIVE, reason="按片区调整"
    )

    tree.v12.refresh_from_db()
    assert tree.v12.parent == tree.g2
    assert OrgChange.objects.get() == change
    assert (change.kind, change.old_parent, change.new_parent) == (OrgChangeKind.MOVE, tree.g1, tree.g2)
    assert (change.effective_date, change.reason, change.actor) == (EFFECTIVE, "按片区调整", superuser)
    event = AuditEvent.objects.get(action="org_move")
    assert event.object_id == str(tree.v12.pk)
    assert event.actor == superuser
    assert event.detail["from"] == tree.g1.name
    assert event.detail["to"] == tree.g2.name
    assert event.detail["reason"] == "按片区调整"
    assert "sound (7 nodes)" in check_tree()


def test_tree_page_shows_a_moved_village_under_its_new_general_branch(client_as, tree, superuser, town_cadre):
    actions.organization_move(
        actor=superuser, organization=tree.v12, new_parent=tree.g2, effective_date=EFFECTIVE, reason="按片区调整"
    )

    rows = tree_rows(client_as(town_cadre))

    assert rows == [
        (tree.town.name, 0),
        (tree.g1.name, 1),
        (tree.v11.name, 2),
        (tree.g2.name, 1),
        (tree.v12.name, 2),
        (tree.v21.name, 2),
        (tree.v22.name, 2),
    ]
    page = client_as(town_cadre).get("/org/").content.decode()
    assert page.index(tree.g1.name) < page.index(tree.v11.name) < page.index(tree.g2.name) < page.index(tree.v12.name)
    nodes = {n.name: n for n in client_as(town_cadre).get("/org/").context["nodes"]}
    assert nodes[tree.g1.name].member_count == 3
    assert nodes[tree.g2.name].member_count == 9


def test_a_moved_village_changes_hands_between_general_secretaries(
    client_as, tree, superuser, gb_secretary, gb2_secretary
):
    member = tree.members["v12"][0]
    assert client_as(gb2_secretary).get(f"/members/{member.pk}/").status_code == 404

    actions.organization_move(
        actor=superuser, organization=tree.v12, new_parent=tree.g2, effective_date=EFFECTIVE, reason="按片区调整"
    )

    assert client_as(gb2_secretary).get(f"/members/{member.pk}/").status_code == 200
    assert client_as(gb_secretary).get(f"/members/{member.pk}/").status_code == 404
    history = client_as(gb2_secretary).get(f"/org/{tree.v12.pk}/").content.decode()
    assert "按片区调整" in history


@pytest.mark.parametrize(
    ("node_key", "parent_key"),
    [("v12", "v11"), ("v12", "v21"), ("g2", "g1"), ("g1", "v11"), ("town", "g1")],
)
def test_a_move_against_the_kind_rules_is_refused_and_changes_nothing(tree, superuser, node_key, parent_key):
    before = snapshot()

    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            actions.organization_move(
                actor=superuser,
                organization=getattr(tree, node_key),
                new_parent=getattr(tree, parent_key),
                effective_date=EFFECTIVE,
                reason="试一试",
            )
        assert "cannot be placed under" in " ".join(caught.value.message_dict["parent"])
    assert snapshot() == before
    assert not OrgChange.objects.exists()
    assert not AuditEvent.objects.filter(action="org_move").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_move_without_a_reason_is_refused(tree, superuser, reason):
    before = snapshot()

    with pytest.raises(ValidationError) as caught:
        actions.organization_move(
            actor=superuser, organization=tree.v12, new_parent=tree.g2, effective_date=EFFECTIVE, reason=reason
        )

    assert "reason" in caught.value.message_dict
    assert snapshot() == before
    assert not OrgChange.objects.exists()


def test_a_move_without_an_effective_date_is_refused(tree, superuser):
    before = snapshot()

    with pytest.raises(ValidationError) as caught:
        actions.organization_move(
            actor=superuser, organization=tree.v12, new_parent=tree.g2, effective_date=None, reason="调整"
        )

    assert "effective_date" in caught.value.message_dict
    assert snapshot() == before


def test_a_move_to_the_current_parent_is_refused(tree, superuser):
    with pytest.raises(ValidationError):
        actions.organization_move(
            actor=superuser, organization=tree.v12, new_parent=tree.g1, effective_date=EFFECTIVE, reason="调整"
        )

    assert not OrgChange.objects.exists()


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary", "outsider"])
def test_only_administrators_may_restructure(request, tree, persona):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        actions.organization_move(
            actor=request.getfixturevalue(persona),
            organization=tree.v12,
            new_parent=tree.g2,
            effective_date=EFFECTIVE,
            reason="调整",
        )

    assert snapshot() == before


def test_a_user_granted_the_change_permission_may_restructure(tree):
    admin = UserFactory(username="sysadmin", is_staff=True)
    admin.user_permissions.add(Permission.objects.get(codename="change_organization"))

    actions.organization_move(
        actor=admin, organization=tree.v12, new_parent=tree.g2, effective_date=EFFECTIVE, reason="调整"
    )

    tree.v12.refresh_from_db()
    assert tree.v12.parent == tree.g2


# check_tree ---------------------------------------------------------------------------------------------------


def test_check_tree_finds_a_broken_tree_and_fix_repairs_it(tree):
    Organization.objects.filter(pk=tree.v11.pk).update(lft=40, rght=41)  # what a lost concurrent write leaves

    with pytest.raises(CommandError):
        check_tree()

    out = io.StringIO()
    call_command("check_tree", "--fix", stdout=out)
    assert "sound" in check_tree()


def test_check_tree_finds_a_village_under_a_village(tree):
    Organization.objects.filter(pk=tree.v12.pk).update(parent=tree.v11)

    with pytest.raises(CommandError):
        check_tree()


# Restructuring in the admin -----------------------------------------------------------------------------------


def admin_form_data(node: Organization, **overrides) -> dict:
    """Everything the admin change form of `node` posts (the nested-set fields are not in the form)."""
    data = {
        "kind": node.kind,
        "name": node.name,
        "code": node.code,
        "aliases": node.aliases,
        "valid_from": node.valid_from.isoformat() if node.valid_from else "",
        "valid_to": node.valid_to.isoformat() if node.valid_to else "",
        "parent": node.parent_id or "",
        "effective_date": "",
        "change_reason": "",
        "households": node.households if node.households is not None else "",
        "population": node.population if node.population is not None else "",
        "main_industries": node.main_industries,
        "location": node.location,
        "collective_income_yuan": node.collective_income_yuan if node.collective_income_yuan is not None else "",
        "_save": "Save",
        "confirm_move": "on",  # the preview of a move's consequences was seen (tests/test_move_consequences.py)
    }
    data.update(overrides)
    return data


def change_url(node):
    return f"/admin/branches/organization/{node.pk}/change/"


def test_admin_moves_a_village_with_a_date_and_reason(client_as, tree, superuser):
    data = admin_form_data(tree.v12, parent=tree.g2.pk, effective_date="2026-03-01", change_reason="按片区调整")

    response = client_as(superuser).post(change_url(tree.v12), data)

    assert response.status_code == 302
    tree.v12.refresh_from_db()
    assert tree.v12.parent == tree.g2
    change = OrgChange.objects.get(kind=OrgChangeKind.MOVE)
    assert (change.old_parent, change.new_parent, change.effective_date) == (tree.g1, tree.g2, EFFECTIVE)
    assert change.reason == "按片区调整"
    assert AuditEvent.objects.filter(action="org_move", object_id=str(tree.v12.pk), actor=superuser).exists()
    assert "sound (7 nodes)" in check_tree()


def test_admin_refuses_a_move_without_a_reason(client_as, tree, superuser):
    before = snapshot()
    data = admin_form_data(tree.v12, parent=tree.g2.pk, effective_date="2026-03-01")

    response = client_as(superuser).post(change_url(tree.v12), data)

    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    assert snapshot() == before
    assert not OrgChange.objects.exists()


def test_admin_refuses_a_village_as_the_parent_of_a_village(client_as, tree, superuser):
    before = snapshot()
    data = admin_form_data(tree.v12, parent=tree.v11.pk, effective_date="2026-03-01", change_reason="试一试")

    response = client_as(superuser).post(change_url(tree.v12), data)

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert snapshot() == before
    assert not OrgChange.objects.exists()
    assert "sound" in check_tree()


def test_admin_shows_a_refusal_of_the_move_service_and_keeps_everything(client_as, tree, superuser, monkeypatch):
    """When the service refuses after the form was valid (e.g. the tree changed meanwhile), the admin shows why."""

    def refuse(**kwargs):
        raise ValidationError("The tree changed meanwhile; reload and try again.")

    monkeypatch.setattr(actions, "organization_move", refuse)
    before = snapshot()
    data = admin_form_data(
        tree.v12, name="西庄新村党支部", parent=tree.g2.pk, effective_date="2026-03-01", change_reason="调整"
    )
    client = client_as(superuser)

    response = client.post(change_url(tree.v12), data, follow=True)

    assert response.status_code == 200
    assert "The tree changed meanwhile" in response.content.decode()
    assert snapshot() == before
    tree.v12.refresh_from_db()
    assert tree.v12.name == "西庄村党支部"  # the rename in the same form was rolled back too


def test_admin_rename_is_kept_in_the_history(client_as, tree, superuser, town_cadre):
    response = client_as(superuser).post(change_url(tree.v12), admin_form_data(tree.v12, name="西庄新村党支部"))

    assert response.status_code == 302
    change = OrgChange.objects.get()
    assert change.kind == OrgChangeKind.RENAME
    page = client_as(town_cadre).get(f"/org/{tree.v12.pk}/").content.decode()
    assert "西庄新村党支部" in page


def test_admin_adds_a_village_through_the_service(client_as, tree, superuser):
    new = Organization(kind=OrgKind.VILLAGE, name="新建村党支部", code="V13", parent=tree.g1)

    response = client_as(superuser).post(
        "/admin/branches/organization/add/", admin_form_data(new, change_reason="新设")
    )

    assert response.status_code == 302
    node = Organization.objects.get(code="V13")
    assert node.parent == tree.g1
    assert OrgChange.objects.get(organization=node).kind == OrgChangeKind.CREATE
    assert AuditEvent.objects.filter(action="org_create", object_id=str(node.pk)).exists()
    assert "sound (8 nodes)" in check_tree()


def test_admin_cannot_delete_a_node(client_as, tree, superuser):
    response = client_as(superuser).post(f"/admin/branches/organization/{tree.v12.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Organization.objects.filter(pk=tree.v12.pk).exists()


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary", "dept_staff"])
def test_the_two_tree_readers_count_members_alike(request, tree, persona):
    """The full-tree reader (one pass in tree order) gives the counts of mptt's cumulative subquery."""
    from branches import selectors

    user = request.getfixturevalue(persona)
    tree.members["v12"][0].status = "transferred_out"  # not counted: not a current member
    tree.members["v12"][0].save()

    full = {node.pk: node.member_count for node in selectors.organization_tree_full(user)}
    per_node = {node.pk: node.member_count for node in selectors.organization_tree(user)}

    assert full == per_node
    assert full  # every persona here sees part of the tree
