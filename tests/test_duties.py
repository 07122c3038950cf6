"""Separation of duties (三员分立, checklist item 11): the system administrator restructures the tree and manages
accounts but reads no personal data and no audit event; the security administrator grants roles and reads no audit
event; the audit administrator reads and exports the audit trail and nothing else; `manage.py check_duties` fails
on a second role or a superuser outside break-glass."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import load_workbook

from anding import audit, duties
from anding.models import AuditEvent, User
from branches.choices import Role
from branches.models import Organization, Position

from .factories import PositionFactory, UserFactory, grant

PERSONAL_PAGES = [
    "/admin/branches/partymember/",
    "/admin/branches/partymember/{member}/change/",
    "/admin/branches/recruitmentcase/",
    "/admin/services/household/",
    "/admin/services/servicerecord/",
]


@pytest.fixture
def member(tree):
    return tree.members["v11"][0]


def pages(member):
    return [page.format(member=member.pk) for page in PERSONAL_PAGES]


# The system administrator ------------------------------------------------------------------------------------------


def test_11_the_system_administrator_sees_the_whole_tree_in_the_admin(client_as, tree, sysadmin):
    response = client_as(sysadmin).get("/admin/branches/organization/")

    assert response.status_code == 200
    assert set(response.context["cl"].queryset.values_list("pk", flat=True)) == set(
        Organization.objects.values_list("pk", flat=True)
    )
    form = client_as(sysadmin).get(f"/admin/branches/organization/{tree.v11.pk}/change/").context["adminform"].form
    assert {tree.g2.pk, tree.v21.pk} <= set(form.fields["parent"].queryset.values_list("pk", flat=True))


def test_11_the_system_administrator_restructures_the_tree(client_as, tree, sysadmin):
    from branches import actions

    actions.organization_move(
        actor=sysadmin, organization=tree.v12, new_parent=tree.g2, effective_date=timezone.localdate(), reason="调整"
    )

    tree.v12.refresh_from_db()
    assert tree.v12.parent == tree.g2


def test_11_the_system_administrator_reads_no_personal_data(client_as, tree, member, sysadmin):
    client = client_as(sysadmin)
    for page in pages(member):
        assert client.get(page).status_code == 403, page
    assert client.get(member.get_absolute_url()).status_code == 404
    assert client.get(f"/api/members/{member.pk}/").status_code == 404
    assert client.get("/api/members/").json()["count"] == 0
    assert client.get("/members/?export=xlsx").status_code == 403
    assert member.name not in client.get(f"/org/{tree.v11.pk}/").content.decode()


def test_11_the_system_administrator_manages_accounts_but_grants_no_role(client_as, tree, sysadmin):
    account = UserFactory(username="newcomer")
    client = client_as(sysadmin)

    form = client.get(f"/admin/anding/user/{account.pk}/change/").context["adminform"].form
    assert "is_active" in form.fields
    assert "groups" not in form.fields and "is_superuser" not in form.fields and "user_permissions" not in form.fields

    response = client.post(
        "/admin/anding/user/add/", {"username": "added", "password1": "x8#Kq!vR2m@z", "password2": "x8#Kq!vR2m@z"}
    )
    assert response.status_code == 302 and User.objects.filter(username="added").exists()


def test_11_the_system_and_security_administrators_read_no_audit_event(client_as, tree, sysadmin, secadmin):
    audit.record("login", actor=sysadmin)
    for admin in (sysadmin, secadmin):
        assert client_as(admin).get("/admin/anding/auditevent/").status_code == 403
        assert client_as(admin).get("/admin/anding/auditevent/export/csv/").status_code == 403


# The security administrator ----------------------------------------------------------------------------------------


def test_11_the_security_administrator_grants_positions_and_roles(client_as, tree, secadmin):
    account = UserFactory(username="newcomer")
    client = client_as(secadmin)

    response = client.get("/admin/branches/position/add/")
    assert response.status_code == 200
    response = client.post(
        "/admin/branches/position/add/",
        {"user": account.pk, "organization": tree.v21.pk, "role": Role.VILLAGE_SECRETARY, "start_date": "2026-01-01"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Position.objects.filter(user=account, organization=tree.v21).exists()

    exporters = Group.objects.get(name=duties.MEMBER_EXPORTERS)
    response = client.post(f"/admin/anding/user/{account.pk}/change/", {"is_staff": "", "groups": [exporters.pk]})
    assert response.status_code == 302
    assert list(account.groups.all()) == [exporters]
    account.refresh_from_db()
    assert account.username == "newcomer"  # the account's own fields are the system administrator's


def test_11_no_administrator_is_given_a_position(client_as, tree, secadmin, sysadmin):
    with translation.override("en"):
        response = client_as(secadmin).post(
            "/admin/branches/position/add/",
            {"user": secadmin.pk, "organization": tree.town.pk, "role": Role.TOWN_CADRE, "start_date": "2026-01-01"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert "An administrator holds no position" in str(response.context["adminform"].form.errors["user"])
    assert not Position.objects.filter(user__in=[secadmin, sysadmin]).exists()


def test_11_the_security_administrator_reads_no_personal_data_and_sets_no_password(
    client_as, tree, member, secadmin, sysadmin
):
    client = client_as(secadmin)
    for page in pages(member):
        assert client.get(page).status_code == 403, page
    assert client.get(f"/admin/anding/user/{sysadmin.pk}/password/").status_code == 403


def test_11_no_one_is_given_two_administrator_roles_in_the_admin(client_as, tree, secadmin, sysadmin):
    two = Group.objects.filter(name__in=[duties.SYSTEM_ADMIN, duties.AUDIT_ADMIN])
    with translation.override("en"):
        response = client_as(secadmin).post(
            f"/admin/anding/user/{sysadmin.pk}/change/",
            {"is_staff": "on", "groups": [g.pk for g in two]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert "two administrator roles" in str(response.context["adminform"].form.errors["groups"])
    assert duties.admin_roles(User.objects.get(pk=sysadmin.pk)) == {duties.SYSTEM_ADMIN}


def test_11_the_security_administrator_cannot_change_their_own_roles(client_as, tree, secadmin):
    form = client_as(secadmin).get(f"/admin/anding/user/{secadmin.pk}/change/").context["adminform"].form
    assert "groups" not in form.fields


def test_11_no_administrator_changes_a_superuser(client_as, tree, sysadmin, secadmin, superuser):
    for admin in (sysadmin, secadmin):
        response = client_as(admin).post(f"/admin/anding/user/{superuser.pk}/change/", {"is_active": ""})
        assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active


# The audit administrator -------------------------------------------------------------------------------------------


def test_11_the_audit_administrator_reads_the_trail_and_nothing_else(client_as, tree, member, auditadmin):
    client = client_as(auditadmin)

    assert client.get("/admin/anding/auditevent/").status_code == 200
    for page in [*pages(member), "/admin/branches/organization/", "/admin/anding/user/", "/admin/branches/position/"]:
        assert client.get(page).status_code == 403, page
    assert client.get(member.get_absolute_url()).status_code == 404
    event = AuditEvent.objects.first() or audit.record("login", actor=auditadmin)
    assert client.post(f"/admin/anding/auditevent/{event.pk}/delete/").status_code == 403


def test_11_the_audit_administrator_exports_the_filtered_trail_and_the_export_is_audited(
    client_as, tree, auditadmin, village_secretary
):
    audit.record("login", actor=village_secretary)
    audit.record("login_failed", result=AuditEvent.Result.FAILURE, detail={"username": "x"})
    client = client_as(auditadmin)

    response = client.get("/admin/anding/auditevent/export/csv/?action__exact=login&q=v11")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.status_code == 200
    assert len(rows) == 2 and rows[1][1] == "v11" and rows[1][3] == "login"

    before = AuditEvent.objects.count()
    sheet = load_workbook(io.BytesIO(client.get("/admin/anding/auditevent/export/xlsx/").content)).active
    assert sheet.max_row == 1 + before

    exports = AuditEvent.objects.filter(action="export", actor=auditadmin).order_by("pk")
    assert [(e.detail["format"], e.detail["rows"]) for e in exports] == [("csv", 1), ("xlsx", before)]


# The check command --------------------------------------------------------------------------------------------------


def check() -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_duties", stdout=out, stderr=err)
    except CommandError:
        return "FAILED\n" + err.getvalue()
    return out.getvalue()


def test_11_check_duties_passes_with_one_role_each(tree, sysadmin, secadmin, auditadmin, town_cadre):
    assert "no breach" in check()


def test_11_check_duties_fails_on_a_second_administrator_role(tree, sysadmin):
    grant(sysadmin, duties.AUDIT_ADMIN)

    assert check().startswith("FAILED") and "sysadmin: holds 2 administrator roles" in check()


def test_11_check_duties_fails_on_a_role_held_through_a_permission_of_ones_own(tree, secadmin):
    secadmin.user_permissions.add(Permission.objects.get(codename="view_auditevent"))

    assert "secadmin: holds 2 administrator roles" in check()


def test_11_check_duties_fails_on_an_administrator_with_personal_data_or_a_position(tree, sysadmin, auditadmin):
    grant(sysadmin, duties.MEMBER_EXPORTERS)
    PositionFactory(user=auditadmin, organization=tree.town, role=Role.TOWN_CADRE)

    result = check()
    assert "sysadmin: an administrator with permissions on personal data" in result
    assert "auditadmin: an administrator holding a position" in result


def test_11_check_duties_fails_on_a_group_given_more_permissions(tree):
    Group.objects.get(name=duties.SYSTEM_ADMIN).permissions.add(Permission.objects.get(codename="view_partymember"))

    assert "has other permissions than documented" in check()


def test_11_check_duties_fails_on_a_superuser_outside_break_glass(tree, superuser, settings):
    settings.BREAK_GLASS_SUPERUSERS = []
    assert "breakglass: a superuser not listed in BREAK_GLASS_SUPERUSERS" in check()

    settings.BREAK_GLASS_SUPERUSERS = ["BreakGlass"]
    assert "no breach" in check()


def test_12_check_duties_fails_on_a_reserved_name(tree, sysadmin):
    assert "no breach" in check()
    UserFactory(username="olduser", is_active=False)
    shared = UserFactory(username="test")

    assert "test: an active account with a default or shared name" in check()
    shared.is_active = False
    shared.save()
    assert "no breach" in check()


# Permissions in one statement (anding.auth.LockoutBackend) -----------------------------------------------------------


def test_a_users_own_and_their_groups_permissions_are_read_in_one_statement(db, django_assert_num_queries):
    user = UserFactory(username="perms-reader")
    user.user_permissions.add(Permission.objects.get(codename="view_organization"))
    group = Group.objects.create(name="perms-readers")
    group.permissions.add(Permission.objects.get(codename="view_partymember"))
    user.groups.add(group)
    user = User.objects.get(pk=user.pk)

    with django_assert_num_queries(1):
        assert user.has_perm("branches.view_organization")
        assert user.has_perm("branches.view_partymember")
        assert not user.has_perm("branches.change_partymember")

    user.groups.remove(group)
    assert not User.objects.get(pk=user.pk).has_perm("branches.view_partymember")
    user.is_active = False
    assert not user.has_perm("branches.view_organization")


def test_a_superuser_has_every_permission(db):
    root = UserFactory(username="perms-root", is_superuser=True)

    assert root.get_all_permissions() >= {"branches.change_partymember", "anding.view_auditevent"}
