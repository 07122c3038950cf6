from .committees import BranchCommittee, CommitteeSeat, PartyGroup, PartyGroupMembership
from .meetings import AgendaItem, Meeting, MeetingAttachment, MeetingAttendance
from .members import PartyMember
from .organization import Organization, OrgChange, Position
from .reports import MonthlyReport, ReportTransition, report_due_date, submission_opens
from .tasks import Task, TaskAssignment, TaskProgress

__all__ = [
    "AgendaItem",
    "BranchCommittee",
    "CommitteeSeat",
    "Meeting",
    "MeetingAttachment",
    "MeetingAttendance",
    "MonthlyReport",
    "OrgChange",
    "Organization",
    "PartyGroup",
    "PartyGroupMembership",
    "PartyMember",
    "Position",
    "ReportTransition",
    "Task",
    "TaskAssignment",
    "TaskProgress",
    "report_due_date",
    "submission_opens",
]
