"""Roster import from Excel: the template, reading a workbook, and checking every row before anything is saved.

A row is checked by the rules of the member form and model (`PartyMember.clean_fields`: the ID number's format and
check character, the phone, the choices) plus what the form adds (birth date and gender matching the ID number) and
what only a file can get wrong: a branch that is unknown or outside the user's scope, an ID number twice in the
file. ID numbers already on the roster are compared in bulk (one query for all blind indexes) and reported as
skipped, so importing the same file again adds nobody. Errors never repeat an ID number (docs/SECURITY.md).

A row that matches a member on the roster, or resembles one (a new number with the birth date and sex of a member in
the user's scope, or of any member when several rows of the file share them: a guess at that member's number),
answers a lookup by ID number, so each such row spends one of the user's hourly lookups (`id_lookup`); a file with
more of them than the user has left is refused whole, naming no row.
"""

import datetime
import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.exports import xlsx_response
from anding.sheets import ImportCheck, RowError, Sheet, cell_text, in_all_languages

from .choices import Gender, MemberStatus, OrgKind
from .id_lookup import spend_id_number_lookups
from .models import Organization, PartyMember
from .validators import id_check_char, id_number_birth_date, id_number_is_male

__all__ = ["COLUMNS", "MAX_ROWS", "SHEET", "ImportCheck", "RowError", "check_rows", "read_rows", "template_response"]

COLUMNS = ("name", "gender", "birth_date", "id_number", "phone", "branch", "status", "joined_on", "full_member_on")
REQUIRED = ("name", "gender", "birth_date", "id_number", "branch", "joined_on")
DATES = ("birth_date", "joined_on", "full_member_on")
GUESS_GROUP = 3  # rows of one file sharing a birth date and sex that look like guesses at one number
PROGRESS_ROWS = 200
MAX_ROWS = 2000  # a town's roster is about 1,500; a bigger file is a mistake (or a search for ID numbers)
# Headers of the rosters towns keep today, read as the template's columns.
ALIASES = {"姓名": "name", "身份证号": "id_number", "联系电话": "phone", "手机号码": "phone", "所在支部": "branch",
           "所在党支部": "branch", "党支部": "branch", "党员类别": "status"}  # fmt: skip
SHEET = Sheet(PartyMember, COLUMNS, REQUIRED, ALIASES, MAX_ROWS, gettext_lazy("A file may hold at most %(n)d members."))
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
column_label = SHEET.label
read_rows = SHEET.read_rows


def _choice_map(choices) -> dict[str, str]:
    return {name: value for value, label in choices for name in {value, *in_all_languages(label)}}


def template_response(user):
    """The template to fill: the header row in the page's language and one example row."""
    village = Organization.objects.restrict(user, "change").filter(kind=OrgKind.VILLAGE).first()
    first17 = "11011519800501001"
    example = [
        _("Zhang San"),
        Gender.MALE.label,
        datetime.date(1980, 5, 1),
        first17 + id_check_char(first17),
        "13812345678",
        village.name if village else "",
        MemberStatus.FULL.label,
        datetime.date(2005, 7, 1),
        datetime.date(2006, 7, 1),
    ]
    headers = [column_label(key) for key in COLUMNS]
    return xlsx_response("member-import-template", (_("Party members"), headers, [example]), stamp=False)


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE_RE.match(cell_text(value))
    if not match:
        raise ValueError
    return datetime.date(*(int(part) for part in match.groups()))


