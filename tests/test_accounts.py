"""The accounts' controls of 等保 and the checklist (items 1, 3, 9 and 12 of ../shared/reference/security.md): the lock
and its unlock by the security administrator, passwords that expire, the reset of a lost second factor, inactive
accounts and reserved user names."""

import contextlib
import datetime
import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from anding.auth import current_locks, is_locked_out
from anding.models import AuditEvent, User

from .factories import PASSWORD, UserFactory, totp_device

ATTACKER = "203.0.113.5"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@contextlib.contextmanager
def minutes_later(minutes: float):
    """Every clock of the portal (the audit trail's and the lock's) `minutes` ahead."""
    later = timezone.now() + datetime.timedelta(minutes=minutes)
    with mock.patch.object(timezone, "now", return_value=later):
        yield


def login(client, user, password, address=ATTACKER):
    return client.post("/accounts/login/", {"username": user.username, "password": password}, REMOTE_ADDR=address, **EN)


def lock(user, address=ATTACKER):
    client = Client()
    for _ in range(5):
        login(client, user, "wrong", address)
    assert is_locked_out(user.username, address)
    return client


# Item 3: the lock, and the unlock --------------------------------------------------------------------------------


def test_03_lockout_after_5_failures_audited_with_ip(village_secretary):
    client = Client()
    for _ in range(4):
        login(client, village_secretary, "wrong")
    assert not is_locked_out(village_secretary.username, ATTACKER)
    login(client, village_secretary, "wrong")

    refused = login(client, village_secretary, PASSWORD)

    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert "Too many failed attempts" in refused.context["form"].errors["__all__"][0]
    failures = AuditEvent.objects.filter(action="login_failed", actor_name=village_secretary.username)
    assert failures.count() == 6  # five wrong passwords and the right one refused
    assert {(e.ip_address, e.result) for e in failures} == {(ATTACKER, "failure")}
    assert all(e.at.tzinfo is not None for e in failures)
    locked = AuditEvent.objects.get(action="login_locked")
    assert (locked.actor_name, locked.ip_address, locked.result) == (village_secretary.username, ATTACKER, "failure")


def test_03_the_security_administrator_unlocks_and_it_is_audited(client_as, village_secretary, secadmin):
    lock(village_secretary)
    admin = client_as(secadmin)
    page = admin.get(f"/admin/anding/user/{village_secretary.pk}/change/", **EN)
    assert page.context["account_locks"][0]["address"] == ATTACKER
    assert page.context["account_locks"][0]["failures"] == 5
    assert b"Unlock" in page.content and ATTACKER.encode() in page.content

    response = admin.post(f"/admin/anding/user/{village_secretary.pk}/unlock/", {"address": ATTACKER})

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="unlock")
    assert (event.actor, event.object_id, event.detail["address"]) == (secadmin, str(village_secretary.pk), ATTACKER)
    assert not is_locked_out(village_secretary.username, ATTACKER)
    assert login(Client(), village_secretary, PASSWORD).status_code == 302
    # The count starts afresh from the unlock: four more failures do not lock again, the fifth does.
    client = Client()
    for _ in range(4):
        login(client, village_secretary, "wrong")
    assert not is_locked_out(village_secretary.username, ATTACKER)


def test_03_the_unlock_action_unlocks_every_address(client_as, village_secretary, secadmin):
    lock(village_secretary)
    lock(village_secretary, "198.51.100.7")

    response = client_as(secadmin).post(
        "/admin/anding/user/", {"action": "unlock_accounts", "_selected_action": [village_secretary.pk]}
    )

    assert response.status_code == 302
    assert current_locks(village_secretary) == []
    assert AuditEvent.objects.get(action="unlock").detail["address"] is None


def test_03_only_the_security_administrator_unlocks(client_as, village_secretary, sysadmin, auditadmin, secadmin):
    lock(village_secretary)
    lock(secadmin)
    for admin in (sysadmin, auditadmin):
        response = client_as(admin).post(f"/admin/anding/user/{village_secretary.pk}/unlock/", {"address": ""})
        assert response.status_code in (403, 404)
    page = client_as(sysadmin).get(f"/admin/anding/user/{village_secretary.pk}/change/")
    assert page.context["account_locks"] and not page.context["can_unlock"]
    action_form = client_as(sysadmin).get("/admin/anding/user/").context["action_form"]
    assert action_form is None or "unlock_accounts" not in dict(action_form.fields["action"].choices)
    # Nor the security administrator their own account.
    assert client_as(secadmin).post(f"/admin/anding/user/{secadmin.pk}/unlock/").status_code == 403
    assert client_as(secadmin).get(f"/admin/anding/user/{village_secretary.pk}/unlock/").status_code == 405

    assert not AuditEvent.objects.filter(action="unlock").exists()
    assert is_locked_out(village_secretary.username, ATTACKER) and is_locked_out(secadmin.username, ATTACKER)


