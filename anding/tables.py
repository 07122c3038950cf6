"""One declaration of a list's columns serves its HTML table and its Excel export (after NetBox's tables).

    class MeetingTable(Table):
        columns = [
            Column("title", _("title"), link=True, order_by="title"),
            Column("organization", _("organization"), "organization.name", order_by="organization__lft"),
            Column("held_on", _("held on"), page=False),
        ]

A column has a name, a header and a value: an attribute path (by default its name; methods such as
`get_status_display` are called) or a function of the row, or a method `value_<name>(row)` of the table. It may
offer an ordering (`order_by`: the header links to it and the view's `sort_fields` come from the table), and say
how the page shows it: `display` (a function of the row), `html` (a function of the row and the value returning the
cell's markup through `format_html`), `link` (to the row's page),
`empty` (shown for None or ""), `css` (header and cells), `cell_css` (cells only). `page=False`
keeps a column out of the page, `export=False` out of the export, `export=<function>` gives the spreadsheet another
value. `hide_when` (a function of the user) keeps a column off the page for a person to whom it would say the same
on every row, such as their own village (the export keeps it). `related` names the joined record (a `select_related`
path) the column reads: a page without any column that reads it does not load it (`Table.page_rows`).
`export_order` (names) sets the export's order when it differs from the page's.

`generic/table.html` renders a table bound to the rows of a page: its headers through the template, its body as
`Table.body`, built in Python (`format_html`): through the template engine, with an `if` and an `include` per cell, a
page of 50 rows took 15–30 ms (docs/bench/HISTORY.md, "First round"). `Table.sheet()` is what `anding.exports`
writes.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache, partialmethod
from inspect import getattr_static

from django.utils.encoding import force_str
from django.utils.formats import date_format, localize
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from .status import badges_html, badges_of

__all__ = ["Column", "Table", "badge_cell", "choice_label", "date_label", "shown"]

_labels: dict[tuple, dict] = {}


def choice_label(obj, name: str):
    """What `obj.get_<name>_display()` says, from the field's labels translated once per language: Django's method
    translates every choice of the field on each call (a list page calls it a hundred times)."""
    field = obj._meta.get_field(name)
    key = (field, get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = _labels[key] = {make_hashable(value): str(label) for value, label in field.flatchoices}
    value = getattr(obj, field.attname)
    return labels.get(make_hashable(value), force_str(value, strings_only=True))


@cache
def _is_django_display(model: type, method: str) -> bool:
    """Whether `model.<method>` is the `get_<field>_display` Django made (not one the model wrote)."""
    return isinstance(getattr_static(model, method, None), partialmethod)


def shown(value) -> SafeString:
    """`value` as `{{ value }}` shows it: in the local time zone, localized (dates, numbers), escaped."""
    if isinstance(value, str):
        return conditional_escape(value)
    if type(value) is datetime.date:
        return _local_date(value, get_language())
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=4096)
def _local_date(value: datetime.date, language: str) -> str:
    """A date as the language writes it (formatting parses the format string each time: 30 µs a date)."""
    return conditional_escape(localize(value))


def date_label(value: datetime.date, fmt: str) -> str:
    """`date_format(value, fmt)` (a date, not a time), formatted once per date, format and language: a list of
    months formats fifty of them."""
    return _date_label(value, fmt, get_language())


@lru_cache(maxsize=4096)
def _date_label(value: datetime.date, fmt: str, language: str) -> str:
    return date_format(value, fmt)


def _braced(text: str) -> str:
    """`text` escaped for HTML, and for `str.format` (a brace doubled)."""
    return escape(text).replace("{", "{{").replace("}", "}}")


def _paths(joined: dict, prefix: str = "") -> list[str]:
    """The `select_related` paths of a query's nested dict of them (`{"branch": {"parent": {}}}`: `branch__parent`)."""
    paths = []
    for name, inner in joined.items():
        paths.extend(_paths(inner, f"{prefix}{name}__") if inner else [f"{prefix}{name}"])
    return paths


def badge_cell(row, value) -> SafeString:
    """A column's `html`: the row's status badges (anding.status), where the value is the status in words."""
    return badges_html(badges_of(row))


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    value: str | Callable | None = None
    order_by: str = ""
    display: Callable | None = None
    html: Callable | None = None
    link: bool = False
    empty: str = ""
    css: str = ""
    cell_css: str = ""
    page: bool = True
    export: bool | Callable = True
    hide_when: Callable | None = None
    related: str = ""

    @property
    def td_css(self) -> str:
        """The classes of the column's cells."""
        return " ".join(c for c in (self.cell_css, self.css) if c)


