"""A move carries its consequences (issue 8): the old general branch's liaison ends, a deputy of the new one takes
over, open reports and meetings go to the new reviewers, finished ones keep the general branch of their time; the
admin shows all of it before saving."""

import datetime

import pytest
from django.utils import timezone

from anding.models import AuditEvent
from branches import actions
from branches.choices import MeetingKind, ReportStatus, Role
from branches.models import Meeting, MonthlyReport, Position

from .factories import PositionFactory, UserFactory
from .test_tree import admin_form_data, change_url

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)


@pytest.fixture
def deputy2(tree):
    """A deputy secretary of g2, who will take over v11."""
    user = UserFactory(username="dep2", full_name="dep2")
    PositionFactory(user=user, organization=tree.g2, role=Role.DEPUTY_SECRETARY)
    return user


def _report(village, secretary, month, *, submit=True):
    report = actions.report_start(actor=secretary, village=village, month=month)
    report = actions.report_save(
        actor=secretary, report=report, version=report.version, narrative="本月", problems="", requests=""
    )
    return actions.report_submit(actor=secretary, report=report) if submit else report


def _move(tree, superuser, deputy=None):
    return actions.organization_move(
        actor=superuser,
        organization=tree.v11,
        new_parent=tree.g2,
        effective_date=TODAY,
        reason="按片区调整",
        liaison_deputy=deputy,
    )


@pytest.fixture
def moved(tree, superuser, village_secretary, deputy, gb_secretary, deputy2):
    """v11 had last month's report approved in g1 and this month's submitted; then it moves to g2 with dep2."""
    last = _report(tree.v11, village_secretary, (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1))
    actions.report_check(actor=deputy, report=last)
    last = actions.report_approve(actor=gb_secretary, report=MonthlyReport.objects.get(pk=last.pk))
    current = _report(tree.v11, village_secretary, THIS_MONTH)
    meeting = actions.meeting_plan(
        actor=village_secretary,
        organization=tree.v11,
        kind=MeetingKind.BRANCH_COMMITTEE,
        title="支委会",
        planned_for=TODAY + datetime.timedelta(days=3),
    )
    _move(tree, superuser, Position.objects.get(user=deputy2))
    tree.v11.refresh_from_db()
    return {"last": last, "current": current, "meeting": meeting}


def test_the_old_liaison_ends_and_the_new_deputy_takes_over(tree, moved, deputy, deputy2):
    assert not Position.objects.get(user=deputy).liaison_villages.filter(pk=tree.v11.pk).exists()
    assert Position.objects.get(user=deputy2).liaison_villages.filter(pk=tree.v11.pk).exists()
    event = AuditEvent.objects.get(action="org_move")
    assert event.detail["liaisons_ended"] == [str(deputy)] and event.detail["liaison_deputy"] == str(deputy2)


def test_open_records_go_to_the_new_general_branch_and_finished_ones_stay(tree, moved):
    assert MonthlyReport.objects.get(pk=moved["current"].pk).general_branch == tree.g2
    assert Meeting.objects.get(pk=moved["meeting"].pk).general_branch == tree.g2
    assert MonthlyReport.objects.get(pk=moved["last"].pk).general_branch == tree.g1


def test_the_new_reviewers_act_and_the_old_deputy_gets_404(client_as, tree, moved, deputy, deputy2, gb2_secretary):
    report = moved["current"]

    assert client_as(deputy).get(report.get_absolute_url()).status_code == 404
    assert client_as(deputy).post(f"/api/reports/{report.pk}/check/").status_code == 404
    page = client_as(deputy2).get(report.get_absolute_url())
    assert page.status_code == 200
    assert tree.g2.name in page.content.decode()
    assert client_as(deputy2).post(f"/api/reports/{report.pk}/check/").status_code == 200
    assert client_as(gb2_secretary).post(f"/api/reports/{report.pk}/approve/").json()["status"] == ReportStatus.APPROVED


def test_last_months_report_still_counts_under_the_old_general_branch(client_as, tree, moved, gb_secretary):
    assert client_as(gb_secretary).get(moved["last"].get_absolute_url()).status_code == 200
    assert client_as(gb_secretary).get(moved["current"].get_absolute_url()).status_code == 404


def test_a_deputy_of_another_general_branch_cannot_take_over(tree, superuser, deputy):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _move(tree, superuser, Position.objects.get(user=deputy))
    tree.v11.refresh_from_db()
    assert tree.v11.parent == tree.g1


def test_the_admin_shows_the_consequences_before_it_moves(
    client_as, tree, superuser, village_secretary, deputy, deputy2
):
    _report(tree.v11, village_secretary, THIS_MONTH)
    data = admin_form_data(
        tree.v11,
        parent=tree.g2.pk,
        effective_date=TODAY.isoformat(),
        change_reason="按片区调整",
        confirm_move="",
        liaison_deputy=Position.objects.get(user=deputy2).pk,
    )
    client = client_as(superuser)

    preview = client.post(change_url(tree.v11), data)

    assert preview.status_code == 200
    text = preview.content.decode()
    assert str(deputy) in text and str(deputy2) in text
    tree.v11.refresh_from_db()
    assert tree.v11.parent == tree.g1  # nothing moved yet
    confirmed = client.post(change_url(tree.v11), {**data, "confirm_move": "on"})
    assert confirmed.status_code == 302
    tree.v11.refresh_from_db()
    assert tree.v11.parent == tree.g2
    assert Position.objects.get(user=deputy2).liaison_villages.filter(pk=tree.v11.pk).exists()