def test_03_the_lock_ends_after_30_minutes(village_secretary):
    client = Client()
    for minute in (0, 3, 6, 9, 12):  # the fifth failure 12 minutes after the first: within 15
        with minutes_later(minute):
            login(client, village_secretary, "wrong")

    with minutes_later(12 + 29):
        assert is_locked_out(village_secretary.username, ATTACKER)
        assert login(client, village_secretary, PASSWORD).status_code == 200
    with minutes_later(12 + 31):
        assert login(client, village_secretary, PASSWORD).status_code == 302


def test_03_failures_spread_over_more_than_15_minutes_do_not_lock(village_secretary):
    client = Client()
    for minute in (0, 4, 8, 12, 16):
        with minutes_later(minute):
            login(client, village_secretary, "wrong")

    with minutes_later(16.5):
        assert not is_locked_out(village_secretary.username, ATTACKER)
        assert login(client, village_secretary, PASSWORD).status_code == 302


# Item 9: a lost second factor -------------------------------------------------------------------------------------


def test_09_the_security_administrator_resets_a_lost_device(client_as, secadmin, sysadmin):
    phone = client_as(sysadmin)  # signed in with the device now lost
    assert phone.get("/admin/").status_code == 200
    page = client_as(secadmin).get(f"/admin/anding/user/{sysadmin.pk}/change/", **EN)
    assert page.context["has_device"] and b"Remove the authenticator app" in page.content

    response = client_as(secadmin).post(f"/admin/anding/user/{sysadmin.pk}/otp-reset/")

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=sysadmin).exists()
    event = AuditEvent.objects.get(action="otp_reset")
    assert (event.actor, event.object_id, event.detail["devices"]) == (secadmin, str(sysadmin.pk), 1)
    assert phone.get("/admin/").status_code == 302  # the session is ended
    # At the next login the administrator must set up a new device.
    again = Client()
    again.post("/accounts/login/", {"username": sysadmin.username, "password": PASSWORD})
    assert again.get("/").url.startswith("/accounts/two-factor/setup/")


def test_09_only_the_security_administrator_resets_a_device_and_not_their_own(
    client_as, secadmin, sysadmin, village_secretary
):
    totp_device(village_secretary)
    assert client_as(sysadmin).post(f"/admin/anding/user/{village_secretary.pk}/otp-reset/").status_code == 403
    assert client_as(secadmin).post(f"/admin/anding/user/{secadmin.pk}/otp-reset/").status_code == 403
    assert TOTPDevice.objects.filter(user=village_secretary).exists()
    assert TOTPDevice.objects.filter(user=secadmin).exists()
    assert not AuditEvent.objects.filter(action="otp_reset").exists()


# Item 1 (等保): passwords expire after 90 days ---------------------------------------------------------------------


def expire(user, days=91):
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=days))


def test_01_password_expires_after_90_days_and_must_be_changed(village_secretary):
    client = Client()
    client.force_login(village_secretary)
    expire(village_secretary, 89)
    assert client.get("/").status_code == 200
    expire(village_secretary, 91)

    response = client.get("/members/", **EN)

    assert response.status_code == 302 and response.url == "/accounts/password/?next=%2Fmembers%2F"
    page = client.get(response.url, **EN)
    assert "older than 90 days" in page.content.decode()
    changed = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "New-pass-2027",
            "new_password2": "New-pass-2027",
            "next": "/members/",
        },
    )
    assert changed.status_code == 302 and changed.url == "/members/"
    assert client.get("/").status_code == 200
    village_secretary.refresh_from_db()
    assert timezone.now() - village_secretary.password_changed_at < datetime.timedelta(minutes=1)
    assert AuditEvent.objects.filter(action="password_change", actor=village_secretary).exists()


def test_01_an_expired_password_gets_403_from_the_api(village_secretary):
    client = Client()
    client.force_login(village_secretary)
    token = Client().post("/api/token/", {"username": village_secretary.username, "password": PASSWORD}).json()
    expire(village_secretary)

    response = client.get("/api/organizations/", **EN)
    by_token = Client().get("/api/organizations/", HTTP_AUTHORIZATION=f"Token {token['token']}", **EN)
    new_token = Client().post("/api/token/", {"username": village_secretary.username, "password": PASSWORD}, **EN)

    for refused in (response, by_token, new_token):
        assert refused.status_code == 403
        assert "change it" in refused.json()["detail"]


