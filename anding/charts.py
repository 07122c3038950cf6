"""The dashboard's sections and their charts, drawn on the server as SVG.

An app lends the dashboard a `Section`: a heading, a few headline figures, a chart and the table the chart is drawn
from. The geometry is computed here and the template only places it: no script, no request outside the site. Bars
and lines are laid out in percent of the width and in pixels of the height, so the text keeps its size and the
chart its proportions from a phone to a wide screen. Every chart's figures are also its table (for screen readers,
and one sheet each in the dashboard's Excel export).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise

__all__ = ["BarChart", "Cell", "Figure", "LineChart", "Section", "bar_chart", "line_chart", "percent"]

SECTION_TEMPLATE = "includes/dashboard_section.html"
SERIES_SHOWN = 8  # lines beyond this many would not be told apart: the table still has them all


def percent(part, whole) -> float | None:
    """`part` of `whole` in percent, one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Cell:
    """A table cell: its value, and the page of the rows behind it."""

    value: object
    url: str = ""

    def __post_init__(self):
        if isinstance(self.value, Promise):  # a lazy label: fixed in the language of the request
            self.value = str(self.value)

    def __str__(self) -> str:
        if self.value is None:
            return "—"
        if isinstance(self.value, int | float | Decimal) and not isinstance(self.value, bool):
            return _number(self.value)
        return str(self.value)


@dataclass
class Figure:
    label: str
    value: object
    url: str = ""


@dataclass
class Bar:
    label: str
    value: float
    text: str
    url: str
    width: float  # percent of the bar's track
    top: int  # pixels


@dataclass
class BarChart:
    """Horizontal bars, one per row: the label above its bar, the value after it."""

    title: str
    bars: list[Bar]
    height: int
    kind: str = "bars"

    ROW = 34  # pixels per bar: the label's line and the bar's


def bar_chart(title, items: Sequence[tuple], *, maximum=None, unit: str = "") -> BarChart | None:
    """Bars of `items` (label, value, url), scaled to `maximum` (default: the largest value); None when there is
    nothing to draw. A value of None draws no bar and reads "—"."""
    values = [float(v) for _label, v, _url in items if v is not None]
    top = float(maximum) if maximum else max(values, default=0)
    if not items or not top:
        return None
    bars = []
    for n, (label, value, url) in enumerate(items):
        width = 0.0 if value is None else round(min(float(value), top) / top * 100, 1)
        text = "—" if value is None else f"{_number(value)}{unit}"
        bars.append(Bar(str(label), float(value or 0), text, url, width, n * BarChart.ROW))
    return BarChart(str(title), bars, len(bars) * BarChart.ROW)


@dataclass
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Series:
    name: str
    values: list
    segments: list[Segment] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    index: int = 0
    total: bool = False


@dataclass
class LineChart:
    """Lines over a row of periods: x in percent of the width, y in pixels of a fixed height."""

    title: str
    x_labels: list[tuple[float, str]]
    series: list[Series]
    ticks: list[tuple[float, str]]
    height: int = 194
    kind: str = "lines"

    TOP = 14  # pixels above the plot, for the top tick's label
    PLOT = 150  # pixels of the plot; the x labels below


def line_chart(title, x_labels: Sequence[str], series: Sequence[tuple], *, maximum=100, unit="%") -> LineChart | None:
    """Lines of `series` (name, values, is_total) over `x_labels`, from 0 to `maximum`. A missing value (None)
    breaks its line. Only the first SERIES_SHOWN series are drawn."""
    if not x_labels or not series:
        return None
    count = len(x_labels)

    def x(i: int) -> float:
        return round(4 + 92 * (i / (count - 1) if count > 1 else 0.5), 2)

    def y(value) -> float:
        return round(LineChart.TOP + LineChart.PLOT * (1 - min(float(value), maximum) / maximum), 1)

    drawn = []
    for n, (name, values, total) in enumerate(series[:SERIES_SHOWN]):
        line = Series(str(name), list(values), index=n, total=total)
        line.points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        for i in range(1, count):
            a, b = values[i - 1], values[i]
            if a is not None and b is not None:
                line.segments.append(Segment(x(i - 1), y(a), x(i), y(b)))
        drawn.append(line)
    ticks = [(y(maximum * f), f"{_number(maximum * f)}{unit}") for f in (0, 0.5, 1)]
    return LineChart(str(title), [(x(i), str(label)) for i, label in enumerate(x_labels)], drawn, ticks)


@dataclass
class Section:
    """One area of the dashboard at the user's scope."""

    key: str  # the anchor of the section and the name of its sheet
    title: str
    headers: list[str]  # the table's
    rows: list[list]  # of values or Cells
    figures: list[Figure] = field(default_factory=list)
    chart: BarChart | LineChart | None = None
    charts: list = field(default_factory=list)  # more than one chart
    caption: str = ""  # what the figures count, in a sentence
    link: tuple[str, str] | None = None  # (text, url) of the page behind the section
    empty: str = ""  # said instead of the table when it has no rows
    wide: bool = False  # the whole width of a wide screen (the others take half)
    template: str = SECTION_TEMPLATE

    def __post_init__(self):
        self.rows = [[c if isinstance(c, Cell) else Cell(c) for c in row] for row in self.rows]

    @property
    def all_charts(self) -> list:
        return [c for c in [self.chart, *self.charts] if c is not None]

    def sheet(self) -> tuple[str, list[str], list[list]]:
        """The section's table as a sheet of the Excel export."""
        return str(self.title), [str(h) for h in self.headers], [[c.value for c in row] for row in self.rows]


def _number(value) -> str:
    """Thousands grouped; a float to one decimal, a Decimal (money, areas) with its own decimals."""
    if isinstance(value, float) and value != int(value):
        return f"{value:,.1f}"
    if isinstance(value, Decimal) and value != int(value):
        return f"{value:,}"
    return f"{int(value):,}"