def _check_row(row: dict, villages: dict, genders: dict, statuses: dict) -> tuple[PartyMember, list[RowError]]:
    number, errors, values = row["row"], [], {}

    def error(column, message):
        errors.append(SHEET.error(number, column, message))

    for key in REQUIRED:
        if not cell_text(row.get(key)):
            error(key, _("This field is required."))
    for key in DATES:
        if cell_text(row.get(key)):
            try:
                values[key] = _date(row[key])
            except ValueError:
                error(key, _("Enter a date such as 2026-11-26."))
    gender, status = cell_text(row.get("gender")), cell_text(row.get("status"))
    if gender and gender.casefold() not in genders:
        error("gender", _("Enter one of: %(choices)s.") % {"choices": "、".join(str(g.label) for g in Gender)})
    if status and status.casefold() not in statuses:
        error("status", _("Enter one of: %(choices)s.") % {"choices": "、".join(str(s.label) for s in MemberStatus)})
    branch = villages.get(cell_text(row.get("branch")).casefold())
    if cell_text(row.get("branch")) and branch is None:
        error("branch", _("No village branch of this name or code in which you may change the roster."))
    member = PartyMember(
        name=cell_text(row.get("name")),
        gender=genders.get(gender.casefold(), ""),
        birth_date=values.get("birth_date"),
        id_number=cell_text(row.get("id_number")),
        phone=cell_text(row.get("phone")),
        branch=branch,
        status=statuses.get(status.casefold(), MemberStatus.FULL),
        joined_on=values.get("joined_on"),
        full_member_on=values.get("full_member_on"),
    )
    member.sync_digest()
    failed = {e.column for e in errors}
    try:
        member.clean_fields(exclude=["branch", "id_number_digest", *failed])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            if key not in failed:
                error(key if key in COLUMNS else None, messages[0])
    failed = {e.column for e in errors}
    if "id_number" not in failed and member.birth_date and "birth_date" not in failed:
        if id_number_birth_date(member.id_number) != member.birth_date:
            error("birth_date", _("The birth date does not match the one in the ID number."))
    if (
        "id_number" not in failed
        and member.gender
        and id_number_is_male(member.id_number) != (member.gender == Gender.MALE)
    ):
        error("gender", _("The gender does not match the one in the ID number."))
    if member.joined_on and member.full_member_on and member.full_member_on < member.joined_on:
        error("full_member_on", _("Full membership cannot start before joining."))
    return member, errors


def _revealing(user, checked, on_roster: set) -> int:
    """The rows without errors that answer a lookup (docs/SECURITY.md, "The roster import"): those on the roster,
    and the new ones that guess at a member's number, having that member's birth date and sex:
    - a member in the user's scope, whose birth date and sex the portal shows them;
    - any member, for a row whose birth date and sex at least GUESS_GROUP - 1 other rows of the file share (the
      candidates of one number, known from outside the portal, differ only in their sequence digits).
    A genuine roster spends few: the scope's members share the birth date and sex of about one row in thirty for a
    town, and three new members born the same day are rare."""
    fresh = [
        (m.birth_date, m.gender) for _row, m, errors in checked if not errors and m.id_number_digest not in on_roster
    ]
    grouped = {pair for pair, n in Counter(fresh).items() if n >= GUESS_GROUP}

    def members_like(members, pairs) -> set:
        dates = {birth_date for birth_date, _gender in pairs}
        return set(members.filter(birth_date__in=dates).values_list("birth_date", "gender").distinct()) & pairs

    like = members_like(PartyMember.objects.restrict(user), set(fresh)) | members_like(PartyMember.objects, grouped)
    return len(on_roster) + sum(pair in like for pair in fresh)


def check_rows(user, rows: list[dict], *, count_lookups: bool = True, progress=None) -> ImportCheck:
    """Check every row; the members to add are those of a file without errors whose ID numbers are new.
    `progress(n)` hears how many rows are checked, every PROGRESS_ROWS.

    The rows that match or resemble a member on the roster spend the user's ID-number lookups (unless
    `count_lookups` is False: the import of a file this user has just previewed); ValidationError (code
    `id_lookup_limit`) when too few are left."""
    villages = {}
    for village in Organization.objects.restrict(user, "change").filter(kind=OrgKind.VILLAGE):
        villages[village.code.strip().casefold()] = village
        villages[village.name.strip().casefold()] = village
    genders, statuses = _choice_map(Gender.choices), _choice_map(MemberStatus.choices)
    check = ImportCheck(read=len(rows))
    checked, first_row = [], {}
    for n, row in enumerate(rows, start=1):
        if progress and n % PROGRESS_ROWS == 0:
            progress(n)
        member, errors = _check_row(row, villages, genders, statuses)
        if not any(e.column == "id_number" for e in errors):
            seen = first_row.setdefault(member.id_number_digest, row["row"])
            if seen != row["row"]:
                errors.append(
                    SHEET.error(row["row"], "id_number", _("The same ID number as row %(row)d.") % {"row": seen})
                )
        check.errors.extend(errors)
        checked.append((row["row"], member, errors))
    digests = [member.id_number_digest for _row, member, errors in checked if not errors]
    on_roster = set(PartyMember.objects.filter(id_number_digest__in=digests).values_list("id_number_digest", flat=True))
    if count_lookups:
        spend_id_number_lookups(user, _revealing(user, checked, on_roster), purpose="import")
    for number, member, errors in checked:
        if errors:
            continue
        if member.id_number_digest in on_roster:
            check.skipped.append(number)
        else:
            check.new.append(member)
    return check
