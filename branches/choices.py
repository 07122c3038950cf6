"""Choices of the branches app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Gender", "MemberStatus", "OrgChangeKind", "OrgKind", "Role"]


class OrgKind(models.TextChoices):
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
