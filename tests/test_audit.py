"""The audit trail: who logged in or failed to, who changed what, from where; and nobody can rewrite it."""

import pytest
from django.db import DatabaseError, connection, transaction

from anding import audit
from anding.models import AuditEvent

from .factories import PASSWORD, member_form_data

IP = "203.0.113.7"


def test_a_successful_login_is_recorded_with_the_ip(client, village_secretary):
    response = client.post("/accounts/login/", {"username": "v11", "password": PASSWORD}, REMOTE_ADDR=IP)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login")
    assert (event.actor, event.actor_name, event.ip_address) == (village_secretary, "v11", IP)
    assert event.result == AuditEvent.Result.SUCCESS


def test_a_failed_login_is_recorded_with_the_name_tried_and_the_ip(client, village_secretary):
    response = client.post("/accounts/login/", {"username": "v11", "password": "wrong-password"}, REMOTE_ADDR=IP)

    assert response.status_code == 200
    assert response.context["form"].errors
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None
    assert (event.actor_name, event.ip_address) == ("v11", IP)
    assert event.result == AuditEvent.Result.FAILURE
    assert "wrong-password" not in str(event.detail)


def test_a_failed_login_of_an_unknown_name_is_recorded(client, db):
    client.post("/accounts/login/", {"username": "nosuchuser", "password": "x"}, REMOTE_ADDR=IP)

    assert AuditEvent.objects.get(action="login_failed").actor_name == "nosuchuser"


def test_a_logout_is_recorded(client, village_secretary):
    client.post("/accounts/login/", {"username": "v11", "password": PASSWORD}, REMOTE_ADDR=IP)

    response = client.post("/accounts/logout/", REMOTE_ADDR=IP)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="logout")
    assert (event.actor, event.ip_address) == (village_secretary, IP)


def test_member_create_and_update_are_recorded(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    client.post("/members/add/", member_form_data(tree.v11), REMOTE_ADDR=IP)
    created = AuditEvent.objects.get(action="member_create")
    data = member_form_data(tree.v11, name="改名", id_number="", version=1)
    client.post(f"/members/{created.object_id}/edit/", data, REMOTE_ADDR=IP)

    updated = AuditEvent.objects.get(action="member_update")
    assert (created.actor, created.ip_address, created.object_repr) == (village_secretary, IP, "新党员")
    assert (updated.actor, updated.ip_address, updated.object_id) == (village_secretary, IP, created.object_id)
    assert "name" in updated.detail["fields"]
    assert created.object_type == updated.object_type == "branches.partymember"


def test_a_saved_event_cannot_be_changed_or_deleted(db):
    event = audit.record("test", detail={"n": 1})
    event.action = "rewritten"

    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()

    assert AuditEvent.objects.get(pk=event.pk).action == "test"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL only")
def test_the_database_refuses_to_rewrite_events(db):
    event = audit.record("test")

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.get(pk=event.pk).action == "test"


def test_the_admin_shows_events_read_only(client_as, superuser):
    client = client_as(superuser)  # logging in writes an event
    event = AuditEvent.objects.get(action="login")

    assert client.get("/admin/anding/auditevent/").status_code == 200
    assert client.get("/admin/anding/auditevent/add/").status_code == 403
    assert client.post(f"/admin/anding/auditevent/{event.pk}/change/", {"action": "x"}).status_code == 403
    assert client.post(f"/admin/anding/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    page = client.get(f"/admin/anding/auditevent/{event.pk}/change/").content.decode()
    assert 'name="action"' not in page  # read-only view: no input to change it
    assert AuditEvent.objects.get(pk=event.pk).action == "login"


def test_the_admin_grants_no_add_change_or_delete_permission(rf, superuser):
    from django.contrib import admin

    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/admin/")
    request.user = superuser

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
