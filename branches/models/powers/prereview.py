"""党员发展预审: the general branch's pre-review of a candidate (细则 第十九条, step 13 of the recruitment) before the
town's. Step 13 of the recruitment case cannot be recorded until this is approved."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ...choices import PowerCode
from ..recruitment import RecruitmentCase
from .base import PowerCase

__all__ = ["RecruitmentPreReview"]

PREREVIEW_FROM_STEP = 12  # the branch committee's examination comes first


class RecruitmentPreReview(PowerCase):
    """The pre-review of one recruitment case: the village (or the general branch's officers) submit the candidate's
    file, the general-branch secretary approves it or returns it with the reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")

    power = PowerCode.RECRUITMENT_PREREVIEW
    village_sees = Q()  # always: it is the village's own candidate

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    recruitment = models.OneToOneField(
        RecruitmentCase,
        verbose_name=_("recruitment case"),
        on_delete=models.PROTECT,
        related_name="prereview",
    )
    summary = models.TextField(
        _("conditions and training"),
        max_length=5000,
        blank=True,
        help_text=_("What was checked: the conditions, the political review, the training."),
    )

    class Meta(PowerCase.Meta):
        verbose_name = _("recruitment pre-review")
        verbose_name_plural = _("recruitment pre-reviews")

    def clean(self):
        super().clean()
        case = self.recruitment if self.recruitment_id else None
        if case is None:
            return
        if case.village_id != self.village_id:
            raise ValidationError({"recruitment": _("The recruitment case belongs to another village.")})
        if self._state.adding and case.last_step < PREREVIEW_FROM_STEP:
            raise ValidationError(
                {"recruitment": _("A pre-review opens once the branch committee's examination (step 12) is recorded.")}
            )
