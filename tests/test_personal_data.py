"""Personal data that cannot be read or inferred (issue 6): the ID-number mask leaves nothing to combine, exact
lookups by number are audited and limited, nothing typed sits in clear in the session table or the audit trail,
and a wrong encryption key stops the portal instead of showing empty numbers."""

import io
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from openpyxl import load_workbook

from anding import crypto
from anding.models import AuditEvent
from branches.models import PartyMember

from .factories import PASSWORD, member_form_data


@pytest.fixture
def member(tree):
    return tree.members["v11"][0]


def visible_masks(text: str) -> set[str]:
    return set(re.findall(r"[0-9]{6}[*0-9X]{12}", text))


def test_the_id_mask_shows_only_the_region_code(member):
    assert member.id_number_masked == member.id_number[:6] + "*" * 12


def test_no_page_export_or_api_shows_more_of_the_id_number_than_the_region(
    client_as, tree, member, village_secretary, superuser
):
    client = client_as(village_secretary)
    texts = [
        client.get(member.get_absolute_url()).content.decode(),
        client.get("/members/").content.decode(),
        client.get(f"/api/members/{member.pk}/").content.decode(),
        client.get("/api/members/").content.decode(),
        client_as(superuser).get("/admin/branches/partymember/").content.decode(),
        client_as(superuser).get(f"/admin/branches/partymember/{member.pk}/change/").content.decode(),
    ]
    sheet = load_workbook(io.BytesIO(client.get("/members/?export=xlsx").content)).active
    texts.append(" ".join(str(cell.value) for row in sheet.iter_rows() for cell in row))

    for text in texts:
        assert member.id_number not in text
        assert member.id_number[6:] not in text  # birth date, sequence and check digits
        for shown in visible_masks(text):
            assert shown.endswith("*" * 12), shown


def test_an_exact_number_search_is_audited_without_the_number(client_as, tree, member, village_secretary):
    page = client_as(village_secretary).get("/members/", {"q": member.id_number})

    assert list(page.context["object_list"]) == [member]
    event = AuditEvent.objects.get(action="id_number_lookup")
    assert event.actor == village_secretary and event.detail == {"purpose": "search"}
    assert member.id_number not in str(AuditEvent.objects.values_list()[::1])


def test_exact_number_searches_are_limited_per_hour(settings, client_as, tree, member, village_secretary):
    settings.ID_NUMBER_LOOKUPS_PER_HOUR = 3
    client = client_as(village_secretary)
    for _ in range(3):
        assert client.get("/members/", {"q": member.id_number}).context["object_list"]

    page = client.get("/members/", {"q": member.id_number})
    api = client.get("/api/members/", {"q": member.id_number})

    assert not page.context["object_list"]
    assert "q" in page.context["filterset"].form.errors
    assert api.status_code == 400
    assert AuditEvent.objects.filter(action="id_number_lookup", result="failure").count() == 2
    assert client.get("/members/", {"q": member.name}).context["object_list"]  # names are still searched


def test_the_duplicate_check_of_the_member_form_counts_as_a_lookup(
    settings, client_as, tree, member, village_secretary
):
    settings.ID_NUMBER_LOOKUPS_PER_HOUR = 1
    client = client_as(village_secretary)
    taken = member_form_data(
        tree.v11, id_number=member.id_number, birth_date=member.birth_date.isoformat(), gender=member.gender
    )
    first = client.post("/members/add/", taken)
    second = client.post("/members/add/", taken)

    assert first.context["form"].has_error("id_number", "unique")
    assert second.context["form"].has_error("id_number", "id_lookup_limit")
    assert PartyMember.objects.filter(id_number_digest=member.id_number_digest).count() == 1


def test_searches_typed_into_an_export_are_redacted_in_the_audit_trail(client_as, tree, member, village_secretary):
    client_as(village_secretary).get("/members/", {"q": member.id_number, "export": "xlsx"})

    export = AuditEvent.objects.get(action="export")
    assert member.id_number not in str(export.detail)
    assert "[redacted]" in export.detail["query"]


def test_a_user_name_typed_as_an_id_number_is_not_logged(client, tree, member):
    client.post("/accounts/login/", {"username": member.id_number, "password": "x"})

    failed = AuditEvent.objects.get(action="login_failed")
    assert member.id_number not in failed.actor_name + str(failed.detail)


def test_a_form_kept_across_a_timeout_is_encrypted_in_the_session_table(client, tree, village_secretary):
    client.force_login(village_secretary)
    owner = re.search(r'name="_owner" value="([^"]+)"', client.get("/members/add/").content.decode()).group(1)
    client.logout()
    data = member_form_data(tree.v11, name="孙八")
    client.post("/members/add/", {**data, "_owner": owner})

    stored = " ".join(s.get_decoded().__repr__() + s.session_data for s in Session.objects.all())
    assert data["id_number"] not in stored and data["phone"] not in stored and "孙八" not in stored
    client.post("/accounts/login/", {"username": village_secretary.username, "password": PASSWORD})
    assert client.get("/members/add/").context["form"].data["id_number"] == data["id_number"]


def test_expired_sessions_are_removed_at_the_next_login(client, tree, village_secretary):
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - timezone.timedelta(1))

    client.post("/accounts/login/", {"username": village_secretary.username, "password": PASSWORD})

    assert not Session.objects.filter(expire_date__lt=timezone.now()).exists()


def test_a_wrong_encryption_key_fails_instead_of_showing_empty_numbers(settings, member):
    settings.FIELD_ENCRYPTION_KEYS = ["A" * 43 + "="]
    crypto._fernet.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            PartyMember.objects.get(pk=member.pk)
    finally:
        crypto._fernet.cache_clear()


def test_redact_hides_id_and_phone_numbers():
    assert crypto.redact({"q": "q=110115197001010012&x=1", "n": ["13812345678"], "k": 5}) == {
        "q": "q=[redacted]&x=1",
        "n": ["[redacted]"],
        "k": 5,
    }
