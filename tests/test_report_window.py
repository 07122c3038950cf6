"""A month's report is submitted when the month is over (issue 8): drafts any time, submission from the month's
last day by default (configurable), and the current month's completeness says "not yet due" instead of missing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from branches import actions, selectors
from branches.choices import ReportStatus
from branches.selectors.completeness import MISSING, NOT_DUE

MONTH = datetime.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _default_window(settings):
    settings.REPORT_SUBMIT_DAYS_BEFORE_MONTH_END = 0


@pytest.fixture
def on(monkeypatch):
    """`on(date)`: the services and selectors see `date` as today."""

    def set_today(day: datetime.date):
        from django.utils import timezone

        monkeypatch.setattr(timezone, "localdate", lambda *args: day)

    return set_today


def draft(tree, secretary):
    report = actions.report_start(actor=secretary, village=tree.v11, month=MONTH)
    return actions.report_save(
        actor=secretary, report=report, version=report.version, narrative="本月", problems="", requests=""
    )


def test_on_the_first_of_the_month_the_report_is_a_draft_and_cannot_be_submitted(on, tree, village_secretary):
    on(datetime.date(2026, 11, 1))
    report = draft(tree, village_secretary)

    with pytest.raises(ValidationError) as refused:
        actions.report_submit(actor=village_secretary, report=report)

    assert refused.value.code == "too_early"
    assert "2026" in refused.value.messages[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_on_the_last_day_of_the_month_it_can(on, tree, village_secretary):
    on(datetime.date(2026, 11, 30))

    report = actions.report_submit(actor=village_secretary, report=draft(tree, village_secretary))

    assert report.status == ReportStatus.SUBMITTED


def test_the_window_opens_earlier_when_configured(on, settings, tree, village_secretary):
    settings.REPORT_SUBMIT_DAYS_BEFORE_MONTH_END = 3
    on(datetime.date(2026, 11, 27))

    assert actions.report_submit(actor=village_secretary, report=draft(tree, village_secretary)).status == "submitted"


def test_the_page_shows_the_reason_on_the_first(on, client_as, tree, village_secretary):
    on(datetime.date(2026, 11, 1))
    report = draft(tree, village_secretary)

    response = client_as(village_secretary).post(
        f"/reports/{report.pk}/submit/", {"version": report.version}, follow=True
    )

    assert "2026" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_the_current_month_is_not_yet_due_and_a_past_month_is_missing(tree, town_cadre):
    during = selectors.report_completeness(town_cadre, MONTH, today=datetime.date(2026, 11, 15))
    after = selectors.report_completeness(town_cadre, MONTH, today=datetime.date(2026, 12, 1))

    assert {row.status for row in during.rows} == {NOT_DUE}
    assert {row.status for row in after.rows} == {MISSING}
    assert all(str(row.status_label) for row in during.rows)
