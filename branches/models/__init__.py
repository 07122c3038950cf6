from .committees import BranchCommittee, CommitteeSeat, PartyGroup, PartyGroupMembership
from .meetings import AgendaItem, Meeting, MeetingAttachment, MeetingAttendance
from .members import PartyMember
from .organization import Organization, OrgChange, Position
from .powers import (
    CadreEvaluation,
    CaseAttachment,
    CaseEvent,
    EmergencyAction,
    EmergencyIncident,
    EmergencyReport,
    EvaluationScheme,
    LeadershipAdjustment,
    OrganizationGuidance,
    Power,
    PowerCase,
    RecruitmentPreReview,
    RectificationItem,
    case_models,
)
from .recruitment import RecruitmentCase, RecruitmentRule, RecruitmentStep, Stage
from .reports import MonthlyReport, ReportTransition, report_due_date, submission_opens
from .tasks import Task, TaskAssignment, TaskProgress

__all__ = [
    "AgendaItem",
    "BranchCommittee",
    "CadreEvaluation",
    "CaseAttachment",
    "CaseEvent",
    "CommitteeSeat",
    "EmergencyAction",
    "EmergencyIncident",
    "EmergencyReport",
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
    "RecruitmentCase",
    "RecruitmentPreReview",
    "RecruitmentRule",
    "RecruitmentStep",
    "RectificationItem",
    "ReportTransition",
    "Stage",
    "Task",
    "TaskAssignment",
    "TaskProgress",
    "case_models",
    "report_due_date",
    "submission_opens",
]
