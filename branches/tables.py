"""The columns of the branches app's lists, each declared once for the page and its Excel export (anding.tables)."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from anding.exports import local_time, yes_no
from anding.tables import Column, Table, badge_cell, date_label, shown

from .choices import OrgKind
from .selectors import MEETING_FLAGS, CompletenessSummary, scope_kind_counts

__all__ = [
    "MD_UP",
    "CaseTable",
    "CompletenessSummaryTable",
    "CompletenessTable",
    "MeetingTable",
    "MemberTable",
    "RecruitmentTable",
    "ReportTable",
    "TaskTable",
    "one_in_scope",
    "village_column",
]

BADGE = badge_cell


def one_in_scope(*kinds):
    """A column's `hide_when`: the user's scope holds at most one organization of `kinds` (of any kind when none is
    given), so the column would name the same one on every row."""

    def hidden(user) -> bool:
        counts = scope_kind_counts(user)
        return sum(n for kind, n in counts.items() if not kinds or kind in kinds) <= 1

    return hidden


MD_UP = "d-none d-md-table-cell"  # columns a phone can do without


def village_column(path: str = "village", header=None, **options) -> Column:
    """The column of the village a row belongs to (at `path`, a select_related path): off the page of a person whose
    scope is one village, where it would name theirs on every row, and then not loaded (the export keeps it)."""
    return Column(
        "village",
        header or gettext_lazy("village branch"),
        f"{path.replace('__', '.')}.name",
        hide_when=one_in_scope(OrgKind.VILLAGE),
        related=path,
        **options,
    )


def _held(count: str):
    """A count of attendees, "—" while the meeting is not held."""
    return lambda m: getattr(m, count) if m.held_on else "—"


class MemberTable(Table):
    columns = [
        Column("name", pgettext_lazy("person", "name"), link=True, order_by="name", cell_css="text-nowrap"),
        Column("status", gettext_lazy("status"), "get_status_display", order_by="status", cell_css="text-nowrap"),
        Column("gender", gettext_lazy("gender"), "get_gender_display"),
        Column("birth_date", gettext_lazy("birth date"), page=False),
        Column("id_number", gettext_lazy("ID number"), "id_number_masked", css=MD_UP, cell_css="font-monospace"),
        Column("phone", gettext_lazy("phone"), "phone_masked", css=MD_UP, cell_css="font-monospace"),
        Column(
            "general_branch",
            gettext_lazy("general branch"),
            lambda m: m.branch.parent.name if m.branch.parent.kind == OrgKind.GENERAL else "",
            page=False,
            related="branch",
        ),
        Column(
            "branch",
            gettext_lazy("branch"),
            "branch.name",
            order_by="branch__lft",
            hide_when=one_in_scope(OrgKind.VILLAGE),
            related="branch",
        ),
        Column("joined", gettext_lazy("joined (probationary) on"), "joined_on", order_by="joined_on", css=MD_UP),
        Column("full_member_on", gettext_lazy("full member since"), page=False),
    ]
    export_order = (
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "general_branch",
        "branch",
        "status",
        "joined",
        "full_member_on",
    )


def _meeting_date(meeting, value):
    """A meeting's date in the list: held, else planned (and marked so)."""
    if meeting.held_on:
        return shown(value)
    mark = '{} <span class="text-body-secondary small meeting-planned-mark">({})</span>'
    return format_html(mark, shown(value), _("planned"))


