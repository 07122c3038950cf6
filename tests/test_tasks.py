"""Deployed tasks: the town (or a general branch, within its villages) deploys a task; each assignee reports progress;
overdue tasks stand out. Pages, API, admin, the dashboard's selector and query counts.

The tree and personas come from conftest: g1 (v11 东庄, v12 西庄) and g2 (v21 南营, v22 北营) under the town;
`village_secretary` is v11's, `gb_secretary` g1's, `gb2_secretary` g2's, `deputy` g1's deputy (sees, no change).
"""

import datetime
import io
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import load_workbook

from anding.models import AuditEvent
from branches import selectors, services
from branches.choices import OrgKind, TaskAssignmentStatus
from branches.models import Task, TaskAssignment, TaskProgress

from .factories import OrganizationFactory

PENDING, IN_PROGRESS, DONE = TaskAssignmentStatus.PENDING, TaskAssignmentStatus.IN_PROGRESS, TaskAssignmentStatus.DONE


# ---------------------------------------------------------------------------------------------------- helpers


def today():
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def deploy(actor, issuer, assignees, *, due_in=7, title="秋季防火检查"):
    return services.task_deploy(actor=actor, issued_by=issuer, title=title, due_date=days(due_in), assignees=assignees)


def make_overdue(task, by_days=3):
    """Move a task into the past (deployed a month ago, due `by_days` ago): the service never deploys one so."""
    Task.objects.filter(pk=task.pk).update(issued_on=days(-30), due_date=days(-by_days))
    task.refresh_from_db()
    return task


def assignment(task, org) -> TaskAssignment:
    return TaskAssignment.objects.get(task=task, assignee=org)


def report(actor, a, status=IN_PROGRESS, note="已部署到各村"):
    a.refresh_from_db()
    return services.task_report_progress(actor=actor, assignment=a, status=status, note=note, version=a.version)


def in_default_language(message) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def deploy_form(issuer, assignees, **overrides):
    data = {
        "issued_by": issuer.pk,
        "title": "冬季安全生产检查",
        "description": "各村排查隐患，月底前报告。",
        "due_date": days(10).isoformat(),
        "assignees": [a.pk for a in assignees],
    }
    data.update(overrides)
    return data


def shows_errors(response, field) -> list[str]:
    """The form came back (200) with errors on `field` (None: the top of the form), and the page shows them."""
    assert response.status_code == 200
    form = response.context["form"]
    key = field or "__all__"
    assert key in form.errors, form.errors
    messages = list(form.errors[key])
    page = response.content.decode()
    for message in messages:
        assert escape(message) in page
    return messages


def rows_of(response) -> list[Task]:
    return list(response.context["page_obj"].object_list)


@pytest.fixture
def town_task(tree, town_cadre):
    """Deployed by the town to both general branches."""
    return deploy(town_cadre, tree.town, [tree.g1, tree.g2], title="全镇党员信息核对")


@pytest.fixture
def g1_task(tree, gb_secretary):
    """Deployed by g1 to its two villages."""
    return deploy(gb_secretary, tree.g1, [tree.v11, tree.v12], title="第一总支村务公开检查")


# ----------------------------------------------------------------------------------------- access to the pages


def page(name, tree, town_task=None, g1_task=None):
    return {
        "list": "/tasks/",
        "export": "/tasks/?export=xlsx",
        "add": "/tasks/add/",
        "town_task": f"/tasks/{town_task.pk}/" if town_task else None,
        "g1_task": f"/tasks/{g1_task.pk}/" if g1_task else None,
        "progress_g1": f"/tasks/assignments/{assignment(town_task, tree.g1).pk}/progress/" if town_task else None,
        "progress_g2": f"/tasks/assignments/{assignment(town_task, tree.g2).pk}/progress/" if town_task else None,
        "progress_v11": f"/tasks/assignments/{assignment(g1_task, tree.v11).pk}/progress/" if g1_task else None,
        "progress_v12": f"/tasks/assignments/{assignment(g1_task, tree.v12).pk}/progress/" if g1_task else None,
    }[name]


PAGE_NAMES = ["list", "export", "add", "town_task", "g1_task", "progress_g1", "progress_v11"]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, tree, town_task, g1_task, name):
    path = page(name, tree, town_task, g1_task)

    response = client.get(path)

    assert response.status_code == 302
    assert urlsplit(response.url).path == "/accounts/login/"