class Table:
    """The columns of a list. Bind it to the rows a page shows (`Table(rows)`) to render or export them."""

    columns: list[Column] = []
    export_order: tuple[str, ...] = ()
    sort_fields: dict[str, str] = {}  # {column name: ORM path}, from the columns' `order_by`

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.sort_fields = {c.name: c.order_by for c in cls.columns if c.order_by}

    def __init__(self, rows: Iterable, user=None):
        self.objects = rows
        self.user = user

    def row_css(self, row) -> str:
        """Classes of a row of the page (e.g. marking an overdue one)."""
        return ""

    def value(self, column: Column, row):
        method = getattr(self, f"value_{column.name}", None)
        if method is not None:
            return method(row)
        if callable(column.value):
            return column.value(row)
        value = row
        for part in (column.value or column.name).split("."):
            if value is None:
                return None
            if part.startswith("get_") and part.endswith("_display") and _is_django_display(type(value), part):
                value = choice_label(value, part[4:-8])
                continue
            value = getattr(value, part)
            if callable(value):
                value = value()
        return value

    # The page ---------------------------------------------------------------------------------------------------

    @cached_property
    def page_columns(self) -> list[Column]:
        """The page's columns, without those constant for the user (`hide_when`)."""
        return [
            c
            for c in self.columns
            if c.page and not (c.hide_when is not None and self.user is not None and c.hide_when(self.user))
        ]

    @classmethod
    def page_rows(cls, rows, user):
        """`rows` without the joined records (`select_related`) that only the columns off the page read (their
        `related`): a village secretary's page of members does not load 100 organizations to show none."""
        page = {c.related for c in cls([], user=user).page_columns}
        unread = {c.related for c in cls.columns if c.related} - page
        joined = getattr(getattr(rows, "query", None), "select_related", None)
        if not unread or not isinstance(joined, dict):
            return rows
        paths, kept = _paths(joined), set()
        for path in paths:  # each joined path cut before the first record that no column on the page reads
            cut = min((r for r in unread if path == r or path.startswith(f"{r}__")), key=len, default=None)
            if cut is None:
                kept.add(path)
            elif "__" in cut:  # household__village unread: the household is still joined
                kept.add(cut.rsplit("__", 1)[0])
        if kept == set(paths):
            return rows
        return rows.select_related(None).select_related(*sorted(kept)) if kept else rows.select_related(None)

    def cell_value(self, column: Column, row):
        """What the page shows in `column` for `row` (its `empty` for None or "")."""
        value = column.display(row) if column.display else self.value(column, row)
        return column.empty if value is None or value == "" else value

    @property
    def body(self) -> SafeString:
        """The rows of the page as `<tr>` elements: one cell per page column, marked with its name and classes; a
        link to the row's page, a cell function's markup, or the value as `{{ value }}` shows it."""
        columns = self.page_columns
        # One format string for a whole row (the columns' names and classes escaped into it once), so that a row
        # costs one format_html: one per cell cost as much as the cells' values.
        cells = "".join(
            '<td data-column="{}"{}>{{}}</td>'.format(
                _braced(c.name), f' class="{_braced(c.td_css)}"' if c.td_css else ""
            )
            for c in columns
        )
        rows = []
        for row in self.objects:
            row_css = self.row_css(row)
            rows.append(
                (format_html(' class="{}"', row_css) if row_css else "", *(self._cell_html(c, row) for c in columns))
            )
        return format_html_join("", "\n    <tr{}>\n      " + cells + "\n    </tr>\n  ", rows)

    def _cell_html(self, column: Column, row):
        value = self.cell_value(column, row)
        if column.html is not None:
            return column.html(row, value)
        if column.link:
            url = row.get_absolute_url
            return format_html('<a href="{}">{}</a>', url() if callable(url) else url, shown(value))
        return shown(value)

    # The export -------------------------------------------------------------------------------------------------

    @property
    def export_columns(self) -> list[Column]:
        columns = [c for c in self.columns if c.export is not False]
        if self.export_order:
            by_name = {c.name: c for c in columns}
            columns = [by_name[name] for name in self.export_order]
        return columns

    def export_value(self, column: Column, row):
        return column.export(row) if callable(column.export) else self.value(column, row)

    def sheet(self, title) -> tuple[str, list[str], list[list]]:
        """(title, headers, rows) of a spreadsheet holding the export's columns of every row."""
        columns = self.export_columns
        data = [[self.export_value(c, row) for c in columns] for row in self.objects]
        return str(title), [str(c.header) for c in columns], data
