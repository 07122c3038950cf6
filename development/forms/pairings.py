"""Forms of the pairings: the pairing itself and a progress record. The lead villages offered are those the user
may make lead; any village may be helped. Limits that need a sentence (no pairing with itself, an end before the
start, a negative area) are the action's, which says so at the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, TextLimitsMixin
from branches.choices import OrgKind
from branches.models import Organization

from ..actions.pairings import MAX_TEXT
from ..permissions import pairing_villages

__all__ = ["PairingForm", "ProgressForm"]


class PairingForm(TextLimitsMixin, forms.Form):
    lead_village = forms.ModelChoiceField(label=_("lead village"), queryset=None)
    helped_villages = forms.ModelMultipleChoiceField(
        label=_("villages helped"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any village of the town, never the lead village itself."),
    )
    industry = forms.CharField(label=_("industry"), max_length=100)
    goals = forms.CharField(label=_("goals"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(label=_("start date"), widget=DateInput)
    end_date = forms.DateField(label=_("end date"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_village"].queryset = pairing_villages(user).order_by("tree_id", "lft")
        self.fields["helped_villages"].queryset = Organization.objects.filter(kind=OrgKind.VILLAGE).order_by(
            "tree_id", "lft"
        )


class ProgressForm(TextLimitsMixin, forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput, initial=timezone.localdate)
    area_mu = forms.DecimalField(label=_("area (mu)"), max_digits=10, decimal_places=2)
    households = forms.IntegerField(label=_("households involved"), max_value=10_000_000)
    income_before = forms.DecimalField(
        label=_("income per capita before (yuan)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Of the villages helped, before the pairing."),
    )
    income_after = forms.DecimalField(
        label=_("income per capita after (yuan)"), max_digits=10, decimal_places=2, help_text=_("As of this date.")
    )
    notes = forms.CharField(
        label=_("notes"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
