"""The party member roster. ID numbers and phones are encrypted at rest and masked for display."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anding.concurrency import VersionedModel
from anding.crypto import EncryptedCharField, blind_index, mask
from anding.history import Tracked
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet

from ..choices import Gender, MemberStatus, OrgKind
from ..validators import validate_id_number, validate_phone
from .organization import Organization

__all__ = ["PartyMember"]


class PartyMemberQuerySet(ScopedQuerySet):
    def current(self):
        """Members still on the roster (probationary and full)."""
        return self.filter(status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL])


class PartyMember(Tracked, VersionedModel, ChangeTrackedModel):
    """A party member on the roster of a village branch."""

    name = models.CharField(_("name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedCharField(_("ID number"), max_length=18, validators=[validate_id_number])
    id_number_digest = models.CharField(max_length=64, editable=False)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    branch = models.ForeignKey(
        Organization,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField(_("joined (probationary) on"))
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)

    objects = PartyMemberQuerySet.as_manager()
    history_exclude = ("id_number_digest",)  # derived from the ID number
    scope_paths = ("branch",)

    class Meta:
        ordering = ["branch__tree_id", "branch__lft", "name", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        # Granted through the groups of anding.duties, never to an administrator role (docs/SECURITY.md).
        permissions = [
            ("reveal_id_number", _("Can reveal a member's full ID number (with a reason, audited)")),
            ("export_members", _("Can export the party-member roster (rate-limited, audited)")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest"],
                name="%(app_label)s_%(class)s_unique_id_number",
                violation_error_message=_("A member with this ID number is already on the roster."),
            ),
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True) | Q(full_member_on__gte=models.F("joined_on")),
                name="%(app_label)s_%(class)s_full_after_joined",
                violation_error_message=_("Full membership cannot start before joining."),
            ),
        ]
        # And on PostgreSQL a trigram index on UPPER(name) for the search (migration 0016_search_indexes).
        indexes = [models.Index(fields=["branch", "status"], name="branches_member_branch_status")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("branches:member_detail", self.pk)

    @property
    def id_number_masked(self) -> str:
        """Only the region code (`110115************`): the birth date is shown beside it and the sequence digits
        would complete the number (docs/SECURITY.md, masking rule)."""
        return mask(self.id_number, head=6, tail=0)

    @property
    def phone_masked(self) -> str:
        return mask(self.phone, head=3, tail=4)

    def sync_digest(self) -> None:
        """Normalise the ID number and derive its blind index (used for uniqueness and exact search)."""
        self.id_number = (self.id_number or "").strip().upper()
        self.id_number_digest = blind_index(self.id_number)

    def save(self, *args, **kwargs):
        self.sync_digest()
        super().save(*args, **kwargs)
