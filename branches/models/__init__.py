from .committees import BranchCommittee, CommitteeSeat, PartyGroup, PartyGroupMembership
from .meetings import AgendaItem, Meeting, MeetingAttachment, MeetingAttendance
from .members import PartyMember
from .organization import Organization, OrgChange, Position
from .powers import (
    AffairsInspection,
    CaseAttachment,
    CaseEvent,
    MajorMatter,
    MatterStep,
    OrganizationGuidance,
    Power,
    PowerCase,
    RectificationItem,
    case_models,
)
from .reports import MonthlyReport, ReportTransition, report_due_date, submission_opens
from .tasks import Task, TaskAssignment, TaskProgress

__all__ = [
    "AffairsInspection",
    "AgendaItem",
    "BranchCommittee",
    "CaseAttachment",
    "CaseEvent",
    "CommitteeSeat",
    "MajorMatter",
    "MatterStep",
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
    "RectificationItem",
    "ReportTransition",
    "Task",
    "TaskAssignment",
    "TaskProgress",
    "case_models",
    "report_due_date",
    "submission_opens",
]
