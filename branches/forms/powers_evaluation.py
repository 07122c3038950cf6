"""Forms of cadre evaluations (干部考核评议) and leadership-adjustment proposals (村级班子调整建议): the case forms with
the member chosen among the members of the case's village (or of the villages the user may open cases for), the
scores and tallies, the rectification items, and the evaluations behind a proposal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, TextLimitsMixin

from .. import selectors
from ..models import CadreEvaluation, EvaluationScheme, PartyMember, RectificationItem
from ..models.powers.evaluation import DIMENSIONS, VOTES, Grade
from .powers import CaseFormBase

__all__ = [
    "AdjustmentSupportForm",
    "EvaluationScoreForm",
    "MemberCaseForm",
    "RectificationAddForm",
    "RectificationDoneForm",
    "RectificationRemoveForm",
]


class MemberCaseForm(CaseFormBase):
    """A case about a member: opening, the members of the villages offered; correcting, those of the case's village."""

    def __init__(self, *args, user, village_roles=None, **kwargs):
        super().__init__(*args, user=user, village_roles=village_roles, **kwargs)
        if "member" not in self.fields:
            return
        members = PartyMember.objects.restrict(user).select_related("branch")
        if self.instance.pk is None:
            members = members.filter(branch__in=selectors.power_villages(user, village_roles or ()))
        else:
            members = members.filter(branch=self.instance.village_id)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.branch.name} · {m.name}"

    def clean(self):
        cleaned = super().clean()
        member, village = cleaned.get("member"), cleaned.get("village") or self.instance_village()
        if member is not None and village is not None and member.branch_id != village.pk:
            self.add_error("member", _("The member must belong to the village chosen."))
        return cleaned

    def instance_village(self):
        return self.instance.village if self.instance.village_id else None


class EvaluationScoreForm(TextLimitsMixin, forms.Form):
    """The scores (0–100, one decimal) of the five dimensions, the democratic vote's tallies and the scheme."""

    scheme = forms.ModelChoiceField(label=_("scheme"), queryset=EvaluationScheme.objects.all(), empty_label=None)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: CadreEvaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version
        self.fields["scheme"].initial = case.scheme_id or EvaluationScheme.objects.filter(is_default=True).first()
        for code, label in DIMENSIONS:
            self.fields[f"score_{code}"] = forms.DecimalField(
                label=label,
                min_value=0,
                max_value=100,
                max_digits=4,
                decimal_places=1,
                required=False,
                initial=getattr(case, f"score_{code}"),
                error_messages={
                    "min_value": _("A score is between 0 and 100."),
                    "max_value": _("A score is between 0 and 100."),
                },
            )
        for grade in VOTES:
            self.fields[f"votes_{grade}"] = forms.IntegerField(
                label=_("votes for %(grade)s") % {"grade": Grade(grade).label},
                min_value=0,
                max_value=100000,
                initial=getattr(case, f"votes_{grade}"),
                error_messages={"min_value": _("A number of votes cannot be negative.")},
            )


class RectificationAddForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = RectificationItem
        fields = ["text", "deadline"]
        widgets = {"deadline": DateInput()}


class _ItemChoiceForm(TextLimitsMixin, forms.Form):
    """A form about one item of the case's rectification list (`items`: those it may be about)."""

    item = forms.ModelChoiceField(label=_("item"), queryset=RectificationItem.objects.none())

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class RectificationDoneForm(_ItemChoiceForm):
    done_on = forms.DateField(label=_("done on"), widget=DateInput())
    note = forms.CharField(label=_("how it was done"), max_length=200, required=False)


class RectificationRemoveForm(_ItemChoiceForm):
    pass


class AdjustmentSupportForm(TextLimitsMixin, forms.Form):
    """The final evaluations of the proposal's village that support it."""

    evaluations = forms.ModelMultipleChoiceField(
        label=_("supporting evaluations"),
        queryset=CadreEvaluation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version
        self.fields["evaluations"].queryset = choices
        self.fields["evaluations"].initial = [e.pk for e in case.evaluations.all()]
        self.fields["evaluations"].label_from_instance = lambda e: (
            f"{e.title} · {e.cadre} · {e.period_label} · {e.get_grade_display() or '—'}"
        )
