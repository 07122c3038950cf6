"""Nothing typed is lost to a session timeout: the entries come back after logging in again, to their owner only."""

import re

from django.contrib.messages import get_messages

from .factories import PASSWORD, member_form_data


def owner_field(html: str) -> str:
    return re.search(r'name="_owner" value="([^"]+)"', html).group(1)


def test_entries_posted_after_the_session_ended_come_back_after_login(client, tree, village_secretary):
    client.force_login(village_secretary)
    owner = owner_field(client.get("/members/add/").content.decode())
    client.logout()  # the session ends while the form is open

    data = {**member_form_data(tree.v11, name="孙八"), "_owner": owner}
    response = client.post("/members/add/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/members/add/")

    client.post("/accounts/login/", {"username": village_secretary.username, "password": PASSWORD})
    page = client.get("/members/add/")

    assert page.context["form"].data["name"] == "孙八"
    assert 'value="孙八"' in page.content.decode()
    assert any("kept" in str(m) or "保留" in str(m) for m in get_messages(page.wsgi_request))
    # Given back once: a later visit shows an empty form.
    assert not client.get("/members/add/").context["form"].is_bound


def test_entries_are_given_back_to_their_owner_only(client, tree, village_secretary, gb_secretary):
    client.force_login(village_secretary)
    owner = owner_field(client.get("/members/add/").content.decode())
    client.logout()
    client.post("/members/add/", {**member_form_data(tree.v11, name="孙八"), "_owner": owner})

    client.post("/accounts/login/", {"username": gb_secretary.username, "password": PASSWORD})

    assert not client.get("/members/add/").context["form"].is_bound


def test_a_post_without_a_valid_owner_mark_keeps_nothing(client, tree, village_secretary):
    client.post("/members/add/", {**member_form_data(tree.v11, name="孙八"), "_owner": "forged"})
    client.post("/accounts/login/", {"username": village_secretary.username, "password": PASSWORD})

    assert not client.get("/members/add/").context["form"].is_bound
