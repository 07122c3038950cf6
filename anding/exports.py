"""Excel export of exactly what a list shows."""

from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

__all__ = ["XLSX_CONTENT_TYPE", "xlsx_response"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float) or hasattr(value, "isoformat"):
        return value
    value = str(value)
    # Never let a cell start a formula (CSV/Excel injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    header_cells = []
    for header in headers:
        header_cells.append(str(header))
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    workbook.save(response)
    return response
