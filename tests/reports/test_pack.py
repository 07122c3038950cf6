"""The meeting pack of a general branch's work meeting: the agenda, last month's report of each of its villages and
the open tasks, and nothing of another general branch."""

from branches import actions
from branches.choices import MeetingKind, ReportStatus, TaskAssignmentStatus
from branches.models import TaskAssignment

from .conftest import LAST_MONTH, TODAY, make_report, page, shift


def test_the_meeting_pack_holds_the_agenda_the_reports_and_the_tasks(people, tree, en):
    make_report(
        people,
        tree,
        "v11",
        LAST_MONTH,
        ReportStatus.SUBMITTED,
        problems="道路破损\n经费不足",
        requests="请拨付维修经费",
    )
    make_report(people, tree, "v21", LAST_MONTH, ReportStatus.SUBMITTED, problems="别的总支的问题")
    task = actions.task_deploy(
        actor=people["town"],
        issued_by=tree.town,
        title="秋季防火检查",
        due_date=TODAY,
        assignees=[tree.g1, tree.v11, tree.v21],
    )
    done_task = actions.task_deploy(
        actor=people["town"], issued_by=tree.town, title="已完成的任务", due_date=TODAY, assignees=[tree.v12]
    )
    TaskAssignment.objects.filter(task=done_task).update(status=TaskAssignmentStatus.DONE)
    meeting = actions.meeting_plan(
        actor=people["gb1"], organization=tree.g1, kind=MeetingKind.WORK_MEETING, title="工作例会", planned_for=TODAY
    )
    actions.meeting_set_agenda(
        actor=people["gb1"],
        meeting=meeting,
        items=[
            actions.AgendaLine(title="部署防火检查", task=task),
            actions.AgendaLine(title="东庄村道路问题", village=tree.v11),
        ],
    )

    response = en(people["gb1"]).get(f"/reports/pack/{meeting.pk}/")

    assert response.status_code == 200
    text = page(response)
    for expected in (
        "部署防火检查",
        "东庄村道路问题",
        tree.g1.name,
        "道路破损",
        "经费不足",
        "请拨付维修经费",
        "秋季防火检查",
    ):
        assert expected in text
    assert "别的总支的问题" not in text and "已完成的任务" not in text and tree.v21.name not in text
    assert text.count("pack-village page-break") == 2  # one page per village of the branch
    assert "No report has been written for this month." in text  # v12
    assert response.context["month"] == shift(TODAY.replace(day=1), -1)
    [entry] = response.context["tasks"]
    assert [a.assignee for a in entry["assignments"]] == [tree.g1, tree.v11]
    assert f'href="{task.get_absolute_url()}"' in text
