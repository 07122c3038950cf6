"""Brute force: five failed logins lock the account for a while, the right password included (HTML and API)."""

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
