"""The shared page parts: the step indicator, the status badge, a list's table (page and export from one
declaration), the Excel writer, and the one form page."""

import datetime
import io
import re
import types
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import load_workbook

from anding.exports import xlsx_response
from anding.status import TONES, Badge, badges_of, steps
from anding.tables import Column, Table
from branches import actions
from branches.choices import MeetingKind, MeetingStatus
from branches.models import Meeting
from branches.tables import MeetingTable, MemberTable, ReportTable, TaskTable

PATH = [("planned", "Planned"), ("held", "Held"), ("reviewed", "Reviewed")]


# The step indicator ----------------------------------------------------------------------------------------------


def test_steps_are_done_current_or_to_come():
    got = [(s["status"], s["number"], s["state"], s["current"]) for s in steps(PATH, "held")]

    assert got == [("planned", 1, "done", False), ("held", 2, "current", True), ("reviewed", 3, "todo", False)]


def test_once_the_last_step_is_reached_every_step_is_done():
    last = steps(PATH, "reviewed")

    assert [s["state"] for s in last] == ["done", "done", "done"]
    assert [s["current"] for s in last] == [False, False, True]


def test_one_template_draws_every_step_indicator():
    html = render_to_string("generic/steps.html", {"steps": steps(PATH, "held"), "label": "Where it stands"})

    assert 'aria-label="Where it stands"' in html
    assert html.count('aria-current="step"') == 1
    assert '<li class="step is-current step-held" aria-current="step">' in html
    assert '<span class="step-mark" aria-hidden="true">✓</span>' in html  # the step done
    assert '<span class="step-mark" aria-hidden="true">3</span>' in html  # the step to come


# The status badge ------------------------------------------------------------------------------------------------


def test_a_badge_takes_its_colour_from_the_one_mapping():
    assert Badge("report", "returned", "Returned").css == "status-danger report-badge-returned"
    assert Badge("task", "overdue", "Overdue").css == "status-danger task-badge-overdue"
    assert Badge("meeting", "something-new", "?").css == "status-neutral meeting-badge-something-new"


def test_every_colour_of_the_mapping_has_its_style():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text(encoding="utf-8")

    assert {tone for tone in TONES.values() if f".status-{tone} {{" not in css} == set()


def test_a_record_shows_its_status_and_flags_as_its_app_says():
    meeting = Meeting(status=MeetingStatus.PLANNED)
    meeting.overdue = True

    assert [(b.state, b.kind) for b in badges_of(meeting)] == [("planned", "meeting"), ("overdue", "meeting")]
    assert badges_of(object()) == []


def test_the_status_badge_tag_draws_a_record_or_one_state():
    meeting = Meeting(status=MeetingStatus.HELD)
    template = Template('{% load portal %}{% status_badge meeting %}|{% status_badge "report" "late" "late" %}')

    html = template.render(Context({"meeting": meeting}))

    record, state = html.split("|")
    assert (
        record
        == f'<span class="badge badge-status status-warning meeting-badge-held">{meeting.get_status_display()}</span>'
    )
    assert state == '<span class="badge badge-status status-warning report-badge-late">late</span>'


# A list's table ----------------------------------------------------------------------------------------------------


class PlotTable(Table):
    columns = [
        Column("name", "Name", link=True, order_by="name"),
        Column("owner", "Owner", "owner.name", empty="—"),
        Column("code", "Code", lambda plot: plot.name.upper(), page=False),
        Column("area", "Area", "get_area", display=lambda plot: f"{plot.get_area()} mu", css="num"),
        Column("note", "Note", export=False),
        Column("since", "Since", "since", export=lambda plot: f"{plot.since:%Y}"),
    ]
    export_order = ("code", "name", "owner", "area", "since")

    def value_note(self, plot):
        return f"note on {plot.name}"

    def row_css(self, plot):
        return "plot-large" if plot.get_area() > 5 else ""


def plot(name, area, owner=None):
    return types.SimpleNamespace(
        name=name, get_area=lambda: area, owner=owner, since=datetime.date(2020, 1, 1), get_absolute_url=f"/{name}/"
    )


def test_one_declaration_gives_the_page_its_columns_and_the_export_its_own():
    table = PlotTable([plot("east", 3), plot("west", 8, types.SimpleNamespace(name="Li"))])

    assert PlotTable.sort_fields == {"name": "name"}
    assert [c.header for c in table.page_columns] == ["Name", "Owner", "Area", "Note", "Since"]
    with translation.override("en"):
        body = str(table.body)
    rows = re.findall(r"<tr([^>]*)>(.*?)</tr>", body, re.DOTALL)
    assert [css for css, _ in rows] == ["", ' class="plot-large"']
    assert [re.findall(r"<td[^>]*>(.*?)</td>", cells) for _, cells in rows] == [
        ['<a href="/east/">east</a>', "—", "3 mu", "note on east", "2020-01-01"],
        ['<a href="/west/">west</a>', "Li", "8 mu", "note on west", "2020-01-01"],
    ]
    assert '<td data-column="area" class="num">3 mu</td>' in body
    assert table.sheet("Plots") == (
        "Plots",
        ["Code", "Name", "Owner", "Area", "Since"],
        [["EAST", "east", None, 3, "2020"], ["WEST", "west", "Li", 8, "2020"]],
    )


