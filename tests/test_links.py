"""Addresses of records' pages from a template per URL name (anding.links) and the navigation kept per shape: the
same addresses and markup as resolving and rendering each time."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from anding.links import record_url


def test_a_records_address_is_the_reversed_one():
    for pk in (0, 7, 123456789):
        assert record_url("branches:member_detail", pk) == reverse("branches:member_detail", args=[pk])
    assert record_url("branches:meeting_attachment", 3, 44) == reverse("branches:meeting_attachment", args=[3, 44])


def test_anything_but_a_key_is_reversed_as_before():
    with pytest.raises(NoReverseMatch):
        record_url("branches:member_detail", None)
    assert record_url("branches:member_detail", "12") == reverse("branches:member_detail", args=["12"])


def test_the_address_follows_the_script_prefix():
    set_script_prefix("/portal/")
    try:
        assert record_url("branches:member_detail", 5) == "/portal/members/5/"
    finally:
        set_script_prefix("/")
    assert record_url("branches:member_detail", 5) == "/members/5/"


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="en")
def test_the_navigation_marks_the_page_and_shows_the_admin_to_staff_only(client_as, tree, village_secretary, sysadmin):
    client = client_as(village_secretary)
    members = client.get("/members/").content.decode()
    meetings = client.get("/meetings/").content.decode()
    assert 'class="nav-link active" href="/members/"' in members
    assert 'class="nav-link active" href="/meetings/"' in meetings and 'active" href="/members/"' not in meetings
    assert 'href="/admin/"' not in members
    assert 'href="/admin/"' in client_as(sysadmin).get("/org/").content.decode()
