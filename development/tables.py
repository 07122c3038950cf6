"""The columns of the development app's lists (page and Excel export)."""

from functools import cached_property

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.tables import Column, Table

from .permissions import branch_generals, figures_villages, pairing_villages

__all__ = [
    "EventTable",
    "FiguresTable",
    "PairingTable",
    "PartnerTable",
    "ProgressTable",
    "ResourceTable",
    "SaleTable",
    "TrainingTable",
    "ledger_sheet",
]

MD_UP = "d-none d-md-table-cell"


def edit_link(row, value):
    """A cell linking to the row's correction form (its value: the form's address), empty when the user may not."""
    return format_html('<a href="{}">{}</a>\n', value, _("Correct")) if value else "\n"


class FiguresTable(Table):
    columns = [
        Column("village", gettext_lazy("village"), "village.name", order_by="village__lft"),
        Column("general_branch", gettext_lazy("general branch"), "village.parent.name", css=MD_UP),
        Column("year", gettext_lazy("year"), order_by="year"),
        Column(
            "collective_income",
            gettext_lazy("collective income (yuan)"),
            order_by="collective_income",
            css="num",
        ),
        Column(
            "income_per_capita",
            gettext_lazy("income per capita (yuan)"),
            order_by="income_per_capita",
            css="num",
        ),
        Column("edit", "", html=edit_link, export=False),
    ]

    @cached_property
    def editable(self) -> set[int]:
        """The villages whose figures the user enters (one query)."""
        return set(figures_villages(self.user).values_list("pk", flat=True)) if self.user is not None else set()

    def value_edit(self, row) -> str:
        return reverse("development:figures_edit", args=[row.pk]) if row.village_id in self.editable else ""


class PairingTable(Table):
    columns = [
        Column(
            "lead_village", gettext_lazy("lead village"), "lead_village.name", link=True, order_by="lead_village__lft"
        ),
        Column("general_branch", gettext_lazy("general branch"), "lead_village.parent.name", css=MD_UP),
        Column("industry", gettext_lazy("industry"), order_by="industry"),
        Column("helped", gettext_lazy("villages helped"), "helped_names", css=MD_UP),
        Column("start_date", gettext_lazy("start date"), order_by="start_date", cell_css="text-nowrap"),
        Column("end_date", gettext_lazy("end date"), order_by="end_date", css=MD_UP, cell_css="text-nowrap"),
        Column("area", gettext_lazy("area (mu)"), "latest_area_mu", css="num", empty="—"),
        Column("increase", gettext_lazy("income per capita increase (yuan)"), "latest_increase", css="num", empty="—"),
    ]


class ProgressTable(Table):
    columns = [
        Column("date", gettext_lazy("date"), link=True, order_by="date", cell_css="text-nowrap"),
        Column("pairing", gettext_lazy("pairing"), "pairing"),
        Column("area_mu", gettext_lazy("area (mu)"), order_by="area_mu", css="num"),
        Column("households", gettext_lazy("households involved"), order_by="households", css="num"),
        Column("income_before", gettext_lazy("income per capita before (yuan)"), css=f"num {MD_UP}"),
        Column("income_after", gettext_lazy("income per capita after (yuan)"), css=f"num {MD_UP}"),
        Column("increase", gettext_lazy("increase (yuan)"), "increase", css="num"),
        Column("edit", "", html=edit_link, export=False),
    ]

    @cached_property
    def editable(self) -> set[int]:
        """The villages whose pairings' progress the user records and corrects (one query)."""
        return set(pairing_villages(self.user).values_list("pk", flat=True)) if self.user is not None else set()

    def value_edit(self, row) -> str:
        return (
            reverse("development:progress_edit", args=[row.pk]) if row.pairing.lead_village_id in self.editable else ""
        )


class BranchRecordTable(Table):
    """A list of records of a general branch whose `edit` column links each row the user may correct to its
    `edit_route`."""

    edit_route = ""

    @cached_property
    def editable(self) -> set[int]:
        """The general branches whose records the user corrects (one query)."""
        return set(branch_generals(self.user).values_list("pk", flat=True)) if self.user is not None else set()

    def branch_of(self, row) -> int:
        return row.general_branch_id

    def value_edit(self, row) -> str:
        return reverse(self.edit_route, args=[row.pk]) if self.branch_of(row) in self.editable else ""


