"""The printable pack of a general branch's monthly work meeting: its agenda, each village's report of the previous
month, and the open tasks of the branch and its villages."""

from django.http import Http404

from anding.scoping import get_or_404

from ..choices import MeetingKind, OrgKind, TaskAssignmentStatus
from ..models import Meeting, MonthlyReport, TaskAssignment, report_due_date
from ..months import add_months
from .organization import organization_list, subtree_q
from .reports import SUBMITTED_ONCE, figure_sections

__all__ = ["meeting_pack"]


def meeting_pack(user, meeting_pk) -> dict:
    """Everything the monthly work meeting of a general branch goes through, in five queries: the meeting, its
    agenda (with linked tasks and villages), the branch's villages, their reports of the previous month, and the
    open tasks of the branch and its villages with each assignee's status."""
    meeting = get_or_404(
        Meeting.objects.restrict(user).select_related("organization", "organization__parent"), pk=meeting_pk
    )
    if meeting.kind != MeetingKind.WORK_MEETING:
        raise Http404  # in scope, but no work meeting: it has no pack
    branch = meeting.organization
    month = add_months(meeting.date, -1)
    agenda = list(meeting.agenda.select_related("task", "village").order_by("order", "id"))
    villages = list(organization_list(user).filter(subtree_q(branch), kind=OrgKind.VILLAGE).order_by("tree_id", "lft"))
    reports = {
        r.village_id: r for r in MonthlyReport.objects.restrict(user).filter(subtree_q(branch, "village"), month=month)
    }
    sections = []
    for village in villages:
        report = reports.get(village.pk)
        submitted = report is not None and report.status in SUBMITTED_ONCE
        sections.append(
            {
                "village": village,
                "report": report,
                "figures": figure_sections(report.figures) if submitted else [],
                "problems": _lines(report.problems) if report else [],
                "requests": _lines(report.requests) if report else [],
            }
        )
    open_tasks = (
        TaskAssignment.objects.filter(subtree_q(branch, "assignee"))
        .exclude(status=TaskAssignmentStatus.DONE)
        .values("task_id")
    )
    assignments = (
        TaskAssignment.objects.restrict(user)
        .filter(subtree_q(branch, "assignee"), task_id__in=open_tasks)
        .select_related("task", "task__issued_by", "assignee")
        .order_by("task__due_date", "task_id", "assignee__tree_id", "assignee__lft")
    )
    tasks = {}
    for assignment in assignments:
        entry = tasks.setdefault(assignment.task_id, {"task": assignment.task, "assignments": []})
        entry["assignments"].append(assignment)
    for entry in tasks.values():
        entry["overdue"] = any(a.is_overdue for a in entry["assignments"])
    return {
        "meeting": meeting,
        "general_branch": branch,
        "month": month,
        "due_date": report_due_date(month),
        "agenda": agenda,
        "villages": sections,
        "tasks": list(tasks.values()),
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
