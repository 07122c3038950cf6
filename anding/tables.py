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
how the page shows it: `display` (a function of the row), a cell `template` (given `row` and `value`), `link` (to
the row's page), `empty` (shown for None or ""), `css` (header and cells), `cell_css` (cells only). `page=False`
keeps a column out of the page, `export=False` out of the export, `export=<function>` gives the spreadsheet another
value. `hide_when` (a function of the user) keeps a column off the page for a person to whom it would say the same
on every row, such as their own village (the export keeps it). `export_order` (names) sets the export's order when it differs from the page's.

`generic/table.html` renders a table bound to the rows of a page; `Table.sheet()` is what `anding.exports` writes.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

__all__ = ["Cell", "Column", "Row", "Table"]


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    value: str | Callable | None = None
    order_by: str = ""
    display: Callable | None = None
    template: str = ""
    link: bool = False
    empty: str = ""
    css: str = ""
    cell_css: str = ""
    page: bool = True
    export: bool | Callable = True
    hide_when: Callable | None = None


@dataclass(frozen=True)
class Cell:
    column: Column
    value: Any

    @property
    def css(self) -> str:
        return " ".join(c for c in (self.column.cell_css, self.column.css) if c)


@dataclass(frozen=True)
class Row:
    object: Any
    css: str
    cells: list[Cell]


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

    def cell(self, column: Column, row) -> Cell:
        value = column.display(row) if column.display else self.value(column, row)
        return Cell(column, column.empty if value is None or value == "" else value)

    @property
    def rows(self) -> list[Row]:
        columns = self.page_columns
        return [Row(row, self.row_css(row), [self.cell(c, row) for c in columns]) for row in self.objects]

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