def test_01_the_new_password_must_differ_from_the_current_one(village_secretary):
    client = Client()
    client.force_login(village_secretary)
    expire(village_secretary)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
        **EN,
    )

    assert response.status_code == 200
    assert "must differ from the current one" in str(response.context["form"].errors)
    assert client.get("/").status_code == 302


def test_01_a_rehash_at_login_is_no_change_of_password(settings, village_secretary):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    expire(village_secretary, 30)
    village_secretary.refresh_from_db()
    before = village_secretary.password_changed_at

    assert village_secretary.check_password(PASSWORD)

    village_secretary.refresh_from_db()
    assert village_secretary.password.startswith("argon2") and village_secretary.password_changed_at == before


def test_01_new_users_start_with_a_fresh_password(db):
    user = UserFactory()
    assert timezone.now() - user.password_changed_at < datetime.timedelta(minutes=1)


# Item 12: inactive accounts, default and shared accounts ---------------------------------------------------------


def test_12_inactive_accounts_are_disabled_after_90_days(village_secretary):
    days_ago = lambda days: timezone.now() - datetime.timedelta(days=days)  # noqa: E731
    stale = UserFactory(username="stale", last_login=days_ago(91))
    recent = UserFactory(username="recent", last_login=days_ago(89))
    never = UserFactory(username="never", date_joined=days_ago(91))
    new = UserFactory(username="new", date_joined=days_ago(10))
    phone = Client()
    phone.force_login(stale)
    User.objects.filter(pk=stale.pk).update(last_login=days_ago(91))
    out = io.StringIO()

    call_command("disable_inactive_accounts", stdout=out)

    assert "2 account(s)" in out.getvalue()
    assert {u.username for u in User.objects.filter(is_active=False)} == {"stale", "never"}
    assert all(User.objects.get(pk=u.pk).is_active for u in (recent, new, village_secretary))
    events = AuditEvent.objects.filter(action="user_deactivated_inactive")
    assert sorted(e.object_repr for e in events) == sorted([str(stale), str(never)])
    assert phone.get("/").status_code == 302  # the session ended with the account
    # Reactivated by the system administrator: not deactivated again before a new period has passed.
    never.refresh_from_db()
    never.is_active = True
    never.save()
    call_command("disable_inactive_accounts", stdout=io.StringIO())
    assert User.objects.get(pk=never.pk).is_active


def test_12_the_period_is_a_setting_and_an_option(settings, db):
    user = UserFactory(username="quiet", last_login=timezone.now() - datetime.timedelta(days=40))
    call_command("disable_inactive_accounts", stdout=io.StringIO())
    assert User.objects.get(pk=user.pk).is_active
    call_command("disable_inactive_accounts", "--days", "30", stdout=io.StringIO())
    assert not User.objects.get(pk=user.pk).is_active
    with pytest.raises(CommandError):
        call_command("disable_inactive_accounts", "--days", "0", stdout=io.StringIO())


@pytest.mark.parametrize("name", ["admin", "Root", "test", "administrator", "guest", "user", "demo"])
def test_12_reserved_user_names_are_refused(client_as, sysadmin, village_secretary, name):
    with pytest.raises(ValidationError), translation.override("en"):
        User._meta.get_field("username").clean(name, None)  # what createsuperuser asks too
    admin = client_as(sysadmin)

    added = admin.post(
        "/admin/anding/user/add/",
        {"username": name, "full_name": "x", "password1": "Lantern-7-orchard", "password2": "Lantern-7-orchard"},
        **EN,
    )

    assert added.status_code == 200
    assert "default or shared account name" in str(added.context["adminform"].form.errors)
    assert not User.objects.filter(username__iexact=name).exists()


def test_12_an_account_is_not_renamed_to_a_reserved_name(client_as, sysadmin, village_secretary):
    admin = client_as(sysadmin)
    page = admin.get(f"/admin/anding/user/{village_secretary.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("last_login", None)
    data.pop("date_joined", None)

    response = admin.post(f"/admin/anding/user/{village_secretary.pk}/change/", {**data, "username": "guest"}, **EN)

    assert response.status_code == 200 and "username" in response.context["adminform"].form.errors
    assert User.objects.get(pk=village_secretary.pk).username == village_secretary.username
