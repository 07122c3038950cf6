"""Household register import from Excel: the template, reading a workbook, and checking every row before anything
is saved (after `branches.roster_import`).

A row is checked by the rules of the household model (`Household.clean_fields`: lengths, the phone, the size) plus
what only a file can get wrong: a village that is unknown or whose register the user does not keep, a household
number twice in the file. Households whose number is already on their village's register are reported as skipped,
so importing the same file again adds nothing. Errors never repeat a phone number.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.exports import xlsx_response
from anding.sheets import ImportCheck, RowError, Sheet, cell_text

from .models import MAX_HOUSEHOLD_SIZE, Household
from .permissions import kept_villages

__all__ = ["COLUMNS", "MAX_ROWS", "SHEET", "ImportCheck", "RowError", "check_rows", "read_rows", "template_response"]

COLUMNS = ("village", "number", "head_name", "address", "phone", "size", "note")
REQUIRED = ("village", "number", "head_name", "address", "size")
MAX_ROWS = 5000  # a village has a few hundred households; a bigger file is a mistake
# Headers of the registers villages keep today, read as the template's columns.
ALIASES = {"村": "village", "所在村": "village", "村庄": "village", "户号": "number", "户编号": "number", "户主": "head_name",
           "户主姓名": "head_name", "住址": "address", "家庭住址": "address", "联系电话": "phone", "电话": "phone",
           "手机号码": "phone", "家庭人口": "size", "人口": "size", "人数": "size", "备注": "note"}  # fmt: skip
SHEET = Sheet(
    Household, COLUMNS, REQUIRED, ALIASES, MAX_ROWS, gettext_lazy("A file may hold at most %(n)d households.")
)
column_label = SHEET.label
read_rows = SHEET.read_rows


def template_response(user):
    """The template to fill: the header row in the page's language and one example row."""
    village = next(iter(kept_villages(user)), None)
    example = [village.name if village else "", "001", _("Zhang San"), _("No. 1, East Street"), "13812345678", 4, ""]
    headers = [column_label(key) for key in COLUMNS]
    return xlsx_response("household-import-template", (_("Households"), headers, [example]), stamp=False)


def _size(value) -> int | None:
    text = cell_text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _check_row(row: dict, villages: dict) -> tuple[Household, list[RowError]]:
    number, errors = row["row"], []

    def error(column, message):
        errors.append(SHEET.error(number, column, message))

    for key in REQUIRED:
        if not cell_text(row.get(key)):
            error(key, _("This field is required."))
    village = villages.get(cell_text(row.get("village")).casefold())
    if cell_text(row.get("village")) and village is None:
        error("village", _("No village of this name or code whose register you keep."))
    size = _size(row.get("size"))
    if cell_text(row.get("size")) and (size is None or not 1 <= size <= MAX_HOUSEHOLD_SIZE):
        error("size", _("Enter a whole number from 1 to %(max)d.") % {"max": MAX_HOUSEHOLD_SIZE})
    household = Household(
        village=village,
        number=cell_text(row.get("number")),
        head_name=cell_text(row.get("head_name")),
        address=cell_text(row.get("address")),
        phone=cell_text(row.get("phone")),
        size=size,
        note=cell_text(row.get("note")),
    )
    failed = {e.column for e in errors}
    try:
        household.clean_fields(exclude=["village", *failed])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            if key not in failed:
                error(key if key in COLUMNS else None, messages[0])
    return household, errors


def check_rows(user, rows: list[dict]) -> ImportCheck:
    """Check every row; the households to add are those of a file without errors whose numbers are new in their
    village."""
    villages = {}
    for village in kept_villages(user):
        villages[village.code.strip().casefold()] = village
        villages[village.name.strip().casefold()] = village
    check = ImportCheck(read=len(rows))
    checked, first_row = [], {}
    for row in rows:
        household, errors = _check_row(row, villages)
        if household.village_id is not None and household.number:
            key = (household.village_id, household.number)
            seen = first_row.setdefault(key, row["row"])
            if seen != row["row"]:
                errors.append(
                    SHEET.error(row["row"], "number", _("The same household number as row %(row)d.") % {"row": seen})
                )
        check.errors.extend(errors)
        checked.append((row["row"], household, errors))
    fine = [h for _row, h, errors in checked if not errors]
    on_register = set(
        Household.objects.filter(
            village__in={h.village_id for h in fine}, number__in={h.number for h in fine}
        ).values_list("village", "number")
    )
    for number, household, errors in checked:
        if errors:
            continue
        if (household.village_id, household.number) in on_register:
            check.skipped.append(number)
        else:
            check.new.append(household)
    return check
