"""Forms of the external partnerships: a partner, an event. The general branches offered are those the user
records for; limits that need a sentence (a negative count) are the action's, which says so at the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, TextLimitsMixin

from ..choices import EventKind, PartnerKind
from ..models import Partner
from ..permissions import branch_generals

__all__ = ["EventForm", "PartnerForm"]


class PartnerForm(TextLimitsMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=PartnerKind.choices)
    contact_note = forms.CharField(
        label=_("contact note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EventForm(TextLimitsMixin, forms.Form):
    general_branch = forms.ModelChoiceField(label=_("general branch"), queryset=None)
    partner = forms.ModelChoiceField(label=_("partner"), queryset=Partner.objects.all())
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    date = forms.DateField(label=_("date"), widget=DateInput, initial=timezone.localdate)
    title = forms.CharField(label=_("title"), max_length=200)
    people_employed = forms.IntegerField(label=_("people employed"), initial=0, max_value=10_000_000)
    person_times_trained = forms.IntegerField(label=_("person-times trained"), initial=0, max_value=10_000_000)
    contracts = forms.IntegerField(label=_("contracts"), initial=0, max_value=10_000_000)
    amount = forms.DecimalField(label=_("amount (yuan)"), initial=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["general_branch"].queryset = branch_generals(user).order_by("tree_id", "lft")