def test_anonymous_posts_save_nothing(client, tree, town_task):
    a = assignment(town_task, tree.g1)

    add = client.post("/tasks/add/", deploy_form(tree.town, [tree.g1]))
    progress = client.post(f"/tasks/assignments/{a.pk}/progress/", {"status": DONE, "note": "x", "version": 1})

    assert add.status_code == progress.status_code == 302
    assert Task.objects.count() == 1
    assert not TaskProgress.objects.exists()


ACCESS = [
    # The town: everything; it deploys, and (by the service's rule) may report for any assignee below it.
    ("town_cadre", "list", 200),
    ("town_cadre", "export", 200),
    ("town_cadre", "add", 200),
    ("town_cadre", "town_task", 200),
    ("town_cadre", "g1_task", 200),
    ("town_cadre", "progress_g1", 200),
    # A general-branch secretary: tasks to or from its branch; reports for itself and its villages.
    ("gb_secretary", "list", 200),
    ("gb_secretary", "add", 200),
    ("gb_secretary", "town_task", 200),
    ("gb_secretary", "g1_task", 200),
    ("gb_secretary", "progress_g1", 200),
    ("gb_secretary", "progress_g2", 404),
    ("gb_secretary", "progress_v11", 200),
    # The sibling general branch: the town's task (it is an assignee), not g1's own task.
    ("gb2_secretary", "town_task", 200),
    ("gb2_secretary", "g1_task", 404),
    ("gb2_secretary", "progress_g1", 404),
    ("gb2_secretary", "progress_v11", 404),
    # A village secretary: only what its village was assigned; it cannot deploy.
    ("village_secretary", "list", 200),
    ("village_secretary", "add", 403),
    ("village_secretary", "town_task", 404),
    ("village_secretary", "g1_task", 200),
    ("village_secretary", "progress_v11", 200),
    ("village_secretary", "progress_v12", 404),
    ("village_secretary", "progress_g1", 404),
    # The deputy sees g1's tasks but neither deploys nor reports.
    ("deputy", "add", 403),
    ("deputy", "town_task", 200),
    ("deputy", "g1_task", 200),
    ("deputy", "progress_g1", 403),
    ("deputy", "progress_v11", 403),
    # Department staff and a user without a position see no task.
    ("dept_staff", "list", 200),
    ("dept_staff", "add", 403),
    ("dept_staff", "town_task", 404),
    ("outsider", "list", 200),
    ("outsider", "add", 403),
    ("outsider", "town_task", 404),
    ("outsider", "progress_v11", 404),
]


@pytest.mark.parametrize(("persona", "name", "status"), ACCESS)
def test_each_persona_gets_what_its_scope_and_role_allow(
    request, client_as, tree, town_task, g1_task, persona, name, status
):
    client = client_as(request.getfixturevalue(persona))

    response = client.get(page(name, tree, town_task, g1_task))

    assert response.status_code == status


# ------------------------------------------------------------------ acceptance: issue 3, done-when item 5


