from .committees import BranchCommittee, CommitteeSeat, PartyGroup, PartyGroupMembership
from .meetings import AgendaItem, Meeting, MeetingAttachment, MeetingAttendance
from .members import PartyMember
from .organization import Organization, OrgChange, Position
from .powers import (
    CadreEvaluation,
    CaseAttachment,
    CaseEvent,
    EvaluationScheme,
    LeadershipAdjustment,
    OrganizationGuidance,
    Power,
    PowerCase,
    RectificationItem,
    case_models,
)
from .reports import MonthlyReport, ReportTransition, report_due_date, submission_opens
from .tasks import Task, TaskAssignment, TaskProgress

__all__ = [
    "AgendaItem",
    "BranchCommittee",
    "CadreEvaluation",
    "CaseAttachment",
    "CaseEvent",
    "CommitteeSeat",
    "EvaluationScheme",
    "LeadershipAdjustment",
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
