"""Checklist items 6-8: the absolute session limit, a new session key at login, and sessions ended by a password
change or by deactivating the user (docs/SECURITY.md, "Sessions")."""

import datetime

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from anding.models import AuditEvent
from anding.sessions import LOGIN_AT

from .factories import PASSWORD


def logged_in(user) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def age_session(client, hours):
    session = client.session
    session[LOGIN_AT] = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    session.save()


def test_06_idle_timeout_is_30_minutes_renewed_on_every_request(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_06_absolute_session_limit_sends_pages_to_the_login(village_secretary):
    client = logged_in(village_secretary)
    age_session(client, 7.9)
    assert client.get("/").status_code == 200  # busy and within the limit

    age_session(client, 8)
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="session_limit", actor=village_secretary).exists()


def test_06_absolute_session_limit_ends_the_api_session(village_secretary):
    client = logged_in(village_secretary)
    assert client.get("/api/organizations/").status_code == 200
    age_session(client, 8)

    assert client.get("/api/organizations/").status_code in (401, 403)
    assert client.get("/api/organizations/").status_code in (401, 403)  # and stays ended


def test_06_the_limit_is_a_setting(settings, village_secretary):
    settings.SESSION_ABSOLUTE_HOURS = 2
    client = logged_in(village_secretary)
    age_session(client, 2)

    assert client.get("/").status_code == 302


def test_07_session_rotated_at_login(client, village_secretary):
    client.get("/accounts/login/")
    client.session.save()
    before = client.cookies["sessionid"].value

    client.post("/accounts/login/", {"username": village_secretary.username, "password": PASSWORD})

    assert client.cookies["sessionid"].value != before
    assert not Session.objects.filter(session_key=before).exists()


def test_07_a_logged_out_cookie_replayed_is_refused(village_secretary):
    client = logged_in(village_secretary)
    cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")

    replay = Client()
    replay.cookies["sessionid"] = cookie

    assert replay.get("/").status_code == 302


def test_08_password_change_ends_other_sessions(village_secretary):
    phone, desk = logged_in(village_secretary), logged_in(village_secretary)

    village_secretary.set_password("A-new-pa55word")
    village_secretary.save()

    assert phone.get("/").status_code == 302
    assert desk.get("/api/organizations/").status_code in (401, 403)


def test_08_the_admin_password_change_keeps_the_changers_own_session(client_as, superuser, village_secretary):
    other = logged_in(village_secretary)
    admin = client_as(superuser)
    response = admin.post(
        f"/admin/anding/user/{village_secretary.pk}/password/",
        {"password1": "A-new-pa55word", "password2": "A-new-pa55word", "usable_password": "true"},
    )

    assert response.status_code == 302
    assert other.get("/").status_code == 302
    assert admin.get("/admin/").status_code == 200


def test_08_deactivation_ends_sessions_and_tokens(village_secretary):
    phone, desk = logged_in(village_secretary), logged_in(village_secretary)
    Token.objects.create(user=village_secretary)

    village_secretary.is_active = False
    village_secretary.save()

    assert phone.get("/").status_code == 302
    assert desk.get("/api/organizations/").status_code in (401, 403)
    assert not Token.objects.filter(user=village_secretary).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(village_secretary.pk)]
    event = AuditEvent.objects.get(action="user_deactivated")
    assert event.detail == {"sessions": 2, "tokens": 1}


def test_08_reactivation_does_not_revive_old_sessions(village_secretary):
    phone = logged_in(village_secretary)
    village_secretary.is_active = False
    village_secretary.save()
    village_secretary.is_active = True
    village_secretary.save()

    assert phone.get("/").status_code == 302


def test_08_deactivation_in_the_admin_ends_sessions(client_as, superuser, village_secretary):
    phone = logged_in(village_secretary)
    admin = client_as(superuser)
    page = admin.get(f"/admin/anding/user/{village_secretary.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "is_active": "",
            "date_joined_0": form["date_joined"].value().strftime("%Y-%m-%d"),
            "date_joined_1": form["date_joined"].value().strftime("%H:%M:%S"),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("is_active")
    data["groups"] = []
    data["user_permissions"] = []

    response = admin.post(f"/admin/anding/user/{village_secretary.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    village_secretary.refresh_from_db()
    assert not village_secretary.is_active
    assert phone.get("/").status_code == 302
