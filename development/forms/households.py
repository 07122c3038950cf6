"""Forms of "general branch + N households": a resource, a training it gave, a shared sale."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, TextLimitsMixin
from branches.models import PartyMember
from services.models import Household

from ..choices import ResourceKind
from ..permissions import branch_generals

__all__ = ["ResourceForm", "SaleForm", "TrainingForm"]


class ResourceForm(TextLimitsMixin, forms.Form):
    general_branch = forms.ModelChoiceField(label=_("general branch"), queryset=None)
    kind = forms.ChoiceField(label=_("kind"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("name"), max_length=100)
    specialty = forms.CharField(label=_("specialty"), max_length=200)
    member = forms.ModelChoiceField(
        label=_("party member"),
        queryset=None,
        required=False,
        help_text=_("For a party-member expert: the member, of a village of the general branch."),
    )
    households = forms.ModelMultipleChoiceField(
        label=_("households linked"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("The households of the general branch's villages that the resource works with."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        generals = branch_generals(user)
        self.fields["general_branch"].queryset = generals.order_by("tree_id", "lft")
        self.fields["member"].queryset = (
            PartyMember.objects.current().filter(branch__parent__in=generals).select_related("branch")
        ).order_by("branch__lft", "name")
        self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.branch.name}）"
        self.fields["households"].queryset = (
            Household.objects.filter(village__parent__in=generals, active=True)
            .select_related("village")
            .order_by("village__lft", "number")
        )
        self.fields["households"].label_from_instance = lambda h: f"{h.village.name} {h.number} {h.head_name}"


class TrainingForm(TextLimitsMixin, forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput, initial=timezone.localdate)
    topic = forms.CharField(label=_("topic"), max_length=200)
    person_times = forms.IntegerField(label=_("person-times"), max_value=10_000_000)


class SaleForm(TextLimitsMixin, forms.Form):
    general_branch = forms.ModelChoiceField(label=_("general branch"), queryset=None)
    product = forms.CharField(label=_("product"), max_length=100)
    channel = forms.CharField(label=_("channel"), max_length=100)
    quantity_jin = forms.DecimalField(label=_("quantity (jin)"), max_digits=12, decimal_places=2)
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=14, decimal_places=2)
    date = forms.DateField(label=_("date"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["general_branch"].queryset = branch_generals(user).order_by("tree_id", "lft")
