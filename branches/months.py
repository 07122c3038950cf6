"""Months and quarters: the calendar arithmetic every part of branch life shares, and a month's label."""

import datetime
import re

from django.utils.formats import date_format

__all__ = ["add_months", "month_label", "month_range", "parse_month", "quarter_range"]

# ASCII digits only: `int()` would also read "٢٠٢٦" (and `str.isdigit()` passes "²", which `int()` refuses).
_YEAR_MONTH = re.compile(r"(?P<year>[0-9]{1,4})-(?P<month>[0-9]{1,2})")


def add_months(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months after (or before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month of `month`."""
    return month.replace(day=1), add_months(month, 1) - datetime.timedelta(days=1)


def quarter_range(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the calendar quarter `month` falls in."""
    first = datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    return first, add_months(first, 3) - datetime.timedelta(days=1)


def parse_month(value) -> datetime.date | None:
    """A month as the date of its first day, from a date or a "YYYY-MM" string; None if it cannot be read or lies
    outside the years 1900-2199 (where month arithmetic is safe and records can exist)."""
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    match = _YEAR_MONTH.fullmatch(str(value or "").strip())
    if match is None:
        return None
    try:
        parsed = datetime.date(int(match["year"]), int(match["month"]), 1)
    except ValueError:
        return None
    return parsed if 1900 <= parsed.year < 2200 else None


def month_label(month: datetime.date) -> str:
    """A month as people read it: 2026年11月, or the English page's format."""
    return date_format(month, "YEAR_MONTH_FORMAT")