def test_town_deploys_to_two_general_branches_both_report_and_the_town_sees_each_status(
    client_as, tree, town_cadre, gb_secretary, gb2_secretary, village_secretary
):
    town, gb1, gb2, v11 = (client_as(u) for u in (town_cadre, gb_secretary, gb2_secretary, village_secretary))

    # The town deploys.
    response = town.post("/tasks/add/", deploy_form(tree.town, [tree.g1, tree.g2], title="全镇防汛检查"))
    task = Task.objects.get(title="全镇防汛检查")
    assert response.status_code == 302
    assert response.url == task.get_absolute_url()
    assert {a.assignee for a in task.assignments.all()} == {tree.g1, tree.g2}
    assert AuditEvent.objects.filter(action="task_deploy", object_id=str(task.pk), actor=town_cadre).exists()

    # Both general branches see it: in their list, among their own assignments, on its page and in the API.
    for client in (gb1, gb2):
        listing = client.get("/tasks/")
        assert task in rows_of(listing)
        assert [a.task for a in listing.context["my_assignments"]] == [task]
        assert client.get(task.get_absolute_url()).status_code == 200
        assert task.pk in [t["id"] for t in client.get("/api/tasks/").json()["results"]]

    # Each reports progress through its page.
    a1, a2 = assignment(task, tree.g1), assignment(task, tree.g2)
    r1 = gb1.post(
        f"/tasks/assignments/{a1.pk}/progress/", {"status": IN_PROGRESS, "note": "已布置到五个村", "version": 1}
    )
    r2 = gb2.post(f"/tasks/assignments/{a2.pk}/progress/", {"status": DONE, "note": "各村均已完成检查", "version": 1})
    assert r1.status_code == r2.status_code == 302
    assert r1.url == task.get_absolute_url()
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.status, a2.status) == (IN_PROGRESS, DONE)
    assert a2.completed_on == today()
    assert AuditEvent.objects.filter(action="task_progress").count() == 2

    # The town sees the status and the history of each.
    detail = town.get(task.get_absolute_url())
    shown = {a.assignee: a for a in detail.context["assignments"]}
    assert {org: a.status for org, a in shown.items()} == {tree.g1: IN_PROGRESS, tree.g2: DONE}
    text = detail.content.decode()
    assert "已布置到五个村" in text and "各村均已完成检查" in text
    assert detail.context["task"].done_count == 1
    assert detail.context["task"].assignee_total == 2

    # Each general branch sees its own part only.
    assert [a.assignee for a in gb1.get(task.get_absolute_url()).context["assignments"]] == [tree.g1]
    assert "各村均已完成检查" not in gb1.get(task.get_absolute_url()).content.decode()

    # A village outside the assignment sees nothing of it.
    assert v11.get(task.get_absolute_url()).status_code == 404
    assert task not in rows_of(v11.get("/tasks/"))
    assert task.title not in v11.get("/tasks/").content.decode()
    assert v11.get(f"/api/tasks/{task.pk}/").status_code == 404
    assert v11.get("/api/tasks/").json()["count"] == 0
    assert v11.get(f"/api/task-assignments/{a1.pk}/").status_code == 404
    assert v11.get(f"/tasks/assignments/{a1.pk}/progress/").status_code == 404


# ------------------------------------------------------------------------------------------------ deploying


def test_a_general_branch_deploys_to_its_own_villages(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).post("/tasks/add/", deploy_form(tree.g1, [tree.v11, tree.v12]))

    task = Task.objects.get()
    assert response.status_code == 302
    assert task.issued_by == tree.g1
    assert task.created_by == gb_secretary
    assert sorted(a.assignee.code for a in task.assignments.all()) == ["V11", "V12"]


def test_the_deploy_form_offers_only_the_users_own_issuer_and_the_units_below_it(client_as, tree, gb_secretary):
    form = client_as(gb_secretary).get("/tasks/add/").context["form"]

    assert list(form.fields["issued_by"].queryset) == [tree.g1]
    assert list(form.fields["assignees"].queryset) == [tree.v11, tree.v12]


def test_the_town_form_groups_assignees_by_general_branch(client_as, tree, town_cadre):
    response = client_as(town_cadre).get("/tasks/add/")

    form = response.context["form"]
    assert list(form.fields["issued_by"].queryset) == [tree.town]
    groups = form.fields["assignees"].widget.choices
    assert [name for name, _ in groups] == [tree.g1.name, tree.g2.name]
    assert [pk for pk, _ in groups[0][1]] == [tree.g1.pk, tree.v11.pk, tree.v12.pk]
    page_text = response.content.decode()
    assert f"<legend>{tree.g2.name}</legend>" in page_text
    assert f'value="{tree.v22.pk}"' in page_text


def test_a_general_branch_cannot_assign_a_village_of_its_sibling(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).post("/tasks/add/", deploy_form(tree.g1, [tree.v11, tree.v21]))

    shows_errors(response, "assignees")
    assert not Task.objects.exists()


def test_the_service_refuses_an_assignee_outside_the_issuer(tree, town_cadre, gb_secretary):
    with pytest.raises(ValidationError) as refused:
        deploy(gb_secretary, tree.g1, [tree.v21])
    with pytest.raises(ValidationError) as refused_town:
        deploy(town_cadre, tree.g1, [tree.g2])  # the town deploying in g1's name: only g1's villages

    assert "assignees" in refused.value.message_dict
    assert "assignees" in refused_town.value.message_dict
    assert not Task.objects.exists()


