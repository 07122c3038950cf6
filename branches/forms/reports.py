"""Forms of the monthly reports: the secretary's text, starting a month's report, a return with its reason."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.forms import LONG_TEXT_CHARS, LongModelChoiceField, ScopedFormMixin, TextLimitsMixin

from ..choices import OrgKind
from ..filtersets import MonthField
from ..models import MonthlyReport, Organization

__all__ = [
    "EARLIEST_MONTH",
    "CompletenessForm",
    "ReportForm",
    "ReportReturnForm",
    "ReportReviewForm",
    "ReportStartForm",
]


# Months before this are refused by the forms (a typo such as 0202-10 would otherwise start a report).
EARLIEST_MONTH = datetime.date(2000, 1, 1)


def check_month(month, *, latest=None):
    """Refuse months before EARLIEST_MONTH, and after `latest` when given."""
    if month is None:
        return month
    if month < EARLIEST_MONTH:
        raise ValidationError(
            _("Choose a month from %(month)s on.") % {"month": f"{EARLIEST_MONTH:%Y-%m}"}, code="too_early"
        )
    if latest is not None and month > latest:
        raise ValidationError(_("Choose a month up to %(month)s.") % {"month": f"{latest:%Y-%m}"}, code="too_late")
    return month


COMMENT_CHARS = 2000  # a review comment, in the form and the API


class ReportForm(TextLimitsMixin, forms.ModelForm):
    """The secretary's part of the report; the figures are computed, never typed."""

    text_limits = {"narrative": LONG_TEXT_CHARS}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MonthlyReport
        fields = ["narrative", "problems", "requests"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "problems": forms.Textarea(attrs={"rows": 4}),
            "requests": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "narrative": _("What the branch did this month. Needed before submitting; a draft may be saved empty."),
            "problems": _("Open problems the general branch should know about, one per line."),
            "requests": _("What the village asks of the general branch or the town, one per line."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class ReportStartForm(forms.Form):
    """Which village and month to write a report for. The village is checked by the view (404 / 403)."""

    village = forms.IntegerField(label=_("village branch"), widget=forms.Select, min_value=1)
    month = MonthField(label=_("month"), help_text=_("The month reported on, as YYYY-MM."))

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The choices offer the villages the user writes for; any other village is refused by the view
        # with 404 (out of scope) or 403 (in scope, but not theirs to write).
        self.fields["village"].widget.choices = [("", "---------"), *((v.pk, v.name) for v in villages)]

    def clean_month(self):
        return check_month(self.cleaned_data["month"])


class ReportReturnForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason for returning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tell the village what to correct. The reason is kept in the report's history."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason for returning the report."), code="required")
        return reason


class ReportReviewForm(TextLimitsMixin, forms.Form):
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. The comment is kept in the report's history."),
    )


class CompletenessForm(ScopedFormMixin, forms.Form):
    """The completeness view's choices: the month, and optionally one node above the villages in scope."""

    month = MonthField(label=_("month"), required=False)
    branch = LongModelChoiceField(
        label=_("branch"),
        queryset=Organization.objects.exclude(kind=OrgKind.VILLAGE).order_by("tree_id", "lft"),
        required=False,
        empty_label=_("Everything in my scope"),
        help_text=_("A general branch shows its villages only; a district or the city, a summary per part."),
    )

    def clean_month(self):
        return check_month(self.cleaned_data["month"], latest=timezone.localdate().replace(day=1))
