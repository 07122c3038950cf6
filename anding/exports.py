"""Excel export of exactly what a list shows: the sheets come from the lists' tables (anding.tables)."""

from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

__all__ = ["XLSX_CONTENT_TYPE", "local_time", "safe_cell", "xlsx_response", "yes_no"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def local_time(dt):
    """A stored time as the local wall-clock time without tzinfo (what a spreadsheet cell can hold)."""
    return timezone.localtime(dt).replace(tzinfo=None) if dt else None


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float) or hasattr(value, "isoformat"):
        return value
    value = str(value)
    # Never let a cell start a formula (CSV/Excel injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def xlsx_response(
    filename: str, *sheets: tuple[str, Sequence[str], Iterable[Sequence]], stamp: bool = True
) -> HttpResponse:
    """A workbook of one sheet per (title, headers, rows), as a download named `filename` (plus the time)."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([str(header) for header in headers])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    if stamp:
        filename += timezone.localtime().strftime("-%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    workbook.save(response)
    return response