def test_a_general_branch_cannot_deploy_in_the_name_of_the_town(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).post("/tasks/add/", deploy_form(tree.town, [tree.v11]))

    shows_errors(response, "issued_by")
    assert not Task.objects.exists()
    with pytest.raises(PermissionDenied):
        deploy(gb_secretary, tree.town, [tree.v11])


@pytest.mark.parametrize("persona", ["village_secretary", "deputy", "dept_staff"])
def test_who_may_not_deploy_gets_403_and_nothing_is_saved(request, client_as, tree, persona):
    client = client_as(request.getfixturevalue(persona))

    page_response = client.get("/tasks/add/")
    post_response = client.post("/tasks/add/", deploy_form(tree.g1, [tree.v11]))
    api_response = client.post(
        "/api/tasks/",
        {"issued_by": tree.g1.pk, "title": "x", "due_date": days(3).isoformat(), "assignees": [tree.v11.pk]},
        content_type="application/json",
    )

    assert page_response.status_code == post_response.status_code == api_response.status_code == 403
    assert not Task.objects.exists()


def test_a_village_secretary_sees_no_deploy_button(client_as, tree, village_secretary, gb_secretary):
    village_page = client_as(village_secretary).get("/tasks/").content.decode()
    gb_page = client_as(gb_secretary).get("/tasks/").content.decode()

    assert 'href="/tasks/add/"' not in village_page
    assert 'href="/tasks/add/"' in gb_page


def test_a_due_date_in_the_past_is_refused(client_as, tree, town_cadre):
    response = client_as(town_cadre).post(
        "/tasks/add/", deploy_form(tree.town, [tree.g1], due_date=days(-1).isoformat())
    )

    shows_errors(response, "due_date")
    assert not Task.objects.exists()
    with pytest.raises(ValidationError) as refused:
        deploy(town_cadre, tree.town, [tree.g1], due_in=-1)
    assert "due_date" in refused.value.message_dict


def test_every_error_of_the_deploy_form_shows_at_once_and_the_input_is_kept(client_as, tree, town_cadre):
    response = client_as(town_cadre).post(
        "/tasks/add/", deploy_form(tree.town, [], title="  ", due_date=days(-5).isoformat(), description="说明文字")
    )

    for field in ("title", "due_date", "assignees"):
        shows_errors(response, field)
    assert "说明文字" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.parametrize("bad", [{"due_date": "not a date"}, {"assignees": ["abc"]}, {"issued_by": "999999"}])
