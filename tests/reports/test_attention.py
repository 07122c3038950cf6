"""The town's and a general branch's dashboards list what needs them (issue 8, done-when 5): the villages behind
with their reports and 三会一课, overdue tasks and reviews waiting too long. The counts on the page are recomputed
here from the rows themselves, and the panel's queries do not grow with the villages."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from branches import actions, selectors
from branches.choices import MeetingKind, MeetingStatus, OrgKind, ReportStatus, TaskAssignmentStatus
from branches.models import Meeting, MonthlyReport, Organization, ReportTransition, Task, TaskAssignment
from branches.tree import is_within

from .. import kit
from ..conftest import more_villages
from .conftest import LAST_MONTH, THIS_MONTH, TODAY, due, hold, make_report, page, shift

COLUMNS = ("reports", "meetings", "tasks", "reports_waiting", "meetings_waiting")


def last_quarter() -> tuple[datetime.date, datetime.date]:
    first = shift(datetime.date(TODAY.year, (TODAY.month - 1) // 3 * 3 + 1, 1), -3)
    return first, shift(first, 3) - datetime.timedelta(days=1)


@pytest.fixture
def behind(people, tree):
    """Last month: v11 approved on time with every meeting held; v12 submitted ten days ago and not reviewed, with
    a branch committee held twenty days ago and not reviewed; v21 returned; v22 nothing. A task of the town for v12
    and v21 overdue, done by v21."""
    actor = people["town"]
    make_report(people, tree, "v11", LAST_MONTH, ReportStatus.APPROVED, submitted_on=THIS_MONTH)
    make_report(people, tree, "v12", LAST_MONTH, ReportStatus.SUBMITTED, submitted_on=TODAY - datetime.timedelta(10))
    make_report(people, tree, "v21", LAST_MONTH, ReportStatus.RETURNED, submitted_on=THIS_MONTH)
    for kind in (MeetingKind.BRANCH_COMMITTEE, MeetingKind.PARTY_GROUP, MeetingKind.THEMED_DAY):
        hold(tree.v11, kind, LAST_MONTH, actor)
    for kind in (MeetingKind.BRANCH_ASSEMBLY, MeetingKind.PARTY_LECTURE):
        hold(tree.v11, kind, last_quarter()[0], actor)
    hold(tree.v12, MeetingKind.BRANCH_COMMITTEE, TODAY - datetime.timedelta(20), actor)
    task = actions.task_deploy(
        actor=actor,
        issued_by=tree.town,
        title="overdue",
        due_date=TODAY + datetime.timedelta(3),
        assignees=[tree.v12, tree.v21],
    )
    Task.objects.filter(pk=task.pk).update(
        issued_on=TODAY - datetime.timedelta(9), due_date=TODAY - datetime.timedelta(2)
    )
    TaskAssignment.objects.filter(task=task, assignee=tree.v21).update(status=TaskAssignmentStatus.DONE)
    return people


def expected(branch: Organization | None) -> tuple[int, ...]:
    """The five counts of `branch` (None: the whole town), from the rows, without the selectors."""
    now = timezone.now()
    villages = [v for v in Organization.objects.filter(kind=OrgKind.VILLAGE) if branch is None or is_within(v, branch)]
    month_last = THIS_MONTH - datetime.timedelta(days=1)
    q_first, q_last = last_quarter()
    reports = meetings = 0
    for village in villages:
        report = MonthlyReport.objects.filter(village=village, month=LAST_MONTH).first()
        submitted = report is not None and report.first_submitted_at is not None
        late = submitted and timezone.localdate(report.first_submitted_at) > due(LAST_MONTH)
        reports += not submitted or late or report.status == ReportStatus.RETURNED
        held = Meeting.objects.filter(organization=village, status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED])
        monthly = {m.kind for m in held if LAST_MONTH <= m.held_on <= month_last}
        quarterly = {m.kind for m in held if q_first <= m.held_on <= q_last}
        meetings += not (
            {MeetingKind.BRANCH_COMMITTEE, MeetingKind.PARTY_GROUP, MeetingKind.THEMED_DAY} <= monthly
            and {MeetingKind.BRANCH_ASSEMBLY, MeetingKind.PARTY_LECTURE} <= quarterly
        )

    def inside(org):
        return branch is None or is_within(org, branch)

    tasks = {
        a.task_id
        for a in TaskAssignment.objects.select_related("task", "assignee")
        if inside(a.assignee) and a.status != TaskAssignmentStatus.DONE and a.task.due_date < TODAY
    }
    cutoff = now - datetime.timedelta(days=settings.REPORT_REVIEW_WAIT_DAYS)
    reports_waiting = sum(
        inside(r.village)
        and (
            (r.status == ReportStatus.SUBMITTED and r.submitted_at < cutoff)
            or (
                r.status == ReportStatus.CHECKED
                and r.transitions.filter(to_status=ReportStatus.CHECKED).order_by("at").last().at < cutoff
            )
        )
        for r in MonthlyReport.objects.select_related("village")
    )
    meeting_cutoff = TODAY - datetime.timedelta(days=settings.MEETING_REVIEW_WAIT_DAYS)
    meetings_waiting = sum(
        inside(m.organization)
        and m.organization.kind in (OrgKind.VILLAGE, OrgKind.GENERAL)
        and m.status == MeetingStatus.HELD
        and m.held_on < meeting_cutoff
        for m in Meeting.objects.select_related("organization")
    )
    return reports, meetings, len(tasks), reports_waiting, meetings_waiting


def shown(response) -> dict[str, tuple[int, ...]]:
    """The panel's counts per row (data-branch: a general branch's id, or "all")."""
    counts = {}
    for key, cells in re.findall(r'data-branch="(\w+)">(.*?)</tr>', page(response), flags=re.S):
        counts[key] = tuple(int(n) for n in re.findall(r'<td class="num">(?:<[^>]+>)?(\d+)<', cells))
    return counts


def test_the_town_sees_every_general_branch_with_counts_recomputed_from_the_rows(behind, tree, en):
    counts = shown(en(behind["town"]).get("/"))
    assert counts["all"] == expected(None)
    assert counts[str(tree.g1.pk)] == expected(tree.g1)
    assert counts[str(tree.g2.pk)] == expected(tree.g2)
    # the fixture's story, so that the recomputation is not trivially all zeros
    # v12 waits ten days for review, its meetings fell short, its task is open; v11's and v12's meetings wait
    assert counts[str(tree.g1.pk)] == (0, 1, 1, 1, 6)
    assert counts[str(tree.g2.pk)] == (2, 2, 0, 0, 0)  # v21 returned, v22 missing; no meetings


def test_a_general_branch_secretary_sees_their_own_branch_only(behind, tree, en):
    response = en(behind["gb1"]).get("/")
    counts = shown(response)
    assert counts == {str(tree.g1.pk): expected(tree.g1)}
    assert tree.v12.name in page(response) and tree.v21.name not in page(response)


def test_a_village_secretary_sees_no_panel(behind, tree, en):
    assert "attention-heading" not in page(en(behind["sec"]["v11"]).get("/"))


def test_each_count_links_to_the_rows_behind_it(behind, tree, en):
    client = en(behind["town"])
    html = page(client.get("/"))
    row = re.search(rf'data-branch="{tree.g1.pk}">(.*?)</tr>', html, flags=re.S).group(1)
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', row)]
    assert len(links) == 4  # every count but the reports behind (none in g1)
    assert links[0].startswith("/reports/completeness/?") and f"branch={tree.g1.pk}" in links[0]
    tasks, reports_waiting, meetings_waiting = (client.get(link) for link in links[1:])
    assert [t.pk for t in tasks.context["object_list"]] == list(Task.objects.values_list("pk", flat=True))
    assert [r.village for r in reports_waiting.context["object_list"]] == [tree.v12]
    assert {m.organization for m in meetings_waiting.context["object_list"]} == {tree.v11, tree.v12}


def test_the_panel_reads_in_a_bounded_number_of_queries(behind, tree, client_as):
    client = client_as(behind["town"])

    def grow(n, tag):
        def make():
            for parent in ("g1", "g2"):
                for village in more_villages(tree, parent, n, f"{tag}{parent}"):
                    actor = type(behind["town"]).objects.get(pk=behind["town"].pk)  # positions read afresh
                    hold(village, MeetingKind.BRANCH_COMMITTEE, TODAY - datetime.timedelta(20), actor)
            return "/"

        return make

    kit.assert_flat(lambda path: kit.page_queries(client, path), grow(1, "a"), grow(9, "b"))


def test_a_checked_report_waits_since_its_first_review_not_its_last_save(people, tree):
    """The wait of a report past its first review is counted from the transition to "checked": a later save
    (which moves `updated_at`) does not restart it, and an old `updated_at` does not make a fresh review stale."""
    old = make_report(people, tree, "v11", LAST_MONTH, ReportStatus.CHECKED)
    fresh = make_report(people, tree, "v12", LAST_MONTH, ReportStatus.CHECKED)
    long_ago = timezone.now() - datetime.timedelta(days=settings.REPORT_REVIEW_WAIT_DAYS + 3)
    ReportTransition.objects.filter(report=old, to_status=ReportStatus.CHECKED).update(at=long_ago)
    MonthlyReport.objects.filter(pk=fresh.pk).update(updated_at=long_ago)  # touched long ago, reviewed just now

    stale = set(MonthlyReport.objects.filter(selectors.stale_report_review_q()).values_list("pk", flat=True))

    assert stale == {old.pk}
