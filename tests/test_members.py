"""The roster's personal data: ID checksum, masking, encryption at rest, and the member form's answers to bad input."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from anding.crypto import mask
from anding.models import AuditEvent
from branches.models import PartyMember
from branches.validators import id_check_char, validate_id_number, validate_phone

from .factories import make_id_number, member_edit_data, member_form_data
from .kit import shows_errors

ZH_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def valid_id(first17="11011519700101001"):
    return first17 + id_check_char(first17)


# ID numbers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("first17", ["11011519700101001", "11011520000229002", "44030519991231123"])
def test_a_valid_id_number_passes(first17):
    validate_id_number(valid_id(first17))


def test_a_lowercase_x_check_character_passes():
    first17 = next(f"1101151980010100{d}" for d in range(10) if id_check_char(f"1101151980010100{d}") == "X")

    validate_id_number(first17 + "x")


def test_a_wrong_check_character_fails():
    good = valid_id()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")

    with pytest.raises(ValidationError) as caught:
        validate_id_number(wrong)

    assert caught.value.code == "id_checksum"


@pytest.mark.parametrize(
    "value", ["", "11011519700101001", "1101151970010100123", "11011519700101001Y", "X10115197001010012"]
)
def test_a_badly_formed_id_number_fails(value):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(value)

    assert caught.value.code == "id_format"


@pytest.mark.parametrize("birth", ["19700230", "19701301", "18991231", "21000101"])
def test_an_impossible_birth_date_fails(birth):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(valid_id(f"110115{birth}001"))

    assert caught.value.code == "id_birth"


@pytest.mark.parametrize("phone", ["13912345678", "010-69201234", "01069201234", ""])
def test_valid_phone_numbers_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["1391234567", "23912345678", "call me"])
def test_invalid_phone_numbers_fail(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


# Masking and encryption ---------------------------------------------------------------------------------------


def test_mask_keeps_the_head_and_the_tail():
    assert mask("110115197001010012") == "110115********0012"
    assert mask("13912345678", head=3, tail=4) == "139****5678"
    assert mask("") == ""


def test_24_id_numbers_and_phones_are_encrypted_at_rest(tree):
    member = tree.members["v11"][0]

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_number, phone, id_number_digest FROM {PartyMember._meta.db_table} WHERE id = %s", [member.pk]
        )
        raw_id, raw_phone, digest = cursor.fetchone()

    assert member.id_number not in raw_id
    assert member.id_number[6:14] not in raw_id  # not even the birth date
    assert member.phone not in raw_phone
    assert member.id_number not in digest
    assert PartyMember.objects.get(pk=member.pk).id_number == member.id_number  # and it reads back in clear


def test_pages_never_show_a_full_id_number_or_phone(client_as, tree, village_secretary):
    client = client_as(village_secretary)
    member = tree.members["v11"][0]

    for path in ["/members/", f"/members/{member.pk}/", f"/members/{member.pk}/edit/", f"/org/{tree.v11.pk}/", "/"]:
        content = client.get(path).content
        for m in tree.members["v11"]:
            assert m.id_number.encode() not in content, path
            assert m.phone.encode() not in content, path


def test_member_pages_show_the_masked_numbers(client_as, tree, village_secretary):
    member = tree.members["v11"][0]

    page = client_as(village_secretary).get(f"/members/{member.pk}/").content.decode()

    assert member.id_number_masked in page
    assert member.phone_masked in page


def test_excel_export_never_holds_a_full_id_number_or_phone(client_as, tree, town_cadre):
    response = client_as(town_cadre).get("/members/?export=xlsx")

    cells = [
        str(value)
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    everything = "\n".join(cells)
    members = [m for ms in tree.members.values() for m in ms]
    for m in members:
        assert m.id_number not in everything
        assert m.phone not in everything
        assert m.id_number_masked in cells
    assert len(cells) > len(members) * 5


def test_excel_export_is_audited(client_as, tree, town_cadre):
    client_as(town_cadre).get("/members/?export=xlsx")

    event = AuditEvent.objects.get(action="export")
    assert event.actor == town_cadre
    assert event.detail["rows"] == 12


# The member form ----------------------------------------------------------------------------------------------


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def add(client_as, village_secretary, tree):
    client = client_as(village_secretary)

    def post(**overrides):
        return client.post("/members/add/", member_form_data(tree.v11, **overrides))

    return post


def test_adding_a_valid_member_saves_it_and_audits(add, tree, village_secretary):
    response = add()

    member = PartyMember.objects.get(name="新党员")
    assert response.status_code == 302
    assert member.branch == tree.v11
    event = AuditEvent.objects.get(action="member_create")
    assert (event.actor, event.object_id) == (village_secretary, str(member.pk))
    assert event.ip_address == "127.0.0.1"


def test_a_wrong_check_digit_is_shown_and_nothing_saved(add, tree):
    good = member_form_data(tree.v11)["id_number"]
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    count = PartyMember.objects.count()

    response = add(id_number=wrong)

    shows_errors(response, "id_number")
    assert [e.code for e in response.context["form"].errors.as_data()["id_number"]] == ["id_checksum"]
    assert PartyMember.objects.count() == count


def test_empty_required_fields_are_shown_in_chinese_and_nothing_saved(add):
    count = PartyMember.objects.count()

    response = add(name="", gender="", birth_date="", id_number="", joined_on="", branch="")

    for field in ["name", "gender", "birth_date", "id_number", "joined_on", "branch"]:
        messages = shows_errors(response, field)
        assert has_chinese(messages[0])  # Django's own messages come translated
    assert PartyMember.objects.count() == count


def test_a_name_longer_than_30_characters_is_refused(add):
    response = add(name="张" * 31)

    messages = shows_errors(response, "name")
    assert "30" in messages[0]
    assert not PartyMember.objects.filter(name="张" * 31).exists()


def test_a_birth_date_not_matching_the_id_number_is_refused(add):
    response = add(birth_date="1971-03-16")

    messages = shows_errors(response, "birth_date")
    if ZH_CATALOGUE.exists():
        assert has_chinese(messages[0])
    assert not PartyMember.objects.filter(name="新党员").exists()


def test_a_gender_not_matching_the_id_number_is_refused(add):
    response = add(gender="female")

    shows_errors(response, "gender")
    assert not PartyMember.objects.filter(name="新党员").exists()


def test_a_duplicate_id_number_is_refused(add, tree):
    existing = tree.members["v12"][0]  # in the neighbour village, out of the secretary's scope
    count = PartyMember.objects.count()

    response = add(
        id_number=existing.id_number, birth_date=existing.birth_date.isoformat(), gender=existing.gender, name="重复"
    )

    messages = shows_errors(response, "id_number")
    if ZH_CATALOGUE.exists():
        assert has_chinese(messages[0])
    assert PartyMember.objects.count() == count
    assert existing.name not in response.content.decode()  # the clash reveals nothing about the other member


def test_an_invalid_phone_is_refused(add):
    response = add(phone="12345")

    shows_errors(response, "phone")
    assert not PartyMember.objects.filter(name="新党员").exists()


def test_full_membership_before_joining_is_refused(add):
    response = add(joined_on="1996-07-01", full_member_on="1995-07-01")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PartyMember.objects.filter(name="新党员").exists()


def test_editing_with_empty_id_and_phone_keeps_the_stored_ones(client_as, tree, village_secretary):
    member = tree.members["v11"][0]

    response = client_as(village_secretary).post(
        f"/members/{member.pk}/edit/", member_edit_data(member, name="改过的名字")
    )

    assert response.status_code == 302
    saved = PartyMember.objects.get(pk=member.pk)
    assert saved.name == "改过的名字"
    assert (saved.id_number, saved.phone) == (member.id_number, member.phone)
    assert AuditEvent.objects.filter(action="member_update", object_id=str(member.pk)).exists()


def test_a_stale_edit_gets_the_conflict_message_and_the_first_change_is_kept(client_as, tree, village_secretary):
    member = tree.members["v11"][0]
    first, second = client_as(village_secretary), client_as(village_secretary)
    path = f"/members/{member.pk}/edit/"
    version_first = first.get(path).context["form"]["version"].value()
    version_second = second.get(path).context["form"]["version"].value()

    saved = first.post(path, member_edit_data(member, name="第一次修改", version=version_first))
    stale = second.post(path, member_edit_data(member, name="第二次修改", version=version_second))

    assert saved.status_code == 302
    assert stale.status_code == 200
    errors = stale.context["form"].non_field_errors().as_data()
    assert [e.code for e in errors] == ["stale"]
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(str(errors[0].messages[0])) in stale.content.decode()
    assert PartyMember.objects.get(pk=member.pk).name == "第一次修改"


def test_editing_someone_into_an_existing_id_number_is_refused(client_as, tree, village_secretary):
    member, other = tree.members["v11"][0], tree.members["v11"][1]

    response = client_as(village_secretary).post(
        f"/members/{member.pk}/edit/",
        member_edit_data(
            member, id_number=other.id_number, birth_date=other.birth_date.isoformat(), gender=other.gender
        ),
    )

    shows_errors(response, "id_number")
    assert PartyMember.objects.get(pk=member.pk).id_number == member.id_number


def test_the_edit_form_never_sends_the_stored_numbers_back(client_as, tree, village_secretary):
    member = tree.members["v11"][0]

    form = client_as(village_secretary).get(f"/members/{member.pk}/edit/").context["form"]

    assert form["id_number"].value() in ("", None)
    assert form["phone"].value() in ("", None)
    assert member.id_number_masked in str(form["id_number"].help_text)


def test_factory_ids_are_valid_and_agree_with_birth_and_gender():
    number = make_id_number(datetime.date(1980, 2, 29), 12, male=False)

    validate_id_number(number)
    assert number[6:14] == "19800229"
    assert int(number[16]) % 2 == 0


def test_a_refused_edit_does_not_echo_the_stored_numbers(client_as, tree, village_secretary):
    member = tree.members["v11"][0]

    response = client_as(village_secretary).post(f"/members/{member.pk}/edit/", member_edit_data(member, phone="12345"))

    shows_errors(response, "phone")
    assert member.id_number.encode() not in response.content
    assert member.phone.encode() not in response.content


def test_the_admin_shows_members_masked(client_as, tree, superuser):
    member = tree.members["v11"][0]
    client = client_as(superuser)

    change_page = client.get(f"/admin/branches/partymember/{member.pk}/change/")
    changelist = client.get("/admin/branches/partymember/")

    for response in (change_page, changelist):
        assert response.status_code == 200
        assert member.id_number.encode() not in response.content
        assert member.phone.encode() not in response.content
        assert member.id_number_masked in response.content.decode()
