"""Checklist item 9: two-factor sign-in (TOTP). Administrators and the admin site need a verified code; others
may set one up, and then their login asks for it. A code is good once; wrong codes are throttled."""

import re
import time

import pytest
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from anding.models import AuditEvent
from anding.two_factor import requires_two_factor

from .factories import PASSWORD, totp_code, totp_device


def password_login(user, path="/accounts/login/") -> Client:
    client = Client()
    response = client.post(path, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_requires_two_factor_for_administrators(superuser, village_secretary):
    assert requires_two_factor(superuser)
    assert not requires_two_factor(village_secretary)
    village_secretary.is_staff = True
    assert requires_two_factor(village_secretary)


def test_09_login_without_a_device_needs_no_code(village_secretary):
    client = password_login(village_secretary)

    assert client.get("/").status_code == 200


def test_09_login_with_a_device_asks_for_the_code(village_secretary):
    device = totp_device(village_secretary)
    client = password_login(village_secretary)

    held = client.get("/members/")
    assert held.status_code == 302
    assert held["Location"] == "/accounts/two-factor/?next=%2Fmembers%2F"
    assert client.get("/api/organizations/").status_code == 403

    response = client.post("/accounts/two-factor/?next=/members/", {"code": totp_code(device), "next": "/members/"})

    assert response.status_code == 302
    assert response["Location"] == "/members/"
    assert client.get("/members/").status_code == 200
    assert client.get("/api/organizations/").status_code == 200
    assert AuditEvent.objects.filter(action="otp_verified", actor=village_secretary, result="success").exists()


def test_09_the_session_key_changes_when_the_code_is_given(village_secretary):
    device = totp_device(village_secretary)
    client = password_login(village_secretary)
    before = client.cookies["sessionid"].value

    client.post("/accounts/two-factor/", {"code": totp_code(device)})

    assert client.cookies["sessionid"].value != before


def test_09_a_wrong_code_is_refused_and_audited(village_secretary):
    totp_device(village_secretary)
    client = password_login(village_secretary)

    with translation.override("en"):
        response = client.post("/accounts/two-factor/", {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="otp_failed", actor=village_secretary, result="failure").exists()


@pytest.mark.parametrize("code", ["", "abc", "1234567", "<script>", "12 34 56 78"])
def test_09_malformed_codes_are_refused(village_secretary, code):
    totp_device(village_secretary)
    client = password_login(village_secretary)

    response = client.post("/accounts/two-factor/", {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get("/").status_code == 302


def test_09_a_reused_code_is_refused(village_secretary):
    device = totp_device(village_secretary)
    code = totp_code(device)
    first = password_login(village_secretary)
    assert first.post("/accounts/two-factor/", {"code": code}).status_code == 302

    second = password_login(village_secretary)
    response = second.post("/accounts/two-factor/", {"code": code})

    assert response.status_code == 200
    assert second.get("/").status_code == 302


def test_09_wrong_codes_are_throttled(village_secretary):
    device = totp_device(village_secretary)
    client = password_login(village_secretary)
    for _ in range(3):
        client.post("/accounts/two-factor/", {"code": "000000"})

    with translation.override("en"):
        response = client.post("/accounts/two-factor/", {"code": totp_code(device)}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200  # even the right code waits
    assert "Too many wrong codes" in str(response.context["form"].errors["code"])
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="otp_throttled", actor=village_secretary).exists()
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_09_admin_requires_verified_otp(superuser):
    device = totp_device(superuser)
    client = password_login(superuser, "/admin/login/?next=/admin/")

    held = client.get("/admin/")
    assert held.status_code == 302
    assert held["Location"].startswith("/accounts/two-factor/")

    client.post("/accounts/two-factor/", {"code": totp_code(device)})
    assert client.get("/admin/").status_code == 200


def test_09_the_admin_site_itself_refuses_an_unverified_session(superuser, rf):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = superuser
    superuser.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    superuser.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_09_an_administrator_without_a_device_must_set_one_up(superuser):
    client = password_login(superuser)

    for path in ["/", "/admin/", "/members/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/setup/")
    assert client.get("/api/organizations/").status_code == 403
    assert client.get("/accounts/two-factor/").status_code == 302  # nothing to verify yet: to the setup


def test_09_setting_up_a_device(superuser):
    client = password_login(superuser)

    page = client.get("/accounts/two-factor/setup/?next=/admin/")
    html = page.content.decode()

    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert "otpauth://totp/" in html
    assert "<svg" in html
    assert not re.search(r"(src|href)=\"https?://", html)  # nothing fetched from elsewhere
    assert " style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]  # the CSP allows no inline style

    response = client.post("/accounts/two-factor/setup/", {"code": totp_code(device), "next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="otp_setup", actor=superuser, result="success").exists()

    # The next login asks for the code of that device.
    again = password_login(superuser)
    assert again.get("/admin/")["Location"].startswith("/accounts/two-factor/?")


def test_09_a_wrong_code_does_not_confirm_the_setup(village_secretary):
    client = password_login(village_secretary)
    client.get("/accounts/two-factor/setup/")

    response = client.post("/accounts/two-factor/setup/", {"code": "000000"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=village_secretary, confirmed=True).exists()
    assert AuditEvent.objects.filter(action="otp_setup_failed", actor=village_secretary).exists()


def test_09_a_device_cannot_be_replaced_without_its_code(village_secretary):
    totp_device(village_secretary)
    client = password_login(village_secretary)

    response = client.get("/accounts/two-factor/setup/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    assert not TOTPDevice.objects.filter(user=village_secretary, confirmed=False).exists()


def test_09_an_optional_device_set_up_by_a_secretary(village_secretary):
    client = password_login(village_secretary)
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=village_secretary)

    assert client.post("/accounts/two-factor/setup/", {"code": totp_code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_09_tokens_issued_before_the_device_are_revoked_by_its_setup(village_secretary):
    token = Token.objects.create(user=village_secretary)
    client = password_login(village_secretary)
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=village_secretary)

    client.post("/accounts/two-factor/setup/", {"code": totp_code(device)})

    assert not Token.objects.filter(pk=token.pk).exists()
    assert Client().get("/api/members/", headers={"Authorization": f"Token {token.key}"}).status_code in (401, 403)


def test_09_the_two_factor_pages_need_a_login(client, db):
    for path in ["/accounts/two-factor/", "/accounts/two-factor/setup/"]:
        assert client.get(path)["Location"].startswith("/accounts/login/")


def test_09_the_next_address_stays_on_the_site(village_secretary):
    device = totp_device(village_secretary)
    client = password_login(village_secretary)

    response = client.post("/accounts/two-factor/", {"code": totp_code(device), "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_09_a_token_needs_the_code_of_a_user_with_a_device(client, village_secretary):
    device = totp_device(village_secretary)
    credentials = {"username": village_secretary.username, "password": PASSWORD}

    assert client.post("/api/token/", credentials).status_code == 403
    assert client.post("/api/token/", {**credentials, "otp_token": "000000"}).status_code == 403
    device.throttle_reset()
    response = client.post("/api/token/", {**credentials, "otp_token": totp_code(device)})

    assert response.status_code == 200
    assert response.json()["token"]


def test_09_an_administrator_without_a_device_gets_no_token(client, superuser):
    response = client.post("/api/token/", {"username": superuser.username, "password": PASSWORD})

    assert response.status_code == 403
    assert "token" not in response.json()


def test_09_a_code_from_another_time_step_is_refused(village_secretary):
    device = totp_device(village_secretary)
    client = password_login(village_secretary)

    response = client.post("/accounts/two-factor/", {"code": totp_code(device, at=time.time() - 300)})

    assert response.status_code == 200
