"""Reviewing is deliberate (issue 8): first review, approval and return each show the frozen figures and ask to
confirm, take a comment (a reason, required, for a return), and the report's history shows it."""

from branches.choices import ReportStatus
from branches.models import ReportTransition

from .conftest import LAST_MONTH, make_report, page


def test_the_first_review_shows_the_frozen_figures_and_keeps_the_comment(people, tree, en):
    report = make_report(people, tree, "v11", LAST_MONTH, ReportStatus.SUBMITTED)
    client = en(people["dep1"])
    detail = page(client.get(report.get_absolute_url()))
    assert f'href="/reports/{report.pk}/check/"' in detail  # a link to the confirmation, not a one-click form
    confirm = client.get(f"/reports/{report.pk}/check/")
    html = page(confirm)
    assert "Figures as submitted" in html and 'name="comment"' in html
    response = client.post(f"/reports/{report.pk}/check/", {"comment": "数据已核对"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CHECKED
    assert ReportTransition.objects.filter(report=report, to_status=ReportStatus.CHECKED).get().comment == "数据已核对"
    assert "数据已核对" in page(client.get(report.get_absolute_url()))  # the history shows it


def test_the_approval_takes_an_optional_comment(people, tree, en):
    report = make_report(people, tree, "v21", LAST_MONTH, ReportStatus.SUBMITTED)
    client = en(people["gb2"])
    assert "Confirm the approval" in page(client.get(f"/reports/{report.pk}/approve/"))
    client.post(f"/reports/{report.pk}/approve/", {"comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert ReportTransition.objects.get(report=report, to_status=ReportStatus.APPROVED).comment == ""


def test_a_return_needs_a_reason_and_shows_it_in_the_history(people, tree, en):
    report = make_report(people, tree, "v21", LAST_MONTH, ReportStatus.SUBMITTED)
    client = en(people["gb2"])
    assert "Figures as submitted" in page(client.get(f"/reports/{report.pk}/return/"))
    refused = client.post(f"/reports/{report.pk}/return/", {"reason": "  "})
    assert refused.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(f"/reports/{report.pk}/return/", {"reason": "请补充主题党日情况"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert "请补充主题党日情况" in page(client.get(report.get_absolute_url()))


def test_only_the_reviewer_waited_for_gets_the_confirmation(people, tree, en):
    report = make_report(people, tree, "v11", LAST_MONTH, ReportStatus.SUBMITTED)
    assert en(people["gb1"]).get(f"/reports/{report.pk}/approve/").status_code == 403  # the deputy reviews first
    assert en(people["dep1"]).get(f"/reports/{report.pk}/approve/").status_code == 403
    approved = make_report(people, tree, "v12", LAST_MONTH, ReportStatus.APPROVED)
    response = en(people["dep1"]).get(f"/reports/{approved.pk}/check/")
    assert response.status_code == 302 and response.url == approved.get_absolute_url()
