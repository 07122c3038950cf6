"""The completeness view and its Excel export (issue 3, "Done when" 4), checked against a computation made here
from the rows themselves: who submitted, on time or late, and which meetings of 三会一课 each village held."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anding.models import AuditEvent
from branches import actions, selectors
from branches.choices import MeetingKind, MeetingStatus, ReportStatus
from branches.models import Meeting, MonthlyReport

from ..factories import whole_village_group
from .conftest import LAST_MONTH, PAST_MONTH, THIS_MONTH, TODAY, due, hold, make_report, page, shift


@pytest.fixture
def month_data(people, tree):
    """PAST_MONTH: v11 approved on time, v12 submitted late, v21 returned (on time), v22 missing; v11 held every
    meeting of 三会一课, v12 only its branch committee, v21 all monthly ones but no lecture; a reviewed meeting counts,
    a planned one does not."""
    on_time, late = due(PAST_MONTH), due(PAST_MONTH) + datetime.timedelta(days=2)
    make_report(people, tree, "v11", PAST_MONTH, ReportStatus.APPROVED, submitted_on=on_time)
    make_report(people, tree, "v12", PAST_MONTH, ReportStatus.SUBMITTED, submitted_on=late)
    make_report(people, tree, "v21", PAST_MONTH, ReportStatus.RETURNED, submitted_on=PAST_MONTH)
    actor = people["town"]
    for kind in MeetingKind.values[:5]:
        hold(tree.v11, kind, PAST_MONTH, actor)
    hold(tree.v12, MeetingKind.BRANCH_COMMITTEE, PAST_MONTH, actor)
    for kind in (MeetingKind.BRANCH_COMMITTEE, MeetingKind.PARTY_GROUP, MeetingKind.THEMED_DAY):
        hold(tree.v21, kind, PAST_MONTH, actor)
    quarter_start = datetime.date(PAST_MONTH.year, (PAST_MONTH.month - 1) // 3 * 3 + 1, 1)
    hold(tree.v21, MeetingKind.BRANCH_ASSEMBLY, quarter_start, actor)
    meeting = hold(tree.v22, MeetingKind.BRANCH_COMMITTEE, PAST_MONTH, actor)
    actions.meeting_review(actor=people["gb2"], meeting=meeting, comment="好")
    actions.meeting_plan(
        actor=actor,
        organization=tree.v22,
        kind=MeetingKind.PARTY_GROUP,
        title="planned",
        planned_for=PAST_MONTH,
        party_group=whole_village_group(tree.v22),
    )
    return PAST_MONTH


def expected_completeness(villages, month):
    """The completeness figures computed here, from the rows, without the selector."""
    quarter_first = datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    quarter_last = shift(quarter_first, 3) - datetime.timedelta(days=1)
    month_last = shift(month, 1) - datetime.timedelta(days=1)
    rows = {}
    for village in villages:
        report = MonthlyReport.objects.filter(village=village, month=month).first()
        held = Meeting.objects.filter(organization=village, status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED])
        in_month = {m.kind for m in held.filter(held_on__gte=month, held_on__lte=month_last)}
        in_quarter = {m.kind for m in held.filter(held_on__gte=quarter_first, held_on__lte=quarter_last)}
        submitted = report is not None and report.first_submitted_at is not None
        late_submission = submitted and timezone.localdate(report.first_submitted_at) > due(month)
        flags = {
            "committee": MeetingKind.BRANCH_COMMITTEE in in_month,
            "party_group": MeetingKind.PARTY_GROUP in in_month,
            "themed_day": MeetingKind.THEMED_DAY in in_month,
            "assembly_quarter": MeetingKind.BRANCH_ASSEMBLY in in_quarter,
            "lecture_quarter": MeetingKind.PARTY_LECTURE in in_quarter,
        }
        rows[village.name] = {
            "general_branch": village.parent.name,
            "status": report.status if report else "missing",
            "submitted": submitted,
            "on_time": submitted and not late_submission,
            "late": late_submission or (not submitted and TODAY > due(month)),
            "meetings": flags,
            "complete": all(flags.values()),
        }
    return rows


def summarize(rows) -> dict:
    values = list(rows)
    return {
        "villages": len(values),
        "submitted": sum(r["submitted"] for r in values),
        "on_time": sum(r["on_time"] for r in values),
        "late": sum(r["late"] for r in values),
        "missing": sum(not r["submitted"] for r in values),
        "returned": sum(r["status"] == "returned" for r in values),
        "approved": sum(r["status"] == "approved" for r in values),
        "meetings_complete": sum(r["complete"] for r in values),
    }


def shown_rows(data) -> dict:
    return {
        row.village.name: {
            "general_branch": row.general_branch.name,
            "status": row.status,
            "submitted": row.submitted,
            "on_time": row.on_time,
            "late": row.late,
            "meetings": row.meetings,
            "complete": row.meetings_complete,
        }
        for row in data.rows
    }


def summary_of(group) -> dict:
    return {key: value for key, _label, value in group.figures}


@pytest.mark.parametrize(("who", "keys"), [("town", ["v11", "v12", "v21", "v22"]), ("gb1", ["v11", "v12"])])
def test_completeness_matches_an_independent_computation(people, tree, en, month_data, who, keys):
    villages = [getattr(tree, key) for key in keys]
    expected = expected_completeness(villages, month_data)

    response = en(people[who]).get(f"/reports/completeness/?month={month_data:%Y-%m}")

    assert response.status_code == 200
    data = response.context["data"]
    assert shown_rows(data) == expected
    assert summary_of(data.total) == summarize(expected.values())
    for group in data.branches:
        in_group = [r for r in expected.values() if r["general_branch"] == group.label]
        assert summary_of(group) == summarize(in_group)
    assert [g.label for g in data.branches] == sorted({r["general_branch"] for r in expected.values()})
    # The concrete figures of the scenario, so that the independent computation cannot drift with the code.
    assert expected[tree.v11.name]["on_time"] and expected[tree.v11.name]["complete"]
    assert expected[tree.v12.name]["late"] and not expected[tree.v12.name]["complete"]
    if who == "town":
        assert summarize(expected.values()) == {
            "villages": 4,
            "submitted": 3,
            "on_time": 2,
            "late": 2,
            "missing": 1,
            "returned": 1,
            "approved": 1,
            "meetings_complete": 1,
        }
        assert expected[tree.v22.name]["meetings"]["committee"]  # a reviewed meeting counts
        assert not expected[tree.v22.name]["meetings"]["party_group"]  # a planned one does not
        assert expected[tree.v21.name]["meetings"]["assembly_quarter"]


def test_completeness_for_one_general_branch_chosen_by_the_town(people, tree, en, month_data):
    response = en(people["town"]).get(f"/reports/completeness/?month={month_data:%Y-%m}&branch={tree.g2.pk}")
    data = response.context["data"]
    assert shown_rows(data) == expected_completeness([tree.v21, tree.v22], month_data)
    # A general branch out of scope is not a choice.
    response = en(people["gb1"]).get(f"/reports/completeness/?month={month_data:%Y-%m}&branch={tree.g2.pk}")
    assert response.status_code == 200 and response.context["form"].errors
    assert {r.village.name for r in response.context["data"].rows} == {tree.v11.name, tree.v12.name}


def test_completeness_defaults_to_the_previous_month_and_survives_bad_input(people, en):
    town = en(people["town"])
    assert town.get("/reports/completeness/").context["data"].month == LAST_MONTH
    response = town.get("/reports/completeness/?month=2026-99&branch=abc")
    assert response.status_code == 200 and response.context["data"].month == LAST_MONTH
    assert "YYYY-MM" in page(response)
    for month in (shift(THIS_MONTH, 1), datetime.date(1999, 12, 1), datetime.date(9999, 12, 1)):
        response = town.get(f"/reports/completeness/?month={month:%Y-%m}")
        assert response.status_code == 200 and response.context["data"].month == LAST_MONTH
        assert response.context["form"].errors["month"]


@pytest.mark.parametrize(("who", "keys"), [("town", ["v11", "v12", "v21", "v22"]), ("gb1", ["v11", "v12"])])
def test_the_completeness_export_holds_the_same_figures(people, tree, en, month_data, who, keys):
    expected = expected_completeness([getattr(tree, key) for key in keys], month_data)

    response = en(people[who]).get(f"/reports/completeness/?month={month_data:%Y-%m}&export=xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    villages, summary = book.worksheets
    header, *rows = list(villages.iter_rows(values_only=True))
    assert header[:4] == ("month", "general branch", "village branch", "report status")
    yes = {"yes": True, "no": False}
    statuses = {"missing": "missing", **{s.label: s.value for s in ReportStatus}}
    got = {
        row[2]: {
            "general_branch": row[1],
            "status": statuses[row[3]],
            "submitted": row[4] is not None,
            "on_time": yes[row[5]],
            "late": yes[row[6]],
            "meetings": dict(
                zip(
                    ["committee", "party_group", "themed_day", "assembly_quarter", "lecture_quarter"],
                    [yes[v] for v in row[7:12]],
                    strict=True,
                )
            ),
            "complete": yes[row[12]],
        }
        for row in rows
    }
    assert got == expected
    assert all(row[0] == f"{month_data:%Y-%m}" for row in rows)
    header, *groups = list(summary.iter_rows(values_only=True))
    assert header[2:] == (
        "villages",
        "submitted",
        "on time",
        "late",
        "not submitted",
        "returned",
        "approved",
        "meetings complete",
    )
    keys_in_order = ["villages", "submitted", "on_time", "late", "missing", "returned", "approved", "meetings_complete"]
    by_label = {row[1]: dict(zip(keys_in_order, row[2:], strict=True)) for row in groups}
    assert by_label.pop("Total") == summarize(expected.values())
    for label, figures in by_label.items():
        assert figures == summarize([r for r in expected.values() if r["general_branch"] == label])
    assert AuditEvent.objects.filter(action="export", detail__list="report-completeness").exists()


def test_the_completeness_selector_agrees_with_the_page(people, tree, month_data):
    data = selectors.report_completeness(people["gb1"], month_data, within=tree.g1)
    assert shown_rows(data) == expected_completeness([tree.v11, tree.v12], month_data)