class MeetingTable(Table):
    columns = [
        Column(
            "date",
            gettext_lazy("date"),
            "meeting_date",
            order_by="meeting_date",
            html=_meeting_date,
            cell_css="text-nowrap",
            export=False,
        ),
        Column("title", gettext_lazy("title"), link=True, order_by="title", cell_css="cell-wrap"),
        Column("status", gettext_lazy("status"), "get_status_display", order_by="status", html=BADGE),
        Column(
            "organization",
            gettext_lazy("organization"),
            "organization.name",
            order_by="organization__lft",
            hide_when=one_in_scope(),
            related="organization",
        ),
        Column(
            "general_branch",
            gettext_lazy("general branch at the time"),
            "general_branch.name",
            page=False,
            related="general_branch",
        ),
        Column("kind", gettext_lazy("kind of meeting"), "get_kind_display", order_by="kind", css=MD_UP),
        Column("planned_for", gettext_lazy("planned date"), page=False),
        Column("held_on", gettext_lazy("held on"), page=False),
        Column("place", gettext_lazy("place"), page=False),
        Column("host", gettext_lazy("chaired by"), page=False),
        Column("present", gettext_lazy("present"), "present_count", display=_held("present_count"), css=f"num {MD_UP}"),
        Column("absent", gettext_lazy("absent"), "absent_count", display=_held("absent_count"), css=f"num {MD_UP}"),
        Column("overdue", gettext_lazy("overdue"), lambda m: _("yes") if m.overdue else "", page=False),
    ]

    export_order = (
        "title",
        "organization",
        "general_branch",
        "kind",
        "status",
        "planned_for",
        "held_on",
        "place",
        "host",
        "present",
        "absent",
        "overdue",
    )

    def row_css(self, row) -> str:
        return "meeting-row-overdue" if row.overdue else ""


def _task_state(task) -> str:
    if task.is_completed:
        return _("completed")
    if task.is_overdue:
        return _("Overdue")
    return _("open")


class TaskTable(Table):
    columns = [
        Column("title", gettext_lazy("title"), link=True, order_by="title", cell_css="task-title-cell cell-wrap"),
        Column("status", gettext_lazy("status"), _task_state, html=BADGE),
        Column("issued_by", gettext_lazy("deployed by"), "issued_by.name", css=MD_UP),
        Column(
            "issued",
            gettext_lazy("deployed on"),
            "issued_on",
            order_by="issued_on",
            css="d-none d-md-table-cell",
            cell_css="text-nowrap",
        ),
        Column("due", gettext_lazy("due date"), "due_date", order_by="due_date", cell_css="text-nowrap"),
        Column("assignee_total", gettext_lazy("assignees"), page=False),
        Column("in_progress_count", gettext_lazy("in progress"), page=False),
        Column(
            "done",
            gettext_lazy("completed"),
            "done_count",
            order_by="done_count",
            display=lambda t: _("%(done)s of %(total)s") % {"done": t.done_count, "total": t.assignee_total},
            css=f"num {MD_UP}",
        ),
    ]

    export_order = ("title", "issued_by", "issued", "due", "assignee_total", "in_progress_count", "done", "status")

    def row_css(self, row) -> str:
        return "task-row-overdue" if row.is_overdue else ""


class ReportTable(Table):
    columns = [
        Column(
            "month",
            gettext_lazy("month"),
            link=True,
            order_by="month",
            display=lambda r: date_label(r.month, "YEAR_MONTH_FORMAT"),
            export=lambda r: f"{r.month:%Y-%m}",
        ),
        Column("status", gettext_lazy("status"), "get_status_display", order_by="status", html=BADGE),
        village_column(link=True, order_by="village__lft"),
        Column(
            "general_branch",
            gettext_lazy("general branch"),
            "general_branch.name",
            empty="—",
            hide_when=one_in_scope(OrgKind.GENERAL, OrgKind.VILLAGE),
            related="general_branch",
        ),
        Column("due_date", gettext_lazy("due date"), css=MD_UP),
        Column(
            "submitted",
            gettext_lazy("first submitted at"),
            "first_submitted_at",
            order_by="first_submitted_at",
            empty="—",
            export=lambda r: local_time(r.first_submitted_at),
        ),
        Column("late", gettext_lazy("late"), lambda r: yes_no(r.is_late), page=False),
        Column("approved_at", gettext_lazy("approved at"), lambda r: local_time(r.approved_at), page=False),
    ]
    export_order = ("month", "general_branch", "village", "status", "due_date", "submitted", "late", "approved_at")


