"""Forms of the recruitment (发展党员): open a case with the application, record the next step, end a case; and the
pre-review's form, whose candidate is a recruitment case in scope that reached step 12."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, ScopedFormMixin, TextLimitsMixin

from ..choices import Gender, OrgKind
from ..models import Organization, RecruitmentCase, RecruitmentPreReview, Stage
from ..models.powers.prereview import PREREVIEW_FROM_STEP
from ..models.recruitment import VOTE_STEPS
from ..validators import id_number_birth_date, id_number_is_male, validate_id_number
from .powers import CaseFormBase

__all__ = ["PreReviewEditForm", "PreReviewOpenForm", "RecruitmentEndForm", "RecruitmentOpenForm", "RecruitmentStepForm"]


class RecruitmentOpenForm(TextLimitsMixin, ScopedFormMixin, forms.Form):
    """A new case: the person and their application (step 1), in a village the user may record for."""

    scope_action = "change"
    village = forms.ModelChoiceField(
        label=_("village branch"), queryset=Organization.objects.filter(kind=OrgKind.VILLAGE)
    )
    name = forms.CharField(label=_("name"), max_length=30)
    gender = forms.ChoiceField(label=_("gender"), choices=Gender.choices)
    birth_date = forms.DateField(label=_("birth date"), widget=DateInput)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        validators=[validate_id_number],
        help_text=_("18 characters; the last may be X. Shown masked after saving."),
    )
    applied_on = forms.DateField(label=_("application submitted on"), widget=DateInput)
    people = forms.CharField(label=_("people involved"), max_length=200, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        id_number, birth_date, gender = cleaned.get("id_number"), cleaned.get("birth_date"), cleaned.get("gender")
        if id_number and "id_number" not in self.errors:
            if birth_date and id_number_birth_date(id_number) != birth_date:
                self.add_error("birth_date", _("The birth date does not match the one in the ID number."))
            if gender and (gender == Gender.MALE) != id_number_is_male(id_number):
                self.add_error("gender", _("The gender does not match the one in the ID number."))
        return cleaned


class RecruitmentStepForm(TextLimitsMixin, forms.Form):
    """The next step of a case: its date, the people involved, the vote where the step is one, a note."""

    done_on = forms.DateField(label=_("date"), widget=DateInput)
    people = forms.CharField(
        label=_("people involved"),
        max_length=200,
        required=False,
        help_text=_("Training liaisons, sponsors, the interviewer: whoever the step names."),
    )
    expected = forms.IntegerField(label=_("expected (应到)"), min_value=0, max_value=10000)
    present = forms.IntegerField(label=_("present (实到)"), min_value=0, max_value=10000)
    in_favour = forms.IntegerField(
        label=_("in favour (赞成)"),
        min_value=0,
        max_value=10000,
        help_text=_("Written opinions of absent members count."),
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    number = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=25)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: RecruitmentCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version
        self.fields["number"].initial = case.next_step  # the step the page showed: a second submit repeats it
        if case.next_step not in VOTE_STEPS:
            for name in ("expected", "present", "in_favour"):
                del self.fields[name]


class RecruitmentEndForm(TextLimitsMixin, forms.Form):
    stage = forms.ChoiceField(
        label=_("how it ended"),
        choices=[(Stage.WITHDRAWN, Stage.WITHDRAWN.label), (Stage.CANCELLED, Stage.CANCELLED.label)],
    )
    on = forms.DateField(label=_("date"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: RecruitmentCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version


class PreReviewOpenForm(CaseFormBase):
    """Open a pre-review: the candidate is a recruitment case of a village the user may submit for, that reached
    the branch committee's examination and has no pre-review yet; the village and the title follow from it."""

    class Meta:
        model = RecruitmentPreReview
        fields = ["recruitment", "summary", "due_on"]

    def __init__(self, *args, user, village_roles=None, **kwargs):
        super().__init__(*args, user=user, village_roles=village_roles, **kwargs)
        from .. import selectors

        villages = selectors.power_villages(user, village_roles or ())
        field = self.fields["recruitment"]
        field.queryset = (
            RecruitmentCase.objects.restrict(user)
            .filter(village__in=villages, last_step__gte=PREREVIEW_FROM_STEP, prereview__isnull=True)
            .filter(closed_on__isnull=True)
            .select_related("village")
        )
        field.label_from_instance = lambda c: f"{c.village.name} · {c.name}"

    def clean(self):
        cleaned = super().clean()
        case = cleaned.get("recruitment")
        if case is not None:
            cleaned["village"] = case.village
            cleaned["title"] = str(_("Pre-review of %(name)s")) % {"name": case.name}
        return cleaned

    def _post_clean(self):
        case = self.cleaned_data.get("recruitment")
        if case is not None:
            self.instance.village = case.village
        super()._post_clean()


class PreReviewEditForm(CaseFormBase):
    class Meta:
        model = RecruitmentPreReview
        fields = ["summary", "due_on"]
