"""村级班子调整建议: the general branch proposes a change in a village's leadership (who, from which post to which,
why), supported by final cadre evaluations of the village; the town decides. The village never sees a proposal."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ...choices import PowerCode
from ..members import PartyMember
from .base import PowerCase
from .evaluation import CadreEvaluation

__all__ = ["LeadershipAdjustment"]


class LeadershipAdjustment(PowerCase):
    """A proposed change: the member concerned, the kind of change, the post held and the post proposed, the reasons,
    the evaluations behind it, and the town's decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PROPOSED = "proposed", _("proposed to the town")
        APPROVED = "approved", _("approved by the town")
        REJECTED = "rejected", _("rejected by the town")

    class Kind(models.TextChoices):
        APPOINT = "appoint", _("appoint")
        REMOVE = "remove", _("remove from post")
        CHANGE = "change", _("change post")
        OTHER = "other", _("other")

    power = PowerCode.LEADERSHIP_ADJUSTMENT
    village_sees = None  # the village never sees a proposal about its leadership

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    member = models.ForeignKey(
        PartyMember, verbose_name=_("member concerned"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of change"), max_length=20, choices=Kind.choices)
    from_post = models.CharField(
        _("from post"),
        max_length=40,
        blank=True,
        help_text=_("The post held now, e.g. 组织委员 (empty for an appointment)."),
    )
    to_post = models.CharField(
        _("to post"), max_length=40, blank=True, help_text=_("The post proposed, e.g. 支部书记 (empty for a removal).")
    )
    reason = models.TextField(_("why"), max_length=5000)
    evaluations = models.ManyToManyField(
        CadreEvaluation, verbose_name=_("supporting evaluations"), blank=True, related_name="adjustments"
    )
    decision = models.TextField(_("the town's decision"), max_length=5000, blank=True, editable=False)

    class Meta(PowerCase.Meta):
        verbose_name = _("leadership-adjustment proposal")
        verbose_name_plural = _("leadership-adjustment proposals")

    def clean(self):
        super().clean()
        self.from_post = (self.from_post or "").strip()
        self.to_post = (self.to_post or "").strip()
        if self.member_id and self.village_id and self.member.branch_id != self.village_id:
            raise ValidationError({"member": _("The member concerned must be a member of the village.")})
        K = self.Kind
        if self.kind in (K.APPOINT, K.CHANGE) and not self.to_post:
            raise ValidationError({"to_post": _("Say which post is proposed.")})
        if self.kind in (K.REMOVE, K.CHANGE) and not self.from_post:
            raise ValidationError({"from_post": _("Say which post is held now.")})
        if self.kind == K.CHANGE and self.from_post == self.to_post:
            raise ValidationError({"to_post": _("The proposed post is the one held now.")})
