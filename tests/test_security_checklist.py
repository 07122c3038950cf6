"""The items of the security checklist (../shared/reference/security.md, "Testable checklist") that no other
module holds, each in a test named after it. docs/SECURITY.md maps every item to the test that proves it.

Production settings differ from the tests' (DEBUG off turns on HTTPS, HSTS and Secure cookies), so the items about
them read the settings module as production loads it, in a separate process.
"""

import json
import logging
import os
import re
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import pre_migrate
from django.test import Client, override_settings
from django.utils import timezone

from anding import settings as project_settings
from branches import actions
from branches.choices import OrgKind
from branches.models import MonthlyReport, Organization, PartyMember
from tests.conftest import more_villages
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent


def production_env() -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DJANGO_SETTINGS_MODULE": "anding.settings",
    }


def production_settings(*names: str) -> dict:
    """The values of `names` in the settings as production loads them (DEBUG off)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=production_env(), cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# Auth & sessions ----------------------------------------------------------------------------------------------


def test_02_passwords_are_hashed_with_argon2id_and_pbkdf2_is_rehashed_at_login(db, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    fresh = UserFactory(username="fresh")
    fresh.set_password(PASSWORD)
    fresh.save()
    old = UserFactory(username="old")
    old.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    old.save()

    Client().post("/accounts/login/", {"username": "old", "password": PASSWORD})

    assert fresh.password.startswith("argon2$argon2id$")
    old.refresh_from_db()
    assert old.password.startswith("argon2$argon2id$")


def test_07_cookies_are_secure_httponly_and_samesite_lax_in_production(db, village_secretary):
    production = production_settings(
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE"
    )
    assert production == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
    client = Client()
    with override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True):
        client.get("/accounts/login/", secure=True)
        client.post("/accounts/login/", {"username": "v11", "password": PASSWORD}, secure=True)

    cookie = client.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"]


def test_10_http_is_redirected_to_https_and_hsts_is_a_year_with_subdomains(db):
    production = production_settings(
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER"
    )
    assert production["SECURE_SSL_REDIRECT"] and production["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    production["SECURE_PROXY_SSL_HEADER"] = tuple(production["SECURE_PROXY_SSL_HEADER"])

    with override_settings(**production):
        plain = Client().get("/accounts/login/")
        behind_the_proxy = Client().get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
        missing = Client().get("/no-such-page/", secure=True)

    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    for response in (behind_the_proxy, missing):
        max_age = int(re.search(r"max-age=(\d+)", response["Strict-Transport-Security"])[1])
        assert max_age >= 31536000 and "includeSubDomains" in response["Strict-Transport-Security"]


# Audit & personal data ----------------------------------------------------------------------------------------

ID_NUMBER = re.compile(r"\d{17}[\dXx]")


@pytest.mark.urls("tests.error_urls")
def test_21_logs_hold_no_id_numbers_passwords_or_session_ids_and_a_newline_is_escaped(
    caplog, client_as, tree, village_secretary
):
    member = tree.members["v11"][0]
    caplog.set_level(logging.DEBUG)
    client = client_as(village_secretary)
    client.get(f"/members/?q={member.id_number}")
    Client().post("/accounts/login/", {"username": member.id_number, "password": "Wrong-pa55word"})
    Client().post("/accounts/login/", {"username": "v11\nlogin ok for town", "password": "Wrong-pa55word"})
    with override_settings(DEBUG=False):
        Client(raise_request_exception=False).get(f"/boom/?id={member.id_number}")

    logged = caplog.text
    assert "Internal Server Error" in logged  # the failure is logged, without what was sent
    assert not ID_NUMBER.search(logged) and "Wrong-pa55word" not in logged
    assert client.cookies["sessionid"].value not in logged
    from anding.models import AuditEvent

    for event in AuditEvent.objects.all():
        text = json.dumps([event.actor_name, event.object_repr, event.detail], ensure_ascii=False)
        assert not ID_NUMBER.search(text) and "Wrong-pa55word" not in text
        assert "\n" not in event.actor_name
    assert AuditEvent.objects.filter(action="login_failed", actor_name="v11loginokfortown").exists()


@pytest.mark.django_db(transaction=True)
def test_24_pg_dump_shows_no_plaintext_id_number_or_phone(tree, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")
    member = tree.members["v11"][0]
    db = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            db["NAME"],
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PGPASSWORD": db["PASSWORD"] or ""},
    ).stdout

    assert member.name in dump  # the dump holds the roster
    assert member.id_number not in dump and member.phone not in dump
    assert PartyMember.objects.get(id_number_digest=member.id_number_digest) == member  # found by the blind index


# Web/API hardening --------------------------------------------------------------------------------------------


def test_26_the_deploy_check_passes_on_production_settings(db):
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.urls("tests.error_urls")
@override_settings(DEBUG=False)
def test_27_every_response_carries_csp_nosniff_and_a_referrer_policy(client_as, tree, village_secretary, superuser):
    client = client_as(village_secretary)
    responses = {
        "html": client.get("/org/"),
        "json": client.get("/api/members/"),
        "404": client.get("/no-such-page/"),
        "api 404": client.get("/api/no-such-thing/"),
        "403": client.get("/admin/"),
        "500": Client(raise_request_exception=False).get("/boom/"),
        "api 500": Client(raise_request_exception=False).get("/api/boom/"),
        "login": Client().get("/accounts/login/"),
        "admin": client_as(superuser).get("/admin/"),
    }

    assert responses["admin"].status_code == 200  # the admin still works under its policy
    for name, response in responses.items():
        csp = response["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name


def test_28_a_post_without_csrf_token_or_from_a_foreign_origin_is_refused(tree, village_secretary):
    client = Client(enforce_csrf_checks=True)
    client.force_login(village_secretary)
    client.get("/members/add/")
    token = client.cookies["csrftoken"].value
    form = {"name": "新党员", "village": tree.v11.pk, "csrfmiddlewaretoken": token}
    before = PartyMember.objects.count()

    without = client.post("/members/add/", {k: v for k, v in form.items() if k != "csrfmiddlewaretoken"})
    foreign = client.post("/members/add/", form, secure=True, headers={"Origin": "https://evil.example"})
    api_without = client.post(
        "/api/reports/", {"village": tree.v11.pk, "month": "2026-11"}, content_type="application/json"
    )
    api_foreign = client.post(
        "/api/reports/",
        {"village": tree.v11.pk, "month": "2026-11"},
        content_type="application/json",
        secure=True,
        headers={"X-CSRFToken": token, "Origin": "https://evil.example"},
    )

    assert [r.status_code for r in (without, foreign, api_without, api_foreign)] == [403, 403, 403, 403]
    assert PartyMember.objects.count() == before and not MonthlyReport.objects.exists()


MARKUP = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def test_29_markup_in_report_fields_is_escaped_on_pages_and_in_the_admin(
    client_as, tree, superuser, village_secretary, gb_secretary
):
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=timezone.localdate().replace(day=1))
    MonthlyReport.objects.filter(pk=report.pk).update(narrative=MARKUP[0], problems=MARKUP[1], requests=MARKUP[0])

    page = client_as(gb_secretary).get(report.get_absolute_url()).content.decode()
    admin = client_as(superuser).get(f"/admin/branches/monthlyreport/{report.pk}/change/").content.decode()

    for text in (page, admin):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<script>alert(1)" not in text and "<img src=x" not in text


# Where the code may mark text safe, and why: nothing else may (model data is never marked safe).
SAFE_ALLOWED = {
    "branches/forms/tasks.py": "a widget's own template, rendered with autoescape",
    "templates/registration/two_factor_setup.html": "the QR code's SVG, drawn by the qrcode library from the secret",
}


def test_29_no_code_marks_model_data_safe():
    found = set()
    for path in ROOT.glob("**/*"):
        relative = path.relative_to(ROOT).as_posix()
        if path.suffix not in (".py", ".html") or relative.startswith((".venv/", "tests/", "staticfiles/")):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if "mark_safe(" in text or re.search(r"\|\s*safe\b", text) or "{% autoescape off" in text:
            found.add(relative)

    assert found == set(SAFE_ALLOWED)


# Reliability --------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_33_twenty_parallel_tree_writes_leave_a_sound_tree(tree, sysadmin):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with real concurrent transactions")
    movers = more_villages(tree, "g1", 10, "移")
    barrier, errors = threading.Barrier(20), []
    today = timezone.localdate()

    def job(i: int):
        try:
            barrier.wait()
            if i % 2:
                actions.organization_move(
                    actor=sysadmin, organization=movers[i // 2], new_parent=tree.g2, effective_date=today, reason="并行"
                )
            else:
                parent = Organization.objects.get(pk=(tree.g1, tree.g2)[i % 4 // 2].pk)
                actions.organization_create(
                    actor=sysadmin,
                    organization=Organization(kind=OrgKind.VILLAGE, name=f"并行村{i}", code=f"P{i:03d}", parent=parent),
                )
        except Exception as error:  # noqa: BLE001 - collected and reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=job, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Organization.objects.filter(name__startswith="并行村").count() == 10
    assert Organization.objects.filter(name__startswith="移村", parent=tree.g2).count() == 10
    nested = list(Organization.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level"))
    assert all(lft < rght for _pk, _t, lft, rght, _l in nested)
    assert Organization.objects.filter(parent=None).values("tree_id").distinct().count() == 1
    call_command("check_tree")
    Organization.objects.rebuild()
    assert list(Organization.objects.order_by("pk").values_list("pk", "tree_id", "lft", "rght", "level")) == nested


def test_37_migrations_are_complete(db):
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_37_migrations_run_with_a_2_second_lock_timeout(db):
    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout is PostgreSQL's")
    seen = []

    def during(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            seen.append(cursor.fetchone()[0])

    pre_migrate.connect(during, dispatch_uid="test_37")
    try:
        call_command("migrate", verbosity=0)
    finally:
        pre_migrate.disconnect(dispatch_uid="test_37")

    assert seen and set(seen) == {"2s"}
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"  # back to no limit for the app's own work