def test_the_table_template_draws_sort_links_links_and_row_classes(rf):
    request = rf.get("/plots/", {"sort": "name"})
    table = PlotTable([plot("west", 8)])

    html = render_to_string("generic/table.html", {"table": table, "request": request, "current_sort": "name"})

    assert '<th scope="col"><a href="?sort=-name" class="sort-link">Name <span aria-hidden="true">▲</span></a>' in html
    assert '<th scope="col" class="num">Area</th>' in html
    assert '<tr class="plot-large">' in html
    assert '<td data-column="name"><a href="/west/">west</a></td>' in html


def test_the_workbook_holds_every_sheet_and_never_a_formula():
    response = xlsx_response("plots", ("One", ["h"], [["=1+1"], [None], [5]]), ("Two", ["x"], []), stamp=False)

    assert response["Content-Disposition"] == 'attachment; filename="plots.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["One", "Two"]
    assert list(book["One"].iter_rows(values_only=True)) == [("h",), ("'=1+1",), (None,), (5,)]


# The lists of the branches app: what the page shows and what the export holds come from the same table -------


@pytest.fixture
def english(client_as):
    def make(user):
        client = client_as(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def rows(tree, town_cadre, village_secretary):
    """One meeting, one task and one report in the town's scope (the tree has members already)."""
    today = timezone.localdate()
    actions.meeting_plan(
        actor=town_cadre, organization=tree.g1, kind=MeetingKind.WORK_MEETING, title="例会", planned_for=today
    )
    actions.task_deploy(
        actor=town_cadre,
        issued_by=tree.town,
        title="秋季防火检查",
        description="",
        due_date=today + datetime.timedelta(days=7),
        assignees=[tree.g1],
    )
    actions.report_start(actor=village_secretary, village=tree.v11, month=today.replace(day=1))


def header_texts(html: str) -> list[str]:
    """The headers of the last table on the page (the list's own: panels above it come first)."""
    head = html.rsplit("<thead>", 1)[1].split("</thead>", 1)[0]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head, re.DOTALL)
    return [re.sub(r"<[^>]+>|[▲▼]", "", cell).strip() for cell in cells]


@pytest.mark.parametrize(
    ("path", "table"),
    [("/members/", MemberTable), ("/meetings/", MeetingTable), ("/tasks/", TaskTable), ("/reports/", ReportTable)],
)
def test_each_list_shows_and_exports_the_columns_of_its_table(english, town_cadre, rows, path, table):
    client = english(town_cadre)

    page = client.get(path)
    export = client.get(path, {"export": "xlsx"})

    assert isinstance(page.context["table"], table)
    assert header_texts(page.content.decode()) == [str(c.header) for c in table([]).page_columns]
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert list(next(sheet.iter_rows(values_only=True))) == [str(c.header) for c in table([]).export_columns]
    assert sheet.max_row == 1 + page.context["paginator"].count


# The form page -----------------------------------------------------------------------------------------------------


def test_the_form_page_shows_its_title_breadcrumb_buttons_and_token(english, town_cadre):
    html = english(town_cadre).get("/tasks/add/").content.decode()

    assert "<title>Deploy a task · " in html
    assert '<h1 class="h4 mb-3">Deploy a task</h1>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Deploy a task</li>' in html
    assert '<button type="submit" class="btn btn-primary">Deploy</button>' in html
    assert '<a class="btn btn-outline-secondary" href="/tasks/">Cancel</a>' in html
    assert 'name="form_token"' in html and "data-warn-unsaved" in html


def test_an_edit_form_page_leads_back_to_its_record(english, town_cadre, tree):
    member = tree.members["v11"][0]

    html = english(town_cadre).get(f"/members/{member.pk}/edit/").content.decode()

    assert f'<h1 class="h4 mb-3">Edit {member.name}</h1>' in html
    assert f'<a class="btn btn-outline-secondary" href="{member.get_absolute_url()}">Cancel</a>' in html
    assert 'name="form_token"' not in html  # only a create form carries one
    assert 'class="breadcrumb"' not in html


# One of each ---------------------------------------------------------------------------------------------------------


def test_no_model_has_a_step_indicator_or_badge_template_of_its_own():
    names = [path.name for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")]

    assert [name for name in names if name.endswith(("_steps.html", "_status_badge.html"))] == []


def test_the_report_views_keep_their_import_path_after_the_split():
    from branches.views import reports

    assert {"ReportListView", "ReportCompletenessView", "MeetingPackView"} <= set(reports.__all__)
    assert callable(reports.report_actions)


def test_a_long_select_renders_as_djangos_select_with_every_part_escaped():
    from django import forms
    from django.test.html import parse_html

    from anding.forms import LongSelect

    choices = [("", "---------"), (1, "东庄<script>alert(1)</script>"), (2, 'a"b&c')]
    for value in (None, "2", 2):
        attrs = {"id": "id_org", "class": "form-select"}
        long = LongSelect(choices=choices).render("org", value, attrs=attrs)
        plain = forms.Select(choices=choices).render("org", value, attrs=attrs)

        assert parse_html(long) == parse_html(plain)
        assert "<script>" not in long


def test_a_page_without_a_nested_joined_record_keeps_the_record_it_hangs_from(tree, village_secretary):
    """The visits list hides the village for a village secretary: the household stays joined, its village does not."""
    from services.models import HouseholdVisit
    from services.tables import VisitTable

    rows = HouseholdVisit.objects.select_related("household__village", "leader", "follow_up_owner")

    kept = VisitTable.page_rows(rows, village_secretary).query.select_related

    assert kept == {"household": {}, "leader": {}, "follow_up_owner": {}}
    assert VisitTable.page_rows(rows, None).query.select_related == rows.query.select_related
