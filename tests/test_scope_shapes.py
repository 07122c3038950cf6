"""The scope's SQL takes a shape by the width of each range (anding.scoping, docs/PERFORMANCE.md "Scope by the width
of the subtree"): a leaf by its key, a narrow subtree by a UNION of one subquery per path, a wide one by the range
on the joined node. The shapes are only for the planner: every persona sees exactly the same rows whichever shape
is taken, here forced by moving `WIDE_NODES`, and the rows are those computed here from the tree."""

import pytest
from django.db import connection

from anding import scoping
from branches import actions, selectors
from branches.choices import MeetingKind
from branches.models import Meeting, MeetingAttendance, MonthlyReport, Task
from development.models import Pairing, PairingProgress

from .conftest import plan
from .fixtures_apps import pair, progress

PERSONAS = ["town_cadre", "gb_secretary", "gb2_secretary", "village_secretary", "deputy", "outsider"]
MODELS = [Meeting, MeetingAttendance, MonthlyReport, Task, Pairing, PairingProgress]


@pytest.fixture
def records(tree, town_cadre, gb_secretary, gb2_secretary, g2_report, g2_task):
    """A meeting of each village and general branch, one report (v21), tasks deployed by the town and by g1, and
    pairings with progress: v21 helping v22 (g2), and v11 (g1) helping v21 across the general branches."""
    for org in (tree.v11, tree.v12, tree.v21, tree.v22):
        plan(town_cadre, org)
    plan(gb_secretary, tree.g1, kind=MeetingKind.WORK_MEETING, title="例会")
    plan(gb2_secretary, tree.g2, kind=MeetingKind.WORK_MEETING, title="例会")
    actions.task_deploy(
        actor=gb_secretary, issued_by=tree.g1, title="g1", due_date=g2_task.due_date, assignees=[tree.v11]
    )
    progress(gb2_secretary, pair(gb2_secretary, tree.v21, [tree.v22]))
    progress(gb_secretary, pair(gb_secretary, tree.v11, [tree.v21]))


def visible(user, model, **shape) -> set[int]:
    user = type(user).objects.get(pk=user.pk)  # a fresh user: no cached ranges
    return set(model.objects.restrict(user, **shape).values_list("pk", flat=True))


@pytest.mark.parametrize("name", PERSONAS)
def test_every_shape_of_the_scope_selects_the_same_rows(request, records, monkeypatch, name):
    user = request.getfixturevalue(name)
    narrow = {model: visible(user, model) for model in MODELS}
    # the paths ORed, checked row by row (`few`: for the counts of a to-do list)
    assert {model: visible(user, model, few=True) for model in MODELS} == narrow
    monkeypatch.setattr(scoping, "WIDE_NODES", 0)  # every range is wide: ranges on the joined nodes
    assert {model: visible(user, model) for model in MODELS} == narrow
    assert {model: visible(user, model, few=True) for model in MODELS} == narrow


def test_the_rows_are_those_of_the_tree(tree, records, town_cadre, gb_secretary, gb2_secretary, village_secretary):
    def meetings(user):
        return {m.organization.name for m in Meeting.objects.filter(pk__in=visible(user, Meeting))}

    assert meetings(town_cadre) == {n.name for n in (tree.v11, tree.v12, tree.v21, tree.v22, tree.g1, tree.g2)}
    assert meetings(gb_secretary) == {tree.v11.name, tree.v12.name, tree.g1.name}
    assert meetings(village_secretary) == {tree.v11.name}
    tasks = {t.title for t in Task.objects.filter(pk__in=visible(village_secretary, Task))}
    assert tasks == {"g1"}  # assigned to v11; the town's task to g2 and v21 is out of its scope
    assert visible(gb_secretary, MonthlyReport) == set()  # v21's report is g2's
    assert len(selectors.task_list(village_secretary)) == 1  # one row per task, not per assignment
    led_by = {p.lead_village.name for p in Pairing.objects.filter(pk__in=visible(gb2_secretary, Pairing))}
    assert led_by == {tree.v21.name, tree.v11.name}  # its own, and g1's through the village it helps


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


def test_a_wide_scope_sees_what_it_helps_and_is_assigned(tree, records, gb2_secretary, monkeypatch):
    """The wide shape (the row's own path ORed with the keys of the to-many path) keeps the rows seen only through
    the to-many path: g1's pairing helping v21, the town's task assigned to g2."""
    monkeypatch.setattr(scoping, "WIDE_NODES", 0)
    pairings = Pairing.objects.filter(pk__in=visible(gb2_secretary, Pairing))
    assert {p.lead_village.name for p in pairings} == {tree.v21.name, tree.v11.name}
    entries = PairingProgress.objects.filter(pk__in=visible(gb2_secretary, PairingProgress))
    assert {e.pairing_id for e in entries} == {p.pk for p in pairings}
    tasks = Task.objects.filter(pk__in=visible(gb2_secretary, Task))
    assert {t.title for t in tasks} == {"第二总支的任务"}  # the town's, seen through its assignees g2 and v21


@pytest.mark.parametrize("name", PERSONAS)
def test_a_walked_scope_selects_the_same_rows_in_the_same_order(request, records, monkeypatch, name):
    """`walked` (a deep page's keys: a wide scope written on the rows' own foreign keys) selects the rows the scope
    does, in the same order; before an offset of as many rows as the ranges hold nodes, or for rows filtered by more
    than the scope, it changes nothing."""
    monkeypatch.setattr(scoping, "WIDE_NODES", 0)  # every range is wide
    user = request.getfixturevalue(name)
    for model, ordering in ((Meeting, ("-planned_for", "title", "pk")), (MonthlyReport, ("-month", "pk"))):
        rows = model.objects.restrict(type(user).objects.get(pk=user.pk)).order_by(*ordering)
        walked = rows.walked(10**6)
        assert list(walked.values_list("pk", flat=True)) == list(rows.values_list("pk", flat=True))
        assert rows.walked(0) is rows
        filtered = rows.filter(pk__gt=0)  # a filter besides the scope: the planner could not tell how far to walk
        assert filtered.walked(10**6) is filtered
        if name != "outsider":
            assert str(walked.query) != str(rows.query)  # each path's key among the range's nodes


@pytest.mark.parametrize("name", ["gb2_secretary", "village_secretary"])
def test_a_narrow_scope_through_one_key_reads_each_path_apart(request, records, name):
    """A progress entry is in scope with its pairing, led or helped: a narrow scope reads each path's pairings apart
    and takes their UNION, not one OR across the join to the helped villages (which reads every pairing)."""
    sql = str(PairingProgress.objects.restrict(request.getfixturevalue(name)).query)
    assert " UNION " in sql and " OR " not in sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="= ANY(ARRAY(…)) is PostgreSQL's")
def test_few_rows_are_found_from_the_keys_of_the_scopes_nodes(records, town_cadre):
    """With `few`, a subtree's nodes are an array of their keys, read before the scan, which each path's index takes
    (a town's held meetings to review, from two partial indexes); `IN (<subquery>)` ORed is checked row by row."""
    sql = str(Meeting.objects.restrict(town_cadre, few=True).query)
    assert sql.count("= ANY(ARRAY(SELECT") == 2 and " IN (SELECT" not in sql
