"""Where meetings, reports and tasks stand, for the pages: their status badges and step indicators, as data.

One function draws every badge (`anding.status.badges_html`) and one template every step indicator
(`generic/steps.html`); this module only says which states and flags each record shows. The badge builders are registered for their models
in `BranchesConfig.ready()`, so a template writes `{% status_badge meeting %}`.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.status import Badge, steps
from anding.tables import choice_label

from ..choices import MeetingStatus, ReportStatus, TaskAssignmentStatus
from ..models import Meeting, MonthlyReport, Task, TaskAssignment

__all__ = [
    "BADGE_BUILDERS",
    "assignment_badges",
    "assignment_steps",
    "case_badges",
    "meeting_badges",
    "meeting_steps",
    "report_badges",
    "report_steps",
    "task_badges",
]

MEETING_PATH = [
    (MeetingStatus.PLANNED, gettext_lazy("Planned")),
    (MeetingStatus.HELD, gettext_lazy("Held and recorded")),
    (MeetingStatus.REVIEWED, gettext_lazy("Reviewed by the level above")),
]


def meeting_badges(meeting: Meeting) -> list[Badge]:
    badges = [Badge("meeting", meeting.status, choice_label(meeting, "status"))]
    if getattr(meeting, "overdue", False):
        badges.append(Badge("meeting", "overdue", _("Overdue: not recorded")))
    return badges


def meeting_steps(meeting: Meeting) -> list[dict]:
    """Planned → held and recorded → reviewed by the level above."""
    return steps(MEETING_PATH, meeting.status)


def report_badges(report: MonthlyReport) -> list[Badge]:
    badges = [Badge("report", report.status, choice_label(report, "status"))]
    if report.is_late:
        badges.append(Badge("report", "late", _("late")))
    return badges


def report_steps(report: MonthlyReport, has_deputy: bool) -> list[dict]:
    """Draft → submitted → first review passed (when a liaison deputy reviews) → approved, with "returned" shown
    after "submitted" while the report is returned."""
    path = [ReportStatus.DRAFT, ReportStatus.SUBMITTED]
    if has_deputy or report.checked_by_id or report.status == ReportStatus.CHECKED:
        path.append(ReportStatus.CHECKED)
    path.append(ReportStatus.APPROVED)
    if report.status == ReportStatus.RETURNED:
        path.insert(2, ReportStatus.RETURNED)
    return steps([(status.value, status.label) for status in path], report.status)


def assignment_badges(assignment: TaskAssignment) -> list[Badge]:
    badges = [Badge("task", assignment.status, choice_label(assignment, "status"))]
    if assignment.is_overdue:
        badges.append(Badge("task", "overdue", _("Overdue")))
    return badges


def assignment_steps(assignment: TaskAssignment) -> list[dict]:
    """Not started → in progress → completed."""
    return steps(TaskAssignmentStatus.choices, assignment.status)


def task_badges(task: Task) -> list[Badge]:
    """A task as a whole: completed, overdue or open (from the annotations of the task selectors)."""
    if task.is_completed:
        return [Badge("task", "completed", _("completed"))]
    if task.is_overdue:
        return [Badge("task", "overdue", _("Overdue"))]
    return [Badge("task", "open", _("open"))]


def case_badges(case) -> list[Badge]:
    """A case of one of the seven powers: its status, and "overdue" when its deadline passed while it is open."""
    badges = [Badge("case", case.status, choice_label(case, "status"))]
    if case.is_overdue:
        badges.append(Badge("case", "overdue", _("Overdue")))
    return badges


BADGE_BUILDERS = {
    Meeting: meeting_badges,
    MonthlyReport: report_badges,
    TaskAssignment: assignment_badges,
    Task: task_badges,
}
