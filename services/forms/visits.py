"""Forms of household visits: a household of the register, the register's Excel file, a visit, the closing of its
follow-up. Choices offer only what the user may pick (the villages they keep, the officers over the village); the
actions check everything again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.attachments import UploadForm, check_upload
from anding.forms import DateInput, TextLimitsMixin
from branches.models import Organization

from ..household_import import read_rows
from ..models import MAX_HOUSEHOLD_SIZE, VisitTopic
from ..permissions import kept_villages
from ..selectors.visits import visitors

__all__ = ["HouseholdForm", "HouseholdImportForm", "VisitCloseForm", "VisitForm"]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class HouseholdForm(TextLimitsMixin, forms.Form):
    village = forms.ModelChoiceField(label=_("village"), queryset=Organization.objects.none())
    number = forms.CharField(label=_("household number"), max_length=20)
    head_name = forms.CharField(label=_("head of household"), max_length=30)
    address = forms.CharField(label=_("address"), max_length=200)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False, help_text=_("Optional. Shown masked."))
    size = forms.IntegerField(label=_("household size"), min_value=1, max_value=MAX_HOUSEHOLD_SIZE)
    active = forms.BooleanField(
        label=_("active"), required=False, initial=True, help_text=_("Clear it when the household moves away.")
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        if household is not None and not self.is_bound:
            self.initial.update(
                village=household.village_id,
                number=household.number,
                head_name=household.head_name,
                address=household.address,
                size=household.size,
                active=household.active,
                note=household.note,
            )
        villages = kept_villages(user)
        self.fields["village"].queryset = Organization.objects.filter(pk__in=[v.pk for v in villages]).order_by(
            "tree_id", "lft"
        )
        if household is not None and household.phone:
            # Never send the stored phone back to the browser.
            self.fields["phone"].help_text = _("Leave empty to keep %(masked)s.") % {"masked": household.phone_masked}


class HouseholdImportForm(UploadForm):
    """A register in Excel (.xlsx), checked by its content; `rows` holds its rows once valid."""

    file = forms.FileField(
        label=_("register file"),
        help_text=_("An Excel file (.xlsx) laid out as the template: one household per row."),
    )
    rows: list[dict] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an Excel file (.xlsx)."), code="import_type")
        check_upload(upload)
        self.rows = read_rows(upload)
        upload.seek(0)
        return upload


class VisitForm(TextLimitsMixin, forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput, initial=timezone.localdate)
    leader = UserChoiceField(label=_("led by"), queryset=None)
    cadres = UserMultipleChoiceField(
        label=_("cadres who came"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("topics"), queryset=VisitTopic.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    raised = forms.CharField(label=_("what was raised"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(
        label=_("follow-up"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is to be done, if anything; it goes on its owner's to-do list."),
    )
    follow_up_owner = UserChoiceField(label=_("follow-up owner"), queryset=None, required=False)
    follow_up_due = forms.DateField(label=_("follow-up due on"), required=False, widget=DateInput)

    def __init__(self, *args, household, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = visitors(household.village)
        for name in ("leader", "cadres", "follow_up_owner"):
            self.fields[name].queryset = people
        self.fields["leader"].initial = user.pk


class VisitCloseForm(TextLimitsMixin, forms.Form):
    closed_on = forms.DateField(label=_("closed on"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(label=_("closing note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