def test_hostile_deploy_input_is_an_error_not_a_crash(client_as, tree, town_cadre, bad):
    data = {**deploy_form(tree.town, [tree.g1]), **bad}

    response = client_as(town_cadre).post("/tasks/add/", data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Task.objects.exists()


def test_a_title_with_markup_is_shown_as_text(client_as, tree, town_cadre):
    client = client_as(town_cadre)
    client.post("/tasks/add/", deploy_form(tree.town, [tree.g1], title="<script>alert(1)</script>检查"))
    task = Task.objects.get()

    text = client.get(task.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;检查" in text


# ---------------------------------------------------------------------------------------- reporting progress


def progress_url(a):
    return f"/tasks/assignments/{a.pk}/progress/"


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
        services.task_report_progress(actor=village_secretary, assignment=a, status=DONE, note="", version=1)
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
        services.task_report_progress(actor=village_secretary, assignment=a_old, status=DONE, note="x", version=1)

    assert refused.value.code == "stale"


# ------------------------------------------------------------------------------------------ the list page


def test_the_list_shows_each_tasks_progress_and_overdue_tasks_stand_out(
    client_as, tree, town_cadre, gb_secretary, gb2_secretary
):
    late = make_overdue(deploy(town_cadre, tree.town, [tree.g1, tree.g2], title="逾期任务"))
    done = deploy(town_cadre, tree.town, [tree.g1], title="已完成任务")
    soon = deploy(town_cadre, tree.town, [tree.g1, tree.g2], title="进行中任务")
    report(gb_secretary, assignment(late, tree.g1), DONE)
    report(gb_secretary, assignment(done, tree.g1), DONE)
    report(gb2_secretary, assignment(soon, tree.g2), IN_PROGRESS)

    response = client_as(town_cadre).get("/tasks/")

    rows = {t.title: t for t in rows_of(response)}
    assert [t.title for t in rows_of(response)] == ["逾期任务", "进行中任务", "已完成任务"]  # open (overdue) first
    assert (rows["逾期任务"].assignee_total, rows["逾期任务"].done_count, rows["逾期任务"].is_overdue) == (2, 1, True)
    assert (rows["进行中任务"].in_progress_count, rows["进行中任务"].is_overdue) == (1, False)
    assert (rows["已完成任务"].is_completed, rows["已完成任务"].is_overdue) == (True, False)
    text = response.content.decode()
    overdue_word = in_default_language("Overdue")
    assert text.count(f'task-badge-overdue">{overdue_word}</span>') == 1
    assert 'class="task-row-overdue"' in text


def test_a_completed_task_past_its_due_date_is_not_overdue(tree, town_cadre, gb_secretary):
    task = deploy(town_cadre, tree.town, [tree.g1])
    report(gb_secretary, assignment(task, tree.g1), DONE)
    make_overdue(task)

    row = selectors.task_list(town_cadre).get(pk=task.pk)

    assert (row.is_completed, row.is_overdue) == (True, False)


def test_the_summary_counts_only_the_assignees_the_user_may_see(tree, town_cadre, gb_secretary, gb2_secretary):
    task = deploy(town_cadre, tree.town, [tree.g1, tree.g2, tree.v21])
    report(gb2_secretary, assignment(task, tree.g2), DONE)

    town_row = selectors.task_list(town_cadre).get(pk=task.pk)
    g1_row = selectors.task_list(gb_secretary).get(pk=task.pk)
    g2_row = selectors.task_list(gb2_secretary).get(pk=task.pk)

    assert (town_row.assignee_total, town_row.done_count) == (3, 1)
    assert (g1_row.assignee_total, g1_row.done_count) == (1, 0)
    assert (g2_row.assignee_total, g2_row.done_count) == (2, 1)  # g2 itself and its village v21


@pytest.fixture
def three_tasks(tree, town_cadre, gb_secretary):
    late = make_overdue(deploy(town_cadre, tree.town, [tree.g1, tree.g2], title="逾期的党费汇总", due_in=1))
    finished = deploy(town_cadre, tree.town, [tree.g1], title="完成的防火检查", due_in=40)
    report(gb_secretary, assignment(finished, tree.g1), DONE)
    g1_own = deploy(gb_secretary, tree.g1, [tree.v11], title="总支的村务公开", due_in=5)
    return {"late": late, "finished": finished, "g1_own": g1_own}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=overdue", ["late"]),
        ("status=completed", ["finished"]),
        ("status=open", ["late", "g1_own"]),
        ("q=防火", ["finished"]),
        ("issued_by={g1}", ["g1_own"]),
        ("month={month}", ["finished"]),
        ("sort=-due", ["finished", "g1_own", "late"]),
        ("sort=title", None),
    ],
)
def test_the_list_filters_and_sorts(client_as, tree, town_cadre, three_tasks, query, expected):
    month = three_tasks["finished"].due_date.strftime("%Y-%m")
    response = client_as(town_cadre).get("/tasks/?" + query.format(g1=tree.g1.pk, month=month))

    titles = [t.title for t in rows_of(response)]
    if expected is None:
        assert titles == sorted(titles)
    else:
        assert titles == [three_tasks[key].title for key in expected]


def test_a_malformed_month_shows_an_error_instead_of_rows(client_as, tree, town_cadre, three_tasks):
    response = client_as(town_cadre).get("/tasks/?month=2026-13")

    assert response.status_code == 200
    assert response.context["filterset"].errors
    assert rows_of(response) == []


def test_the_issuer_filter_offers_only_issuers_of_visible_tasks(client_as, tree, village_secretary, three_tasks):
    form = client_as(village_secretary).get("/tasks/").context["filterset"].form

    assert list(form.fields["issued_by"].queryset) == [tree.g1]


def test_my_assignments_come_first_for_an_assignee(client_as, tree, town_cadre, village_secretary, three_tasks):
    village = client_as(village_secretary).get("/tasks/")
    town = client_as(town_cadre).get("/tasks/")

    mine = list(village.context["my_assignments"])
    assert [(a.task, a.assignee) for a in mine] == [(three_tasks["g1_own"], tree.v11)]
    assert f'href="/tasks/assignments/{mine[0].pk}/progress/"' in village.content.decode()
    assert list(town.context["my_assignments"]) == []


