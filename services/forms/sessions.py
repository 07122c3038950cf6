"""Forms of the services app: opening a half-day, recording a service, closing a follow-up. Choices offer only
what the user may pick; the actions check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, TextLimitsMixin
from branches.choices import OrgKind
from branches.models import Organization

from ..choices import Half, Outcome
from ..models import ServiceCentre, ServiceItem

__all__ = ["FollowUpCloseForm", "RecordForm", "SessionOpenForm"]


class SessionOpenForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("service centre"), queryset=ServiceCentre.objects.none())
    date = forms.DateField(label=_("date"), widget=DateInput, initial=timezone.localdate)
    half = forms.ChoiceField(label=_("half-day"), choices=Half.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = ServiceCentre.objects.restrict(user)


class RecordForm(TextLimitsMixin, forms.Form):
    service_item = forms.ModelChoiceField(label=_("service"), queryset=ServiceItem.objects.none())
    villager_name = forms.CharField(label=_("villager"), max_length=30)
    village = forms.ModelChoiceField(label=_("village"), queryset=Organization.objects.none())
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    request = forms.CharField(label=_("request"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    due_on = forms.DateField(
        label=_("follow-up due on"), required=False, widget=DateInput, help_text=_("Only for a follow-up.")
    )

    def __init__(self, *args, session, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_item"].queryset = ServiceItem.objects.filter(department=department).select_related(
            "category"
        )
        self.fields["village"].queryset = Organization.objects.filter(
            kind=OrgKind.VILLAGE, parent__in=session.centre.general_branches.all()
        ).order_by("tree_id", "lft")


class FollowUpCloseForm(TextLimitsMixin, forms.Form):
    closed_on = forms.DateField(label=_("closed on"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("closing note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
