"""The task list: each task's progress as the user may see it, overdue tasks first and marked, filters, sorting and
the Excel export; and the dashboard's selector of the user's own work due soon."""

import io

import pytest
from openpyxl import load_workbook

from anding import scoping
from anding.models import AuditEvent
from branches import actions, selectors

from .conftest import DONE, IN_PROGRESS, assignment, deploy, in_default_language, make_overdue, report, rows_of, today


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


@pytest.mark.parametrize("wide", [False, True], ids=["narrow", "wide"])
def test_the_summary_counts_only_the_assignees_the_user_may_see(
    tree, town_cadre, gb_secretary, gb2_secretary, monkeypatch, wide
):
    if wide:  # every range wide: the scope's OR-and-keys shape (a district's, the city's)
        monkeypatch.setattr(scoping, "WIDE_NODES", 0)
    task = deploy(town_cadre, tree.town, [tree.g1, tree.g2, tree.v21])
    report(gb2_secretary, assignment(task, tree.g2), DONE)
    report(gb_secretary, assignment(task, tree.g1), IN_PROGRESS)

    town_row = selectors.task_list(town_cadre).get(pk=task.pk)
    g1_row = selectors.task_list(gb_secretary).get(pk=task.pk)
    g2_row = selectors.task_list(gb2_secretary).get(pk=task.pk)

    assert (town_row.assignee_total, town_row.done_count, town_row.in_progress_count) == (3, 1, 1)
    assert (g1_row.assignee_total, g1_row.done_count, g1_row.in_progress_count) == (1, 0, 1)
    assert (g2_row.assignee_total, g2_row.done_count) == (2, 1)  # g2 itself and its village v21
    assert not town_row.is_completed and not g1_row.is_completed and not g2_row.is_completed
    report(gb2_secretary, assignment(task, tree.v21), DONE)  # g2's part is done, the town's task is not
    assert selectors.task_list(gb2_secretary).get(pk=task.pk).is_completed
    assert not selectors.task_list(town_cadre).get(pk=task.pk).is_completed
    assert [t.pk for t in selectors.task_list(gb2_secretary).filter(is_completed=True)] == [task.pk]


def test_the_stored_summary_follows_every_service(tree, town_cadre, gb_secretary, gb2_secretary):
    task = deploy(town_cadre, tree.town, [tree.g1, tree.g2, tree.v21])

    def stored():
        task.refresh_from_db()
        return task.assignees_total, task.assignees_done, task.assignees_in_progress

    assert stored() == (3, 0, 0)
    report(gb_secretary, assignment(task, tree.g1), IN_PROGRESS)
    assert stored() == (3, 0, 1)
    report(gb_secretary, assignment(task, tree.g1), DONE)
    report(gb2_secretary, assignment(task, tree.v21), IN_PROGRESS)
    assert stored() == (3, 1, 1)
    report(gb2_secretary, assignment(task, tree.v21), DONE)
    report(gb2_secretary, assignment(task, tree.g2), DONE)
    assert stored() == (3, 3, 0)
    report(gb2_secretary, assignment(task, tree.g2), IN_PROGRESS)  # reopened
    assert stored() == (3, 2, 1)
    other = deploy(gb_secretary, tree.g1, [tree.v11, tree.v12])
    other.refresh_from_db()
    assert (other.assignees_total, other.assignees_done, other.assignees_in_progress) == (2, 0, 0)
    assert stored() == (3, 2, 1)  # another task's assignments are not this one's


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


@pytest.mark.parametrize("wide", [False, True], ids=["narrow", "wide"])
def test_a_moved_village_keeps_its_assignment_and_the_summary_stays_right(
    tree, superuser, town_cadre, gb_secretary, gb2_secretary, village_secretary, monkeypatch, wide
):
    """Restructuring moves no assignment: the stored summary (all assignees) is unchanged; the new general branch
    sees the task through the village and counts that assignee, the deployer still sees every assignee."""
    if wide:
        monkeypatch.setattr(scoping, "WIDE_NODES", 0)
    task = deploy(gb_secretary, tree.g1, [tree.v11, tree.v12])
    report(village_secretary, assignment(task, tree.v11), DONE)
    actions.organization_move(
        actor=superuser, organization=tree.v11, new_parent=tree.g2, effective_date=today(), reason="按片区调整"
    )
    task.refresh_from_db()
    assert (task.assignees_total, task.assignees_done) == (2, 1)

    g2_row = selectors.task_list(gb2_secretary).get(pk=task.pk)
    g1_row = selectors.task_list(gb_secretary).get(pk=task.pk)

    assert (g2_row.assignee_total, g2_row.done_count, g2_row.is_completed) == (1, 1, True)
    assert (g1_row.assignee_total, g1_row.done_count, g1_row.is_completed) == (2, 1, False)