def test_the_excel_export_has_the_rows_of_the_list_and_is_audited(client_as, tree, town_cadre, three_tasks):
    response = client_as(town_cadre).get("/tasks/?export=xlsx&status=open")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # the header and the two open tasks
    assert [r[0] for r in rows[1:]] == [three_tasks["late"].title, three_tasks["g1_own"].title]
    assert rows[1][4] == 2  # assignees of the overdue task
    assert rows[1][7] == in_default_language("Overdue")
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.detail["list"], event.detail["rows"]) == (town_cadre, "tasks", 2)


# --------------------------------------------------------------------------------- the dashboard's selector


def test_tasks_due_lists_own_open_assignments_due_soon_or_overdue(
    tree, town_cadre, gb_secretary, village_secretary, django_assert_num_queries
):
    late = make_overdue(deploy(town_cadre, tree.town, [tree.g1], title="late"))
    soon = deploy(town_cadre, tree.town, [tree.g1], title="soon", due_in=3)
    deploy(town_cadre, tree.town, [tree.g1], title="later", due_in=30)
    finished = deploy(town_cadre, tree.town, [tree.g1], title="finished", due_in=2)
    report(gb_secretary, assignment(finished, tree.g1), DONE)
    deploy(gb_secretary, tree.g1, [tree.v11], title="village's", due_in=1)  # g1's village: not g1's own work
    gb_secretary.__dict__.pop("_active_positions", None)
    selectors.tasks_due(gb_secretary).count()  # positions read once per request, as in a page

    with django_assert_num_queries(1):
        rows = list(selectors.tasks_due(gb_secretary))
        labels = [(a.task.title, a.task.issued_by.name, a.assignee.name, a.is_overdue) for a in rows]

    assert labels == [("late", tree.town.name, tree.g1.name, True), ("soon", tree.town.name, tree.g1.name, False)]
    assert [a.task for a in rows] == [late, soon]
    assert [a.task.title for a in selectors.tasks_due(village_secretary)] == ["village's"]
    assert list(selectors.tasks_due(town_cadre)) == []
    assert [a.task.title for a in selectors.tasks_due(gb_secretary, days=60)] == ["late", "soon", "later"]


# ----------------------------------------------------------------------------------------------------- API


def api_deploy(client, issuer, assignees, data=None):
    data = {
        "issued_by": issuer.pk,
        "title": "API部署的任务",
        "due_date": days(5).isoformat(),
        "assignees": [a.pk for a in assignees],
        **(data or {}),
    }
    return client.post("/api/tasks/", data, content_type="application/json")


@pytest.mark.parametrize("path", ["/api/tasks/", "/api/task-assignments/"])
def test_anonymous_api_caller_is_refused(client, tree, town_task, path):
    assert client.get(path).status_code in (401, 403)
    assert client.post(path, {}, content_type="application/json").status_code in (401, 403)


def test_the_api_lists_tasks_with_the_assignees_the_caller_may_see(
    client_as, tree, town_task, g1_task, town_cadre, gb_secretary, gb2_secretary, village_secretary
):
    def listed(user):
        return {
            t["title"]: [a["assignee"]["code"] for a in t["assignments"]]
            for t in client_as(user).get("/api/tasks/").json()["results"]
        }

    assert listed(town_cadre) == {town_task.title: ["G1", "G2"], g1_task.title: ["V11", "V12"]}
    assert listed(gb_secretary) == {town_task.title: ["G1"], g1_task.title: ["V11", "V12"]}
    assert listed(gb2_secretary) == {town_task.title: ["G2"]}
    assert listed(village_secretary) == {g1_task.title: ["V11"]}
    detail = client_as(gb2_secretary).get(f"/api/tasks/{town_task.pk}/").json()
    assert (detail["assignee_total"], detail["done_count"], detail["is_overdue"]) == (1, 0, False)
    assert client_as(gb2_secretary).get(f"/api/tasks/{g1_task.pk}/").status_code == 404


def test_the_api_filters_with_the_same_filterset(client_as, tree, town_cadre, three_tasks):
    client = client_as(town_cadre)

    overdue = client.get("/api/tasks/?status=overdue").json()["results"]
    bad = client.get("/api/tasks/?month=garbage")

    assert [t["title"] for t in overdue] == [three_tasks["late"].title]
    assert bad.status_code == 400


