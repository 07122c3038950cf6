"""Forms of emergencies (紧急情况处置): the case's own fields (with date-and-time pickers), a report of the timeline and
an entry of the actions log. The actions check the times against the emergency and its reports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anding.forms import TextLimitsMixin

from ..models import EmergencyReport
from .powers import CaseFormBase

__all__ = ["DateTimeInput", "EmergencyActionForm", "EmergencyCaseForm", "EmergencyReportForm"]


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; its value is ISO (YYYY-MM-DDTHH:MM) whatever the page's language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class EmergencyCaseForm(CaseFormBase):
    """The case form, its times with the date-and-time picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.widget = DateTimeInput()


class EmergencyReportForm(TextLimitsMixin, forms.Form):
    """A report of the timeline: its kind (those the case takes now), time, content, who reported and to whom."""

    kind = forms.ChoiceField(label=_("kind of report"), choices=EmergencyReport.Kind.choices)
    reported_at = forms.DateTimeField(label=_("reported at"), widget=DateTimeInput())
    content = forms.CharField(
        label=_("content"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A follow-up report gives what changed since the last one."),
    )
    reporter = forms.CharField(label=_("reported by"))
    recipient = forms.CharField(label=_("reported to"), help_text=_("e.g. the town's emergency office"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text_limits = {"reporter": 100, "recipient": 100}

    def __init__(self, *args, kinds, case, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(EmergencyReport.Kind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds or labels]  # none: the action says why
        self.fields["version"].initial = case.version


class EmergencyActionForm(TextLimitsMixin, forms.Form):
    at = forms.DateTimeField(label=_("at"), widget=DateTimeInput())
    action = forms.CharField(label=_("action taken"), widget=forms.Textarea(attrs={"rows": 4}))
    taken_by = forms.CharField(label=_("by whom"))
    text_limits = {"action": 2000}
