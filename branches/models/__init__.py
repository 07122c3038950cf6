from .committees import BranchCommittee, CommitteeSeat, PartyGroup, PartyGroupMembership
from .meetings import AgendaItem, Meeting, MeetingAttachment, MeetingAttendance
from .members import PartyMember
from .organization import Organization, OrgChange, Position
from .powers import CaseAttachment, CaseEvent, OrganizationGuidance, Power, PowerCase, case_models
from .powers import AffairsInspection, MajorMatter, MatterStep, RectificationItem
from .reports import MonthlyReport, ReportTransition, report_due_date, submission_opens
from .tasks import Task, TaskAssignment, TaskProgress

__all__ = [
    "AffairsInspection",
    "MajorMatter",
    "MatterStep",
    "RectificationItem",
    "AgendaItem",
    "BranchCommittee",
    "CaseAttachment",
    "CaseEvent",
    "CommitteeSeat",
    "Meeting",
    "MeetingAttachment",
    "MeetingAttendance",
    "MonthlyReport",
    "OrgChange",
    "Organization",
    "OrganizationGuidance",
    "PartyGroup",
    "PartyGroupMembership",
    "PartyMember",
    "Position",
    "Power",
    "PowerCase",
    "ReportTransition",
    "Task",
    "TaskAssignment",
    "TaskProgress",
    "case_models",
    "report_due_date",
    "submission_opens",
]
