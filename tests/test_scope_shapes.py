"""The scope's SQL takes a shape by the width of each range (anding.scoping, docs/PERFORMANCE.md "Scope by the width
of the subtree"): a leaf by its key, a narrow subtree by a UNION of one subquery per path, a wide one by the range
on the joined node. The shapes are only for the planner: every persona sees exactly the same rows whichever shape
is taken, here forced by moving `WIDE_NODES`, and the rows are those computed here from the tree."""

import pytest

from anding import scoping
from branches import actions, selectors
from branches.choices import MeetingKind
from branches.models import Meeting, MeetingAttendance, MonthlyReport, Task

from .conftest import plan

PERSONAS = ["town_cadre", "gb_secretary", "gb2_secretary", "village_secretary", "deputy", "outsider"]
MODELS = [Meeting, MeetingAttendance, MonthlyReport, Task]


@pytest.fixture
def records(tree, town_cadre, gb_secretary, gb2_secretary, g2_report, g2_task):
    """A meeting of each village and general branch, one report (v21), tasks deployed by the town and by g1."""
    for org in (tree.v11, tree.v12, tree.v21, tree.v22):
        plan(town_cadre, org)
    plan(gb_secretary, tree.g1, kind=MeetingKind.WORK_MEETING, title="例会")
    plan(gb2_secretary, tree.g2, kind=MeetingKind.WORK_MEETING, title="例会")
    actions.task_deploy(
        actor=gb_secretary, issued_by=tree.g1, title="g1", due_date=g2_task.due_date, assignees=[tree.v11]
    )


def visible(user, model) -> set[int]:
    user = type(user).objects.get(pk=user.pk)  # a fresh user: no cached ranges
    return set(model.objects.restrict(user).values_list("pk", flat=True))


@pytest.mark.parametrize("name", PERSONAS)
def test_every_shape_of_the_scope_selects_the_same_rows(request, records, monkeypatch, name):
    user = request.getfixturevalue(name)
    narrow = {model: visible(user, model) for model in MODELS}
    monkeypatch.setattr(scoping, "WIDE_NODES", 0)  # every range is wide: ranges on the joined nodes
    assert {model: visible(user, model) for model in MODELS} == narrow


def test_the_rows_are_those_of_the_tree(tree, records, town_cadre, gb_secretary, village_secretary):
    def meetings(user):
        return {m.organization.name for m in Meeting.objects.filter(pk__in=visible(user, Meeting))}

    assert meetings(town_cadre) == {n.name for n in (tree.v11, tree.v12, tree.v21, tree.v22, tree.g1, tree.g2)}
    assert meetings(gb_secretary) == {tree.v11.name, tree.v12.name, tree.g1.name}
    assert meetings(village_secretary) == {tree.v11.name}
    tasks = {t.title for t in Task.objects.filter(pk__in=visible(village_secretary, Task))}
    assert tasks == {"g1"}  # assigned to v11; the town's task to g2 and v21 is out of its scope
    assert visible(gb_secretary, MonthlyReport) == set()  # v21's report is g2's
    assert len(selectors.task_list(village_secretary)) == 1  # one row per task, not per assignment


@pytest.mark.parametrize("wide", [False, True])
@pytest.mark.parametrize("name", PERSONAS)
def test_a_bounded_count_counts_every_path_once(request, records, tree, monkeypatch, name, wide):
    """`count_at_most` counts a scope of ORed paths path by path (the second without the first's rows): a row in
    scope by both paths counts once, one in scope by its second path only (a meeting of v21 held for g1, as a
    finished one is after its village moved) counts too, and the filters and joins of the list stay."""
    moved = plan(request.getfixturevalue("town_cadre"), tree.v21, title="移出前")
    Meeting.objects.filter(pk=moved.pk).update(general_branch=tree.g1)
    if wide:
        monkeypatch.setattr(scoping, "WIDE_NODES", 0)
    user = request.getfixturevalue(name)
    for model in MODELS:
        rows = model.objects.restrict(type(user).objects.get(pk=user.pk))
        total = rows.count()
        assert [rows.count_at_most(n) for n in (1, 2, total, total + 1)] == [min(1, total), min(2, total), total, total]
    meetings = Meeting.objects.restrict(type(user).objects.get(pk=user.pk))
    listed = meetings.select_related("organization", "general_branch").filter(title="例会").order_by("-planned_for")
    assert listed.count_at_most(100) == listed.count()
    if name == "gb_secretary":
        assert moved.pk in set(meetings.values_list("pk", flat=True))
