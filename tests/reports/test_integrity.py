"""One report per village and month everywhere (issue 3, "Done when" 2): a second start lands on the same report,
also when two requests race (and on PostgreSQL, in real concurrent transactions); a double-clicked submit submits
once; saves from stale pages get a conflict and lose nothing; the admin changes nothing."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.query import QuerySet

from anding.models import AuditEvent
from branches import actions
from branches.choices import ReportStatus, Role
from branches.models import MonthlyReport, ReportTransition

from ..factories import PositionFactory, UserFactory
from .conftest import LAST_MONTH, THIS_MONTH, make_report, page, write


def test_writing_twice_lands_on_the_same_report(people, tree, en):
    writer = en(people["sec"]["v11"])
    data = {"village": tree.v11.pk, "month": f"{LAST_MONTH:%Y-%m}"}

    first = writer.post("/reports/write/", data)
    second = writer.post("/reports/write/", data)

    assert MonthlyReport.objects.filter(village=tree.v11, month=LAST_MONTH).count() == 1
    assert first.url == second.url
    # Following a link to write it again opens the same report.
    again = writer.get(f"/reports/write/?village={tree.v11.pk}&month={LAST_MONTH:%Y-%m}")
    assert again.status_code == 302 and again.url == first.url


def test_concurrent_starts_that_both_missed_the_existing_report_make_one_row(people, tree, monkeypatch):
    original_first = QuerySet.first

    def first_sees_nothing(self):
        # Both requests checked for an existing report before either inserted one.
        return None if self.model is MonthlyReport else original_first(self)

    monkeypatch.setattr(QuerySet, "first", first_sees_nothing)
    one = actions.report_start(actor=people["sec"]["v11"], village=tree.v11, month=THIS_MONTH)
    two = actions.report_start(actor=people["sec"]["v11"], village=tree.v11, month=THIS_MONTH)

    assert one.pk == two.pk
    assert MonthlyReport.objects.filter(village=tree.v11, month=THIS_MONTH).count() == 1


def test_the_database_refuses_a_second_report_for_the_same_village_and_month(people, tree):
    write(tree.v11, people["sec"]["v11"], THIS_MONTH)

    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.create(village=tree.v11, month=THIS_MONTH, created_by=people["sec"]["v11"])

    assert MonthlyReport.objects.filter(village=tree.v11, month=THIS_MONTH).count() == 1


def test_the_admin_cannot_add_change_or_delete_reports(people, tree, superuser, client_as):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    admin = client_as(superuser)

    assert admin.get("/admin/branches/monthlyreport/").status_code == 200
    assert admin.get("/admin/branches/monthlyreport/add/").status_code == 403
    assert admin.get(f"/admin/branches/monthlyreport/{report.pk}/change/").status_code == 200
    admin.post(f"/admin/branches/monthlyreport/{report.pk}/change/", {"status": "approved", "narrative": "x"})
    assert admin.get(f"/admin/branches/monthlyreport/{report.pk}/delete/").status_code == 403

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.narrative != "x"
    assert MonthlyReport.objects.count() == 1


def test_34_a_double_clicked_submit_creates_one_submission(people, tree, en):
    report = write(tree.v11, people["sec"]["v11"], THIS_MONTH)
    writer = en(people["sec"]["v11"])

    responses = [writer.post(f"/reports/{report.pk}/submit/", {"version": report.version}) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    assert ReportTransition.objects.filter(report=report, to_status=ReportStatus.SUBMITTED).count() == 1
    assert AuditEvent.objects.filter(action="report_submitted", object_id=str(report.pk)).count() == 1
    # "Save and submit" clicked twice: the second lands on the submitted report and changes nothing.
    response = writer.post(f"/reports/{report.pk}/edit/", {"version": 1, "narrative": "again", "action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.narrative != "again"
    assert ReportTransition.objects.filter(report=report).count() == 1


def test_35_two_people_saving_from_stale_pages_get_a_conflict_and_lose_nothing(people, tree, en, client_as):
    report = write(tree.v11, people["sec"]["v11"], THIS_MONTH, narrative="原稿")
    # A second account of the same village secretary's office (two browsers) opens the same page.
    colleague = UserFactory(username="v11-b")
    PositionFactory(user=colleague, organization=tree.v11, role=Role.VILLAGE_SECRETARY)
    first, second = en(people["sec"]["v11"]), en(colleague)
    version = first.get(f"/reports/{report.pk}/edit/").context["form"]["version"].value()
    assert second.get(f"/reports/{report.pk}/edit/").context["form"]["version"].value() == version

    saved = first.post(f"/reports/{report.pk}/edit/", {"version": version, "narrative": "甲的修改", "action": "save"})
    stale = second.post(
        f"/reports/{report.pk}/edit/",
        {"version": version, "narrative": "乙的修改", "problems": "乙的问题", "action": "save"},
    )

    assert saved.status_code == 302
    assert stale.status_code == 200
    text = page(stale)
    assert "Someone else saved this record after you opened it." in text
    assert "乙的修改" in text and "乙的问题" in text  # the user's own text is still in the form
    assert "甲的修改" in text  # and what is stored now is shown next to it
    report.refresh_from_db()
    assert report.narrative == "甲的修改" and report.problems == ""


# ------------------------------------------------------------------------------------------ concurrency on PostgreSQL


def run_together(*calls):
    """Run the calls in threads released at the same moment; return their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # collected for the assertion
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_and_submits_on_postgresql(people, tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with real concurrent transactions")
    secretary = people["sec"]["v11"]

    started = run_together(
        *[lambda: actions.report_start(actor=secretary, village=tree.v11, month=THIS_MONTH) for _ in range(4)]
    )
    assert len({r.pk for r in started}) == 1
    report = MonthlyReport.objects.get(village=tree.v11, month=THIS_MONTH)
    report = actions.report_save(
        actor=secretary, report=report, version=report.version, narrative="x", problems="", requests=""
    )

    submitted = run_together(*[lambda: actions.report_submit(actor=secretary, report=report) for _ in range(4)])
    assert all(isinstance(r, MonthlyReport) for r in submitted)
    assert ReportTransition.objects.filter(report=report, to_status="submitted").count() == 1
