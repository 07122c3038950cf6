"""Forms of the major-matter review (a step of 四议两公开 as it was held) and of the village-affairs inspection (a
rectification item, the village's report on one). The actions check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, TextLimitsMixin

from ..models import InspectionItem, MatterStep

__all__ = ["InspectionItemForm", "ItemReportForm", "MatterStepForm"]


class MatterStepForm(TextLimitsMixin, forms.ModelForm):
    """One step as it was held: the date, for the votes the counts, for a publication how it was made."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MatterStep
        fields = [
            "number",
            "held_on",
            "body",
            "entitled",
            "present",
            "in_favour",
            "against",
            "abstained",
            "published_how",
            "note",
        ]
        widgets = {"held_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "body": _("Step 4 only."),
            "entitled": _("Steps 3 and 4: members, representatives, adult villagers or households entitled."),
            "published_how": _("Steps 5 and 6 only."),
        }

    def __init__(self, *args, case, next_step, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].initial = next_step
        self.fields["version"].initial = case.version


class InspectionItemForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = InspectionItem
        fields = ["what", "deadline"]
        widgets = {"deadline": DateInput()}


class ItemReportForm(TextLimitsMixin, forms.Form):
    """The village's report on one of its open items."""

    item = forms.ModelChoiceField(label=_("rectification item"), queryset=InspectionItem.objects.none())
    follow_up = forms.CharField(
        label=_("what the village did"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    done_on = forms.DateField(
        label=_("done on"), required=False, widget=DateInput(), help_text=_("Leave empty while it is not finished.")
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = case.items.filter(verified_on__isnull=True)
