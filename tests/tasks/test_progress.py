"""Reporting progress on an assignment: the note is required, a stale or repeated report is a conflict that keeps
the user's text, and the stale check is the service's."""

import pytest
from django.core.exceptions import ValidationError

from branches import actions
from branches.models import TaskAssignment, TaskProgress

from ..kit import shows_errors
from .conftest import DONE, IN_PROGRESS, PENDING, assignment, in_default_language, progress_url, report, today


def test_a_village_reports_progress_then_completion(client_as, tree, village_secretary, g1_task):
    client = client_as(village_secretary)
    a = assignment(g1_task, tree.v11)

    form = client.get(progress_url(a)).context["form"]
    first = client.post(
        progress_url(a), {"status": IN_PROGRESS, "note": "已公开三项", "version": form["version"].value()}
    )
    second = client.post(progress_url(a), {"status": DONE, "note": "全部公开完毕", "version": 2})

    assert first.status_code == second.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.progress_note, a.completed_on, a.version) == (DONE, "全部公开完毕", today(), 3)
    assert list(a.progress.values_list("status", flat=True)) == [DONE, IN_PROGRESS]
    detail = client.get(g1_task.get_absolute_url())
    assert "已公开三项" in detail.content.decode()


def test_the_progress_note_is_required(client_as, tree, village_secretary, g1_task):
    a = assignment(g1_task, tree.v11)

    response = client_as(village_secretary).post(progress_url(a), {"status": DONE, "note": "   ", "version": 1})

    messages = shows_errors(response, "note")
    assert messages == [in_default_language("Describe the progress.")]
    a.refresh_from_db()
    assert (a.status, a.version) == (PENDING, 1)
    assert not TaskProgress.objects.exists()
    with pytest.raises(ValidationError) as refused:
        actions.task_report_progress(actor=village_secretary, assignment=a, status=DONE, note="", version=1)
    assert "note" in refused.value.message_dict


def test_an_unknown_status_is_refused(client_as, tree, village_secretary, g1_task):
    a = assignment(g1_task, tree.v11)

    response = client_as(village_secretary).post(progress_url(a), {"status": "archived", "note": "x", "version": 1})

    shows_errors(response, "status")
    assert not TaskProgress.objects.exists()


def test_a_stale_progress_report_gets_a_conflict_message_and_loses_nothing(
    client_as, tree, village_secretary, gb_secretary, g1_task
):
    a = assignment(g1_task, tree.v11)
    village, general = client_as(village_secretary), client_as(gb_secretary)
    # Both open the page at version 1; the general branch saves first.
    stale_version = village.get(progress_url(a)).context["form"]["version"].value()
    general.post(progress_url(a), {"status": IN_PROGRESS, "note": "总支代为报告：已启动", "version": 1})

    response = village.post(progress_url(a), {"status": DONE, "note": "村里已全部完成", "version": stale_version})

    (conflict, *_hint) = shows_errors(response, None)
    assert conflict == str(response.context["form"].errors["__all__"][0])
    assert "村里已全部完成" in response.content.decode()  # the user's text is kept
    assert "总支代为报告：已启动" in response.content.decode()  # the newer report is shown beside the form
    a.refresh_from_db()
    assert (a.status, a.version, a.progress.count()) == (IN_PROGRESS, 2, 1)
    # The form now carries the current version: sending it again, deliberately, is accepted.
    assert response.context["form"]["version"].value() == 2
    resend = village.post(progress_url(a), {"status": DONE, "note": "村里已全部完成", "version": 2})
    assert resend.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.progress.count()) == (DONE, 2)


def test_a_double_submitted_report_is_saved_once(client_as, tree, village_secretary, g1_task):
    a = assignment(g1_task, tree.v11)
    client = client_as(village_secretary)
    data = {"status": DONE, "note": "完成", "version": 1}

    client.post(progress_url(a), data)
    again = client.post(progress_url(a), data)

    assert again.status_code == 200  # the conflict message, not a second report
    assert TaskProgress.objects.count() == 1


def test_the_stale_check_is_the_services(tree, village_secretary, g1_task):
    a = assignment(g1_task, tree.v11)
    report(village_secretary, a)
    a_old = TaskAssignment.objects.get(pk=a.pk)
    a_old.version = 1

    with pytest.raises(ValidationError) as refused:
        actions.task_report_progress(actor=village_secretary, assignment=a_old, status=DONE, note="x", version=1)

    assert refused.value.code == "stale"