def test_the_api_deploys_through_the_service(client_as, tree, town_cadre):
    response = api_deploy(client_as(town_cadre), tree.town, [tree.g1, tree.v21])

    assert response.status_code == 201
    body = response.json()
    task = Task.objects.get(pk=body["id"])
    assert sorted(a["assignee"]["code"] for a in body["assignments"]) == ["G1", "V21"]
    assert task.created_by == town_cadre
    assert AuditEvent.objects.filter(action="task_deploy", object_id=str(task.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_date": "2000-01-01"}, "due_date"),
        ({"assignees": []}, "assignees"),
        ({"title": ""}, "title"),
    ],
)
def test_the_api_refuses_bad_deploy_input(client_as, tree, gb_secretary, overrides, field):
    response = api_deploy(client_as(gb_secretary), tree.g1, [tree.v11], data=overrides)

    assert response.status_code == 400
    assert field in response.json()
    assert not Task.objects.exists()


def test_the_api_refuses_a_sibling_village_and_a_foreign_issuer(client_as, tree, gb_secretary):
    client = client_as(gb_secretary)

    sibling = api_deploy(client, tree.g1, [tree.v11, tree.v21])
    foreign = api_deploy(client, tree.town, [tree.v11])

    assert sibling.status_code == foreign.status_code == 400
    assert "assignees" in sibling.json()
    assert "issued_by" in foreign.json()
    assert not Task.objects.exists()


def test_the_api_reports_progress_through_the_service(client_as, tree, village_secretary, g1_task):
    a = assignment(g1_task, tree.v11)
    client = client_as(village_secretary)
    url = f"/api/task-assignments/{a.pk}/progress/"

    ok = client.post(url, {"status": DONE, "note": "已完成", "version": 1}, content_type="application/json")
    stale = client.post(url, {"status": DONE, "note": "again", "version": 1}, content_type="application/json")
    empty = client.post(url, {"status": DONE, "note": " ", "version": 2}, content_type="application/json")
    bad_status = client.post(url, {"status": "gone", "note": "x", "version": 2}, content_type="application/json")

    assert ok.status_code == 200
    assert (ok.json()["status"], ok.json()["version"], ok.json()["progress"][0]["note"]) == (DONE, 2, "已完成")
    assert stale.status_code == 409  # a stale version is a conflict, as for every API save
    assert stale.json()["code"] == "stale"
    assert empty.status_code == bad_status.status_code == 400
    assert "note" in empty.json()
    assert "status" in bad_status.json()
    assert TaskProgress.objects.count() == 1


def test_the_api_progress_action_is_scoped_and_checks_the_role(
    client_as, tree, deputy, gb2_secretary, village_secretary, g1_task
):
    a = assignment(g1_task, tree.v11)
    other = assignment(g1_task, tree.v12)
    data = {"status": DONE, "note": "x"}

    def post(user, target):
        return client_as(user).post(
            f"/api/task-assignments/{target.pk}/progress/", data, content_type="application/json"
        )

    assert post(deputy, a).status_code == 403  # sees it, may not report
    assert post(gb2_secretary, a).status_code == 404
    assert post(village_secretary, other).status_code == 404
    assert not TaskProgress.objects.exists()


def test_the_api_lists_assignments_in_scope(client_as, tree, gb_secretary, village_secretary, town_task, g1_task):
    def codes(user, query=""):
        return [a["assignee"]["code"] for a in client_as(user).get("/api/task-assignments/" + query).json()["results"]]

    report(village_secretary, assignment(g1_task, tree.v11), DONE)

    assert sorted(codes(gb_secretary)) == ["G1", "V11", "V12"]
    assert codes(village_secretary) == ["V11"]
    assert codes(gb_secretary, "?status=done") == ["V11"]


def test_the_api_schema_describes_the_task_endpoints(client_as, town_cadre):
    schema = client_as(town_cadre).get("/api/schema/?format=json").json()

    assert "/api/tasks/" in schema["paths"]
    assert "post" in schema["paths"]["/api/tasks/"]
    assert "/api/task-assignments/{id}/progress/" in schema["paths"]


# ----------------------------------------------------------------------------------------------------- admin


