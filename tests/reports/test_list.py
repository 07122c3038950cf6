"""The report list (issue 3, "Done when" 4): filters by month, status, branch, lateness and what waits for the
user; the export of what it shows; the invitation to write; and the to-do items of each persona."""

import datetime
import io

from openpyxl import load_workbook

from anding.models import AuditEvent
from branches.choices import ReportStatus
from branches.models import MonthlyReport
from branches.todo import report_todos

from .conftest import LAST_MONTH, PAST_MONTH, THIS_MONTH, TODAY, due, make_report, shift


def test_the_list_filters_by_month_status_branch_and_lateness(people, tree, en):
    late = make_report(
        people,
        tree,
        "v11",
        PAST_MONTH,
        ReportStatus.SUBMITTED,
        submitted_on=due(PAST_MONTH) + datetime.timedelta(days=3),
    )
    on_time = make_report(people, tree, "v21", PAST_MONTH, ReportStatus.APPROVED, submitted_on=due(PAST_MONTH))
    overdue_draft = make_report(people, tree, "v12", PAST_MONTH, ReportStatus.DRAFT)
    current = make_report(people, tree, "v22", THIS_MONTH, ReportStatus.DRAFT)
    town = en(people["town"])

    def pks(query):
        response = town.get(f"/reports/?{query}")
        assert response.status_code == 200
        return {r.pk for r in response.context["paginator"].object_list}

    assert pks("") == {late.pk, on_time.pk, overdue_draft.pk, current.pk}
    assert pks(f"month={PAST_MONTH:%Y-%m}") == {late.pk, on_time.pk, overdue_draft.pk}
    assert pks("status=approved") == {on_time.pk}
    assert pks(f"branch={tree.g1.pk}") == {late.pk, overdue_draft.pk}
    assert pks("late=true") == {late.pk, overdue_draft.pk}
    assert pks("late=false") == {on_time.pk, current.pk}
    assert {r.pk for r in MonthlyReport.objects.all() if r.is_late} == {late.pk, overdue_draft.pk}
    assert pks("month=nonsense") == set()
    assert pks("sort=-village") == pks("sort=month")


def test_the_list_exports_what_it_shows(people, tree, en):
    make_report(people, tree, "v11", PAST_MONTH, ReportStatus.APPROVED)
    make_report(people, tree, "v21", PAST_MONTH, ReportStatus.SUBMITTED)
    response = en(people["gb1"]).get("/reports/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("month", "general branch", "village branch", "status")
    assert [row[2] for row in rows[1:]] == [tree.v11.name]
    assert AuditEvent.objects.filter(action="export", actor=people["gb1"]).exists()


def test_the_reviewers_filter_shows_what_waits_for_them(people, tree, en):
    waiting = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    checked = make_report(people, tree, "v12", THIS_MONTH, ReportStatus.CHECKED)

    dep = en(people["dep1"]).get("/reports/?waiting=me")
    gb = en(people["gb1"]).get("/reports/?waiting=me")

    assert [r.pk for r in dep.context["object_list"]] == [waiting.pk]
    assert [r.pk for r in gb.context["object_list"]] == [checked.pk]


def test_the_list_invites_the_secretary_to_write_missing_reports(people, tree, en):
    make_report(people, tree, "v11", LAST_MONTH, ReportStatus.SUBMITTED)
    prompts = en(people["sec"]["v11"]).get("/reports/").context["prompts"]
    assert [(p["month"], p["report"]) for p in prompts] == [(THIS_MONTH, None)]
    assert en(people["gb1"]).get("/reports/").context["prompts"] == []


def test_todos_for_each_persona(people, tree):
    returned = make_report(people, tree, "v11", PAST_MONTH, ReportStatus.RETURNED)
    submitted_v12 = make_report(people, tree, "v12", LAST_MONTH, ReportStatus.SUBMITTED)
    checked_v11 = make_report(people, tree, "v11", shift(THIS_MONTH, -3), ReportStatus.CHECKED)
    submitted_v21 = make_report(people, tree, "v21", LAST_MONTH, ReportStatus.SUBMITTED)
    draft_v22 = make_report(people, tree, "v22", LAST_MONTH, ReportStatus.DRAFT)

    v11 = report_todos(people["sec"]["v11"], today=TODAY.replace(day=10))
    assert [item["url"] for item in v11] == [
        f"/reports/write/?village={tree.v11.pk}&month={LAST_MONTH:%Y-%m}",
        returned.get_absolute_url(),
    ]
    v22 = report_todos(people["sec"]["v22"], today=TODAY.replace(day=25))
    assert [item["url"] for item in v22] == [
        f"/reports/{draft_v22.pk}/edit/",
        f"/reports/write/?village={tree.v22.pk}&month={THIS_MONTH:%Y-%m}",
    ]
    assert [i["url"] for i in report_todos(people["dep1"])] == [submitted_v12.get_absolute_url()]
    assert [i["url"] for i in report_todos(people["gb1"])] == [checked_v11.get_absolute_url()]
    assert [i["url"] for i in report_todos(people["gb2"])] == [submitted_v21.get_absolute_url()]
    assert report_todos(people["town"]) == []
    assert all({"label", "url", "badge", "badge_class"} <= set(i) for i in v11 + v22)
