"""The columns of the services app's lists (page and Excel export), and the compliance sheet."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.exports import yes_no
from anding.tables import Column, Table, badge_cell
from anding.templatetags.portal import yuan
from branches.tables import village_column

from .choices import CATEGORY_TARGET, DEPARTMENT_TARGET, HALF_DAY_TARGET, SERVICE_TARGET

__all__ = [
    "AllocationTable",
    "HouseholdTable",
    "PlanTable",
    "RecordTable",
    "SessionTable",
    "VisitTable",
    "compliance_sheet",
    "coverage_sheet",
]

MD_UP = "d-none d-md-table-cell"


class SessionTable(Table):
    columns = [
        Column("date", gettext_lazy("date"), link=True, order_by="date", cell_css="text-nowrap"),
        Column("half", gettext_lazy("half-day"), "get_half_display", order_by="half"),
        Column("centre", gettext_lazy("service centre"), "centre.name", order_by="centre__order"),
        Column("department_count", gettext_lazy("departments present"), order_by="department_count", css="num"),
        Column("record_count", gettext_lazy("services recorded"), order_by="record_count", css=f"num {MD_UP}"),
    ]


class RecordTable(Table):
    columns = [
        Column("date", gettext_lazy("date"), link=True, order_by="date"),
        Column("centre", gettext_lazy("service centre"), "session.centre.name", css=MD_UP),
        Column("department", gettext_lazy("department"), "department.name", order_by="department__order"),
        Column("service", gettext_lazy("service"), "service_item.name"),
        Column("villager", gettext_lazy("villager"), "villager_name"),
        village_column(header=gettext_lazy("village"), css=MD_UP),
        Column("phone", gettext_lazy("phone"), "phone_masked", css=MD_UP),
        Column("outcome", gettext_lazy("outcome"), "get_outcome_display", order_by="outcome"),
        Column("due_on", gettext_lazy("follow-up due on"), "due_on", order_by="due_on", empty="—"),
        Column("closed_on", gettext_lazy("follow-up closed on"), "closed_on", empty="—", css=MD_UP),
    ]

    def row_css(self, row) -> str:
        return "table-warning" if row.is_overdue else ""


class PlanTable(Table):
    columns = [
        Column("village", gettext_lazy("village"), "village.name", link=True, order_by="village__lft"),
        Column("general_branch", gettext_lazy("general branch"), "village.parent.name", css=MD_UP),
        Column("year", gettext_lazy("year"), order_by="year"),
        Column(
            "status",
            gettext_lazy("status"),
            "get_status_display",
            order_by="status",
            html=badge_cell,
        ),
        Column("indicators", gettext_lazy("indicators"), "score.total", css="num"),
        Column("measured", gettext_lazy("measured"), "score.measured", css=f"num {MD_UP}"),
        Column("score", gettext_lazy("score"), "score.score", css="num", empty="—"),
    ]


def compliance_sheet(figures) -> tuple[str, list[str], list[list]]:
    """The compliance figures ({centre id: months}) as one sheet: a row per centre and month."""
    headers = [
        _("service centre"),
        _("month"),
        _("half-days held"),
        _("target"),
        _("departments present"),
        _("target"),
        _("services delivered"),
        _("target"),
        _("categories covered"),
        _("target"),
        _("fell short"),
    ]
    rows = [
        [
            m.centre.name,
            f"{m.month:%Y-%m}",
            m.half_days,
            HALF_DAY_TARGET,
            m.departments,
            DEPARTMENT_TARGET,
            m.services,
            SERVICE_TARGET,
            m.categories,
            CATEGORY_TARGET,
            yes_no(m.short),
        ]
        for months in figures.values()
        for m in months
    ]
    return _("55819 compliance"), headers, rows


def _money(name):
    """A column of an amount: read in yuan (万元 from ten thousand up) on the page, exact in the export."""
    return lambda row: yuan(getattr(row, name))


class AllocationTable(Table):
    """Special-fund allocations with what was spent and the balance (annotated by `selectors.allocation_rows`)."""

    columns = [
        Column(
            "organization", gettext_lazy("organization"), "organization.name", link=True, order_by="organization__lft"
        ),
        Column("purpose", gettext_lazy("purpose"), "get_purpose_display", order_by="purpose"),
        Column("year", gettext_lazy("year"), order_by="year", css="num"),
        Column("amount", gettext_lazy("allocated"), display=_money("amount"), order_by="amount", css="num"),
        Column("spent", gettext_lazy("spent"), display=_money("spent"), order_by="spent", css="num"),
        Column("balance", gettext_lazy("balance"), display=_money("balance"), order_by="balance", css="num"),
    ]

    def row_css(self, row) -> str:
        if row.balance <= 0:
            return "table-secondary"
        return "table-warning" if row.balance * 10 < row.amount else ""  # less than a tenth left


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class HouseholdTable(Table):
    columns = [
        Column("number", gettext_lazy("household number"), link=True, order_by="number"),
        Column("head_name", gettext_lazy("head of household"), order_by="head_name"),
        Column("village", gettext_lazy("village"), "village.name", order_by="village__lft"),
        Column("address", gettext_lazy("address"), css=MD_UP),
        Column("phone", gettext_lazy("phone"), "phone_masked", css=MD_UP),
        Column("size", gettext_lazy("household size"), order_by="size", css="num"),
        Column("active", gettext_lazy("active"), lambda row: yes_no(row.active), css=MD_UP),
        Column("last_visit", gettext_lazy("last visit"), order_by="last_visit", empty="—"),
    ]


class VisitTable(Table):
    columns = [
        Column("date", gettext_lazy("date"), link=True, order_by="date", cell_css="text-nowrap"),
        village_column("household__village", gettext_lazy("village"), css=MD_UP),
        Column("household", gettext_lazy("household"), lambda row: str(row.household)),
        Column("leader", gettext_lazy("led by"), lambda row: _name(row.leader)),
        Column("topics", gettext_lazy("topics"), lambda row: "、".join(t.name for t in row.topics.all())),
        Column("raised", gettext_lazy("what was raised"), css=MD_UP),
        Column("follow_up_owner", gettext_lazy("follow-up owner"), lambda row: _name(row.follow_up_owner), empty="—"),
        Column("follow_up_due", gettext_lazy("follow-up due on"), order_by="follow_up_due", empty="—"),
        Column("closed_on", gettext_lazy("follow-up closed on"), empty="—", css=MD_UP),
    ]

    def row_css(self, row) -> str:
        return "table-warning" if row.is_overdue else ""


def coverage_sheet(rows, year: int) -> tuple[str, list[str], list[list]]:
    """The coverage of the villages in `year` as one sheet: a row per village."""
    headers = [
        _("village"),
        _("households"),
        _("households visited"),
        _("coverage rate"),
        _("visits"),
        _("open follow-ups"),
        _("overdue"),
    ]
    data = [
        [
            r.village.name,
            r.households,
            r.visited,
            round(r.rate, 1) if r.rate is not None else "",
            r.visits,
            r.open_follow_ups,
            r.overdue,
        ]
        for r in rows
    ]
    return _("Visit coverage %(year)d") % {"year": year}, headers, data
