"""Personal data that cannot be read or inferred (issue 6): the ID-number mask leaves nothing to combine, exact
lookups by number are audited and limited, nothing typed sits in clear in the session table or the audit trail,
and a wrong encryption key stops the portal instead of showing empty numbers."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from openpyxl import load_workbook

from anding import crypto, duties
from anding.models import AuditEvent
from branches.models import PartyMember

from .factories import PASSWORD, grant, member_form_data


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
    client = client_as(grant(village_secretary, duties.MEMBER_EXPORTERS))
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
    client_as(grant(village_secretary, duties.MEMBER_EXPORTERS)).get(
        "/members/", {"q": member.id_number, "export": "xlsx"}
    )

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


# Revealing a full ID number (checklist item 23) ----------------------------------------------------------------------


def test_23_a_reveal_needs_the_permission(client_as, tree, member, village_secretary, gb_secretary):
    url = f"/members/{member.pk}/reveal-id/"
    for user in (village_secretary, gb_secretary):  # in scope, without the permission
        client = client_as(user)
        assert url not in client.get(member.get_absolute_url()).content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "核对档案材料"}).status_code == 403
    assert not AuditEvent.objects.filter(action="id_number_reveal", result=AuditEvent.Result.SUCCESS).exists()


def test_23_a_reveal_needs_a_reason_and_shows_the_number_once_audited_without_it(client_as, tree, member, town_cadre):
    client = client_as(town_cadre)
    url = f"/members/{member.pk}/reveal-id/"
    assert url in client.get(member.get_absolute_url()).content.decode()

    with translation.override("en"):
        refused = client.post(url, {"reason": "  "}, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 200 and "Give the reason" in str(refused.context["form"].errors["reason"])
    assert member.id_number not in refused.content.decode()

    response = client.post(url, {"reason": "转出组织关系核对"})
    assert response.status_code == 200 and member.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert member.id_number not in client.get(url).content.decode()  # not again without a new reason

    event = AuditEvent.objects.get(action="id_number_reveal")
    assert (event.actor, event.object_id, event.detail) == (town_cadre, str(member.pk), {"reason": "转出组织关系核对"})
    assert member.id_number not in str(AuditEvent.objects.values_list("detail", "object_repr"))


def test_23_a_reason_holding_an_id_number_is_redacted(client_as, tree, member, town_cadre):
    client_as(town_cadre).post(f"/members/{member.pk}/reveal-id/", {"reason": f"核对 {member.id_number}"})

    assert member.id_number not in str(AuditEvent.objects.get(action="id_number_reveal").detail)


def test_23_no_reveal_outside_the_scope(client_as, tree, village_secretary):
    outside = tree.members["v21"][0]
    user = grant(village_secretary, duties.ID_NUMBER_REVEALERS)

    assert client_as(user).post(f"/members/{outside.pk}/reveal-id/", {"reason": "核对档案材料"}).status_code == 404


def test_23_no_administrator_may_reveal(client_as, tree, member, sysadmin, secadmin, auditadmin):
    for admin in (sysadmin, secadmin, auditadmin):
        assert not admin.has_perm(duties.REVEAL_ID_NUMBER)
        assert client_as(admin).post(f"/members/{member.pk}/reveal-id/", {"reason": "核对档案材料"}).status_code == 404


# Exporting the roster (checklist item 25) -----------------------------------------------------------------------------


def test_25_a_member_export_needs_its_own_permission_and_a_refusal_is_audited(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    assert "export=xlsx" not in client.get("/members/").content.decode()
    assert client.get("/members/?export=xlsx").status_code == 403
    refusal = AuditEvent.objects.get(action="export")
    assert (refusal.result, refusal.detail["refused"]) == (AuditEvent.Result.FAILURE, "permission")


def test_25_a_member_export_is_masked_and_audited_with_its_row_count(client_as, tree, town_cadre):
    response = client_as(town_cadre).get("/members/?export=xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert not any(m.id_number in text for m in PartyMember.objects.all())
    event = AuditEvent.objects.get(action="export", result=AuditEvent.Result.SUCCESS)
    assert (event.detail["list"], event.detail["rows"]) == ("members", sheet.max_row - 1)


def test_25_member_exports_are_rate_limited(client_as, tree, town_cadre, settings):
    settings.MEMBER_EXPORTS_PER_HOUR = 3
    client = client_as(town_cadre)
    for _n in range(3):
        assert client.get("/members/?export=xlsx").status_code == 200

    with translation.override("en"):
        response = client.get("/members/?export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "3 times in the last hour" in response.content.decode()
    refusal = AuditEvent.objects.filter(action="export").latest("pk")
    assert (refusal.result, refusal.detail["refused"]) == (AuditEvent.Result.FAILURE, "limit")

    # An hour later the user may export again (the audit trail is append-only: the limit's clock moves instead).
    later = timezone.now() + datetime.timedelta(hours=1, minutes=1)
    with mock.patch("anding.generic.timezone", mock.Mock(now=mock.Mock(return_value=later))):
        assert client.get("/members/?export=xlsx").status_code == 200
