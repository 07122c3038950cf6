"""No N+1: the task lists run the same queries for 3 and for 30 tasks, a task's page for 2 and for 12 assignees."""

import pytest

from .. import kit
from ..conftest import more_villages
from .conftest import DONE, IN_PROGRESS, assignment, deploy, make_overdue, report


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


LIST_PATHS = [
    "/tasks/",
    "/tasks/?status=open&sort=-due",
    "/tasks/?export=xlsx",
    "/api/tasks/",
    "/api/task-assignments/",
]


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary"])
def test_lists_run_the_same_queries_for_3_and_for_30_tasks(request, client_as, tree, town_cadre, gb_secretary, persona):
    extra = more_villages(tree, "g2", 2, tag="X")
    client = client_as(request.getfixturevalue(persona))
    totals = []

    def measure(_):
        totals.append(client.get("/tasks/").context["paginator"].count)
        return {path: kit.page_queries(client, path) for path in LIST_PATHS}

    kit.assert_flat(
        measure,
        small=lambda: spread(town_cadre, gb_secretary, tree, 3, extra),
        large=lambda: spread(town_cadre, gb_secretary, tree, 27, extra),
    )
    assert totals == [6, 60]  # every persona here sees both kinds of task


def test_the_task_page_runs_the_same_queries_for_2_and_for_12_assignees(client_as, tree, town_cadre):
    villages = more_villages(tree, "g1", 8, tag="N")
    small_task = deploy(town_cadre, tree.town, [tree.g1, tree.g2])
    large_task = deploy(town_cadre, tree.town, [tree.g1, tree.g2, *villages, tree.v11, tree.v12])
    for task in (small_task, large_task):
        for a in task.assignments.all():
            report(town_cadre, a, IN_PROGRESS, note="一")
            report(town_cadre, a, DONE, note="二")
    client = client_as(town_cadre)

    kit.assert_flat(lambda task: kit.page_queries(client, task.get_absolute_url()), small_task, large_task)
