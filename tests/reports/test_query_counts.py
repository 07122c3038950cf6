"""No N+1 (issue 3, "Done when" 6): the report pages, exports, the pack, the API and the to-do items run the same
queries for 3 and for 30 villages; a report's page the same for a short and a long history."""

from branches import actions
from branches.choices import MeetingKind, ReportStatus, Role
from branches.models import MonthlyReport
from branches.todo import report_todos

from .. import kit
from ..conftest import more_villages
from ..factories import PositionFactory, UserFactory, make_members
from .conftest import LAST_MONTH, THIS_MONTH, TODAY, hold, make_report, write


def grow(people, tree, count: int, tag: str):
    """`count` more villages in g1, each with a member, a held meeting and last month's report (submitted, with
    history), and a task assigned to each."""
    villages = more_villages(tree, "g1", count, tag)
    cadre = type(people["town"]).objects.get(pk=people["town"].pk)  # positions (and their tree ranges) read afresh
    task = actions.task_deploy(actor=cadre, issued_by=tree.town, title=f"任务{tag}", due_date=TODAY, assignees=villages)
    for village in villages:
        make_members(village, 2, prefix=tag)
        secretary = UserFactory(username=f"sec-{tag}-{village.pk}")
        PositionFactory(user=secretary, organization=village, role=Role.VILLAGE_SECRETARY)
        hold(village, MeetingKind.BRANCH_COMMITTEE, LAST_MONTH, cadre)
        report = write(village, secretary, LAST_MONTH, problems="问题")
        actions.report_submit(actor=secretary, report=report)
    return task


def todo_queries(user) -> int:
    user = type(user).objects.get(pk=user.pk)  # a fresh user: positions are read again
    queries, items = kit.count_queries(lambda: report_todos(user))
    assert items
    return queries


def test_pages_and_api_lists_keep_their_query_count_as_villages_grow(people, tree, en):
    meeting = actions.meeting_plan(
        actor=people["gb1"], organization=tree.g1, kind=MeetingKind.WORK_MEETING, title="例会", planned_for=TODAY
    )
    paths = [
        "/reports/",
        f"/reports/?month={LAST_MONTH:%Y-%m}&late=false&waiting=me",
        "/reports/?export=xlsx",
        f"/reports/completeness/?month={LAST_MONTH:%Y-%m}",
        f"/reports/completeness/?month={LAST_MONTH:%Y-%m}&export=xlsx",
        f"/reports/pack/{meeting.pk}/",
        "/api/reports/",
    ]
    clients = {"town": en(people["town"]), "gb1": en(people["gb1"])}

    def measure(_):
        counts = {(who, path): kit.page_queries(client, path) for who, client in clients.items() for path in paths}
        counts["to-do items of gb1"] = todo_queries(people["gb1"])
        return counts

    kit.assert_flat(measure, small=lambda: grow(people, tree, 3, "A"), large=lambda: grow(people, tree, 27, "B"))
    assert MonthlyReport.objects.filter(month=LAST_MONTH).count() == 30


def test_the_detail_page_keeps_its_query_count_as_history_grows(people, tree, en):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.RETURNED)

    def five_more_rounds():
        returned = report
        for _ in range(5):
            actions.report_submit(actor=people["sec"]["v11"], report=returned)
            returned = actions.report_return(actor=people["dep1"], report=returned, reason="再改")
        return returned

    kit.assert_flat(lambda r: kit.page_queries(en(people["gb1"]), f"/reports/{r.pk}/"), report, five_more_rounds)