class EventTable(BranchRecordTable):
    edit_route = "development:event_edit"
    columns = [
        Column("date", gettext_lazy("date"), order_by="date", cell_css="text-nowrap"),
        Column("general_branch", gettext_lazy("general branch"), "general_branch.name", css=MD_UP),
        Column("partner", gettext_lazy("partner"), "partner.name", order_by="partner__name"),
        Column("kind", gettext_lazy("kind"), "get_kind_display", order_by="kind"),
        Column("title", gettext_lazy("title")),
        Column("people_employed", gettext_lazy("people employed"), order_by="people_employed", css="num"),
        Column("person_times_trained", gettext_lazy("person-times trained"), css="num"),
        Column("contracts", gettext_lazy("contracts"), css=f"num {MD_UP}"),
        Column("amount", gettext_lazy("amount (yuan)"), css=f"num {MD_UP}"),
        Column("edit", "", html=edit_link, export=False),
    ]


class ResourceTable(Table):
    columns = [
        Column("name", gettext_lazy("name"), link=True, order_by="name"),
        Column("general_branch", gettext_lazy("general branch"), "general_branch.name", css=MD_UP),
        Column("kind", gettext_lazy("kind"), "get_kind_display", order_by="kind"),
        Column("specialty", gettext_lazy("specialty")),
        Column("member", gettext_lazy("party member"), "member.name", empty="—", css=MD_UP),
        Column("person_times", gettext_lazy("person-times trained"), "trained", css="num"),
    ]


class TrainingTable(BranchRecordTable):
    columns = [
        Column("date", gettext_lazy("date"), link=True, order_by="date", cell_css="text-nowrap"),
        Column("resource", gettext_lazy("resource"), "resource.name"),
        Column("general_branch", gettext_lazy("general branch"), "resource.general_branch.name", css=MD_UP),
        Column("topic", gettext_lazy("topic")),
        Column("person_times", gettext_lazy("person-times"), order_by="person_times", css="num"),
        Column("edit", "", html=edit_link, export=False),
    ]

    edit_route = "development:training_edit"

    def branch_of(self, row) -> int:
        return row.resource.general_branch_id


class SaleTable(BranchRecordTable):
    columns = [
        Column("date", gettext_lazy("date"), order_by="date", cell_css="text-nowrap"),
        Column("general_branch", gettext_lazy("general branch"), "general_branch.name", css=MD_UP),
        Column("product", gettext_lazy("product"), order_by="product"),
        Column("channel", gettext_lazy("channel"), order_by="channel"),
        Column("quantity_jin", gettext_lazy("quantity (jin)"), order_by="quantity_jin", css="num"),
        Column("amount", gettext_lazy("amount (yuan)"), order_by="amount", css="num"),
        Column("edit", "", html=edit_link, export=False),
    ]

    edit_route = "development:sale_edit"


class PartnerTable(Table):
    columns = [
        Column("name", gettext_lazy("name"), link=True, order_by="name"),
        Column("kind", gettext_lazy("kind"), "get_kind_display", order_by="kind"),
        Column("events", gettext_lazy("events"), "event_count", order_by="event_count", css="num"),
        Column("contact_note", gettext_lazy("contact note"), css=MD_UP),
    ]


def ledger_sheet(rows, total) -> tuple[str, list[str], list[list]]:
    """The ledger of a year as one sheet: a row per general branch, then the total."""
    headers = [
        _("general branch"),
        _("year"),
        _("villages driven"),
        _("area (mu)"),
        _("income per capita increase (yuan)"),
        _("people employed"),
        _("person-times trained"),
        _("sales (jin)"),
        _("sales (yuan)"),
    ]
    data = [
        [
            r.general_branch.name if r.general_branch else _("Total"),
            r.year,
            r.villages_driven,
            r.area_mu,
            r.income_increase,
            r.people_employed,
            r.person_times_trained,
            r.sales_jin,
            r.sales_yuan,
        ]
        for r in [*rows, total]
    ]
    return _("Outcome ledger"), headers, data