def test_the_admin_shows_tasks_read_only(client_as, superuser, tree, town_task, gb_secretary):
    report(gb_secretary, assignment(town_task, tree.g1))
    client = client_as(superuser)

    changelist = client.get("/admin/branches/task/")
    change = client.get(f"/admin/branches/task/{town_task.pk}/change/")
    progress = client.get("/admin/branches/taskprogress/")

    assert changelist.status_code == change.status_code == progress.status_code == 200
    assert town_task.title in changelist.content.decode()
    assert tree.g2.name in change.content.decode()  # the inline lists the assignees
    assert "已部署到各村" in progress.content.decode()
    assert client.get("/admin/branches/task/add/").status_code == 403
    assert client.post(f"/admin/branches/task/{town_task.pk}/change/", {"title": "改"}).status_code == 403
    assert client.post(f"/admin/branches/task/{town_task.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Task.objects.get().title == town_task.title


def test_the_admin_is_scoped(client_as, tree, gb2_secretary, town_task, g1_task):
    from django.contrib.auth.models import Permission

    gb2_secretary.is_staff = True
    gb2_secretary.save()
    gb2_secretary.user_permissions.add(*Permission.objects.filter(codename__in=["view_task", "view_taskprogress"]))
    client = client_as(gb2_secretary)

    changelist = client.get("/admin/branches/task/").content.decode()

    assert town_task.title in changelist
    assert g1_task.title not in changelist
    assert client.get(f"/admin/branches/task/{g1_task.pk}/change/").status_code in (302, 404)


# ---------------------------------------------------------------------------------------------- query counts


def spread(town_cadre, gb_secretary, tree, n: int, extra_villages: list) -> None:
    """`n` tasks from the town, each to both general branches and four villages, with a report each; and `n` tasks of
    g1 to its villages."""
    for i in range(n):
        task = deploy(
            town_cadre, tree.town, [tree.g1, tree.g2, tree.v11, tree.v21, *extra_villages], title=f"镇任务{i}"
        )
        report(gb_secretary, assignment(task, tree.g1), IN_PROGRESS if i % 2 else DONE, note=f"进展{i}")
        if i % 3 == 0:
            make_overdue(task)
        own = deploy(gb_secretary, tree.g1, [tree.v11, tree.v12], title=f"总支任务{i}")
        report(gb_secretary, assignment(own, tree.v12), IN_PROGRESS)


def queries(client, path) -> int:
    client.get(path)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


LIST_PATHS = [
    "/tasks/",
    "/tasks/?status=open&sort=-due",
    "/tasks/?export=xlsx",
    "/api/tasks/",
    "/api/task-assignments/",
]


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary"])
def test_lists_run_the_same_queries_for_3_and_for_30_tasks(request, client_as, tree, town_cadre, gb_secretary, persona):
    user = request.getfixturevalue(persona)
    extra = [OrganizationFactory(kind=OrgKind.VILLAGE, name=f"加村{i}", code=f"X{i}", parent=tree.g2) for i in range(2)]
    tree.town.refresh_from_db()
    tree.g1.refresh_from_db()
    tree.g2.refresh_from_db()
    for node in (tree.v11, tree.v12, tree.v21):
        node.refresh_from_db()
    client = client_as(user)

    spread(town_cadre, gb_secretary, tree, 3, extra)
    small = {path: queries(client, path) for path in LIST_PATHS}
    small_total = client.get("/tasks/").context["paginator"].count
    spread(town_cadre, gb_secretary, tree, 27, extra)
    large = {path: queries(client, path) for path in LIST_PATHS}
    large_total = client.get("/tasks/").context["paginator"].count

    assert large == small
    assert (small_total, large_total) == (6, 60)  # every persona here sees both kinds of task


def test_the_task_page_runs_the_same_queries_for_2_and_for_12_assignees(client_as, tree, town_cadre):
    villages = [
        OrganizationFactory(kind=OrgKind.VILLAGE, name=f"新村{i}", code=f"N{i}", parent=tree.g1) for i in range(8)
    ]
    tree.town.refresh_from_db()
    tree.g1.refresh_from_db()
    small_task = deploy(town_cadre, tree.town, [tree.g1, tree.g2])
    large_task = deploy(town_cadre, tree.town, [tree.g1, tree.g2, *villages, tree.v11, tree.v12])
    for task in (small_task, large_task):
        for a in task.assignments.all():
            report(town_cadre, a, IN_PROGRESS, note="一")
            report(town_cadre, a, DONE, note="二")
    client = client_as(town_cadre)

    small = queries(client, small_task.get_absolute_url())
    large = queries(client, large_task.get_absolute_url())

    assert large == small
