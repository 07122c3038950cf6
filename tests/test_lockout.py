"""Brute force: five failed logins lock the account for a while, the right password included (HTML and API)."""

import pytest

from anding.models import AuditEvent

from .factories import PASSWORD


def login(client, user, password):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client, village_secretary):
    for _ in range(5):
        assert login(client, village_secretary, "wrong").status_code == 200

    refused = login(client, village_secretary, PASSWORD)

    assert refused.status_code == 200
    assert refused.context["form"].errors["__all__"][0].startswith(("Too many", "该账号"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_locked", result="failure").exists()


def test_the_api_token_login_shares_the_lockout(client, village_secretary):
    for _ in range(5):
        login(client, village_secretary, "wrong")

    response = client.post("/api/token/", {"username": village_secretary.username, "password": PASSWORD})

    assert response.status_code == 403
    assert "token" not in response.json()


def test_the_lock_ends_after_the_period(client, settings, village_secretary):
    for _ in range(5):
        login(client, village_secretary, "wrong")
    settings.LOGIN_LOCK_MINUTES = 0  # the period has passed

    assert login(client, village_secretary, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, village_secretary):
    for _ in range(4):
        login(client, village_secretary, "wrong")
    assert login(client, village_secretary, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, village_secretary, "wrong")

    assert login(client, village_secretary, PASSWORD).status_code == 302


def test_another_account_is_not_locked(client, village_secretary, gb_secretary):
    for _ in range(5):
        login(client, village_secretary, "wrong")

    assert login(client, gb_secretary, PASSWORD).status_code == 302


SPELLINGS = ["{name} ", " {name}", "{first} {rest}", "{upper}", "\t{name}\n", "{fullwidth}"]


def spell(template, username):
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in username)
    return template.format(
        name=username, first=username[0], rest=username[1:], upper=username.upper(), fullwidth=fullwidth
    )


@pytest.mark.parametrize("template", SPELLINGS)
def test_a_respelled_name_is_the_same_account_for_the_lock_on_the_login_page(client, village_secretary, template):
    for _ in range(5):
        client.post("/accounts/login/", {"username": spell(template, village_secretary.username), "password": "x"})

    refused = client.post("/accounts/login/", {"username": village_secretary.username, "password": PASSWORD})
    respelled = client.post(
        "/accounts/login/", {"username": spell(template, village_secretary.username), "password": PASSWORD}
    )

    assert refused.status_code == respelled.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("template", SPELLINGS)
def test_a_respelled_name_does_not_bypass_the_lock_of_the_api_token(client, village_secretary, template):
    for _ in range(5):
        login(client, village_secretary, "wrong")

    response = client.post(
        "/api/token/", {"username": spell(template, village_secretary.username), "password": PASSWORD}
    )

    assert response.status_code == 403
    assert "token" not in response.json()


@pytest.mark.parametrize("template", SPELLINGS)
def test_wrong_guesses_under_a_respelled_name_lock_the_api_token(client, village_secretary, template):
    for _ in range(5):
        client.post("/api/token/", {"username": spell(template, village_secretary.username), "password": "x"})

    assert client.post("/api/token/", {"username": village_secretary.username, "password": PASSWORD}).status_code == 403


def test_a_respelled_name_logs_in_when_not_locked(client, village_secretary):
    response = client.post("/api/token/", {"username": f" {village_secretary.username.upper()} ", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"]


def test_the_admin_login_shares_the_lockout(client, village_secretary):
    village_secretary.is_staff = True
    village_secretary.save()
    for _ in range(5):
        login(client, village_secretary, "wrong")

    client.post("/admin/login/", {"username": village_secretary.username, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_04_failures_from_another_address_do_not_lock_the_account(client, village_secretary):
    for _ in range(10):
        client.post(
            "/accounts/login/",
            {"username": village_secretary.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
        )

    assert login(client, village_secretary, PASSWORD).status_code == 302


def test_the_locked_address_stays_locked(client, village_secretary):
    attacker = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(5):
        client.post("/accounts/login/", {"username": village_secretary.username, "password": "wrong"}, **attacker)

    response = client.post(
        "/accounts/login/", {"username": village_secretary.username, "password": PASSWORD}, **attacker
    )

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="login_locked", ip_address="203.0.113.9").exists()


def test_04_five_failures_from_client_a_do_not_block_client_b_and_the_audit_shows_a(
    client, village_secretary, gb_secretary
):
    """Behind the proxy each client has its own address (REMOTE_ADDR, set by the proxy: docs/SECURITY.md)."""
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": village_secretary.username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
        )

    other = client.post(
        "/accounts/login/", {"username": gb_secretary.username, "password": PASSWORD}, REMOTE_ADDR="198.51.100.20"
    )

    assert other.status_code == 302
    failures = AuditEvent.objects.filter(action="login_failed", actor_name=village_secretary.username)
    assert failures.count() == 5 and set(failures.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_05_unknown_user_and_wrong_password_give_the_same_answer(client, village_secretary):
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    unknown = client.post("/accounts/login/", {"username": "nosuchuser", "password": "Wrong-pass-1"}, **english)
    wrong = client.post(
        "/accounts/login/", {"username": village_secretary.username, "password": "Wrong-pass-1"}, **english
    )

    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].errors == wrong.context["form"].errors

    unknown_api = client.post("/api/token/", {"username": "nosuchuser", "password": "Wrong-pass-1"}, **english)
    wrong_api = client.post(
        "/api/token/", {"username": village_secretary.username, "password": "Wrong-pass-1"}, **english
    )

    assert unknown_api.status_code == wrong_api.status_code == 400
    assert unknown_api.json() == wrong_api.json()
