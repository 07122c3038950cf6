"""Choices of the branches app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "ALL_MEMBER_MEETING_KINDS",
    "MEETING_KINDS_BY_ORG",
    "MONTHLY_MEETING_KINDS",
    "QUARTERLY_MEETING_KINDS",
    "CommitteePost",
    "Gender",
    "MeetingKind",
    "MeetingStatus",
    "MemberStatus",
    "OrgChangeKind",
    "OrgKind",
    "PowerCode",
    "ReportStatus",
    "Role",
    "TaskAssignmentStatus",
]


class OrgKind(models.TextChoices):
    CITY = "city", _("city committee")
    DISTRICT = "district", _("district committee")
    TOWN = "town", _("town party committee")
    GENERAL = "general", _("joint general branch")
    VILLAGE = "village", _("village branch")

    @property
    def rank(self) -> int:
        return list(OrgKind).index(self)


class Role(models.TextChoices):
    TOWN_CADRE = "town_cadre", _("town cadre")
    GENERAL_SECRETARY = "general_secretary", _("secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("committee member")
    VILLAGE_SECRETARY = "village_secretary", _("village branch secretary")
    DEPARTMENT_STAFF = "department_staff", _("department staff")


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("probationary member")
    FULL = "full", _("full member")
    TRANSFERRED_OUT = "transferred_out", _("transferred out")
    DECEASED = "deceased", _("deceased")


class OrgChangeKind(models.TextChoices):
    CREATE = "create", _("created")
    MOVE = "move", _("moved")
    RENAME = "rename", _("renamed")
    UPDATE = "update", _("updated")


class MeetingKind(models.TextChoices):
    BRANCH_ASSEMBLY = "branch_assembly", _("branch assembly")
    BRANCH_COMMITTEE = "branch_committee", _("branch committee meeting")
    PARTY_GROUP = "party_group", _("party group meeting")
    PARTY_LECTURE = "party_lecture", _("party lecture")
    THEMED_DAY = "themed_day", _("themed party day")
    ORG_LIFE = "org_life", _("organizational life meeting")
    WORK_MEETING = "work_meeting", _("monthly work meeting")
    LEADERSHIP = "leadership", _("town leadership meeting")


# Which kinds of meeting each kind of organization holds.
MEETING_KINDS_BY_ORG = {
    "village": [
        MeetingKind.BRANCH_ASSEMBLY,
        MeetingKind.BRANCH_COMMITTEE,
        MeetingKind.PARTY_GROUP,
        MeetingKind.PARTY_LECTURE,
        MeetingKind.THEMED_DAY,
        MeetingKind.ORG_LIFE,
    ],
    "general": [MeetingKind.WORK_MEETING],
    "town": [MeetingKind.LEADERSHIP],
    "district": [],
    "city": [],
}
# 三会一课 and the themed party day: how often a village branch must hold each.
MONTHLY_MEETING_KINDS = (MeetingKind.BRANCH_COMMITTEE, MeetingKind.PARTY_GROUP, MeetingKind.THEMED_DAY)
QUARTERLY_MEETING_KINDS = (MeetingKind.BRANCH_ASSEMBLY, MeetingKind.PARTY_LECTURE)
# Village meetings whose attendance list is every current member (probationary members included, marked); a 支委会
# lists the branch committee, a 党小组会 its party group.
ALL_MEMBER_MEETING_KINDS = (
    MeetingKind.BRANCH_ASSEMBLY,
    MeetingKind.PARTY_LECTURE,
    MeetingKind.THEMED_DAY,
    MeetingKind.ORG_LIFE,
)


class CommitteePost(models.TextChoices):
    """The posts of a village branch committee (支部委员会)."""

    SECRETARY = "secretary", pgettext_lazy("committee post", "secretary")
    DEPUTY_SECRETARY = "deputy_secretary", pgettext_lazy("committee post", "deputy secretary")
    ORGANIZATION = "organization", _("organization member")
    PROPAGANDA = "propaganda", _("propaganda member")
    DISCIPLINE = "discipline", _("discipline member")
    MEMBER = "member", pgettext_lazy("committee post", "committee member")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    REVIEWED = "reviewed", _("reviewed")


class TaskAssignmentStatus(models.TextChoices):
    PENDING = "pending", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("completed")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CHECKED = "checked", _("first review passed")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")


class PowerCode(models.TextChoices):
    """The seven powers delegated to a joint general branch (七项权限), in the order of the source."""

    CADRE_EVALUATION = "cadre_evaluation", _("cadre evaluation")
    LEADERSHIP_ADJUSTMENT = "leadership_adjustment", _("leadership-adjustment proposal")
    MAJOR_MATTER_REVIEW = "major_matter_review", _("preliminary review of major matters")
    AFFAIRS_INSPECTION = "affairs_inspection", _("village-affairs inspection")
    EMERGENCY_RESPONSE = "emergency_response", _("emergency response")
    ORGANIZATION_GUIDANCE = "organization_guidance", _("organization-building guidance")
    RECRUITMENT_PREREVIEW = "recruitment_prereview", _("recruitment pre-review")