class CompletenessTable(Table):
    """The villages of the completeness export (the page shows them grouped by general branch)."""

    columns = [
        Column("month", gettext_lazy("month")),
        Column("general_branch", gettext_lazy("general branch"), "general_branch.name"),
        Column("village", gettext_lazy("village branch"), "village.name"),
        Column("status", gettext_lazy("report status"), "status_label"),
        Column("submitted", gettext_lazy("first submitted at"), lambda row: local_time(row.first_submitted_at)),
        Column("on_time", gettext_lazy("on time"), lambda row: yes_no(row.on_time)),
        Column("late", gettext_lazy("late"), lambda row: yes_no(row.late)),
        *(Column(key, label, lambda row, key=key: yes_no(row.meetings[key])) for key, label in MEETING_FLAGS),
        Column("complete", gettext_lazy("meetings complete"), lambda row: yes_no(row.meetings_complete)),
    ]

    def __init__(self, rows, month):
        super().__init__(rows)
        self.month = month

    def value_month(self, row) -> str:
        return f"{self.month:%Y-%m}"


class CompletenessSummaryTable(CompletenessTable):
    """The summary of the completeness export: per general branch, and the total."""

    columns = [
        Column("month", gettext_lazy("month")),
        Column("general_branch", gettext_lazy("general branch"), "label"),
        *(Column(key, label, lambda group, key=key: getattr(group, key)) for key, label in CompletenessSummary.FIGURES),
    ]


def _current_general_branch(case) -> str:
    parent = case.village.parent
    return parent.name if parent is not None and parent.kind == OrgKind.GENERAL else ""


class CaseTable(Table):
    """The cases of a power; a power adds its own columns with `CaseTable.extend(...)`."""

    columns = [
        Column("title", gettext_lazy("title"), link=True, order_by="title"),
        Column("status", gettext_lazy("status"), "get_status_display", order_by="status", html=BADGE),
        village_column(order_by="village__lft"),
        Column(
            "general_branch",
            gettext_lazy("general branch"),
            _current_general_branch,
            hide_when=one_in_scope(OrgKind.GENERAL, OrgKind.VILLAGE),
            related="village",
            css=MD_UP,
        ),
        Column("opened_on", gettext_lazy("opened on"), order_by="opened_on", css=MD_UP, cell_css="text-nowrap"),
        Column("due_on", gettext_lazy("deadline"), order_by="due_on", empty="—", cell_css="text-nowrap"),
        Column("closed_on", gettext_lazy("closed on"), order_by="closed_on", empty="—", css=MD_UP),
        Column(
            "general_branch_then",
            gettext_lazy("general branch at the time"),
            "general_branch.name",
            empty="—",
            page=False,
        ),
        Column("opened_by", gettext_lazy("opened by"), "created_by.get_full_name", page=False),
    ]

    @classmethod
    def extend(cls, *columns: Column, name: str = "PowerCaseTable") -> type["CaseTable"]:
        """This table with `columns` added after the status (for the page and the export)."""
        base = list(cls.columns)
        return type(name, (cls,), {"columns": base[:2] + list(columns) + base[2:]})

    def row_css(self, row) -> str:
        return "case-row-overdue" if row.is_overdue else ""


def _next_step(case) -> str:
    return case.next_step_label or "—"


class RecruitmentTable(Table):
    """Recruitment cases (发展党员): the person, the village, the stage and the next step."""

    columns = [
        Column("name", gettext_lazy("name"), link=True, order_by="name"),
        Column("stage", gettext_lazy("stage"), "get_stage_display", order_by="stage"),
        village_column(order_by="village__lft"),
        Column("last_step", gettext_lazy("steps recorded"), order_by="last_step", cell_css="text-end"),
        Column("next_step", gettext_lazy("next step"), _next_step, css=MD_UP),
        Column("opened_on", gettext_lazy("applied on"), order_by="opened_on", css=MD_UP, cell_css="text-nowrap"),
        Column("closed_on", gettext_lazy("closed on"), order_by="closed_on", empty="—", css=MD_UP),
        Column("gender", gettext_lazy("gender"), "get_gender_display", page=False),
        Column("birth_date", gettext_lazy("birth date"), page=False),
    ]
