"""Forms of village committees and party groups. The people offered are the village's own members, read once."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, TextLimitsMixin

from ..choices import CommitteePost, MemberStatus
from ..models import BranchCommittee, PartyGroup, PartyMember
from ..models.committees import COMMITTEE_MAX_SEATS

__all__ = ["CommitteeForm", "PartyGroupForm"]


class CommitteeForm(TextLimitsMixin, forms.Form):
    """An election (a new term: its start and seats) or a correction of the running term's seats.

    One member and post per seat, at most COMMITTEE_MAX_SEATS; empty rows are left out. `village` is the
    village, `committee` the term corrected (None: a new term)."""

    term_start = forms.DateField(label=_("term starts"), widget=DateInput, help_text=_("The day of the election."))
    note = forms.CharField(label=_("note"), required=False)  # TITLE_CHARS (TextLimitsMixin), as the model

    def __init__(self, *args, village, committee: BranchCommittee | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        full = PartyMember.objects.filter(branch=village, status=MemberStatus.FULL).order_by("name", "id")
        member_choices = [("", "---------"), *((m.pk, m.name) for m in full)]
        self.members = {m.pk: m for m in full}
        seats = list(committee.seats.all()) if committee is not None else []
        if committee is not None:
            del self.fields["term_start"]
            self.initial.setdefault("note", committee.note)
        else:
            self.initial.setdefault("term_start", timezone.localdate())
        for n in range(1, COMMITTEE_MAX_SEATS + 1):
            seat = seats[n - 1] if n <= len(seats) else None
            self.fields[f"seat_{n}_member"] = forms.TypedChoiceField(
                label=_("Seat %(n)d: member") % {"n": n},
                choices=member_choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=seat.member_id if seat else None,
                help_text=_("Full members of the branch.") if n == 1 else "",
            )
            default_post = CommitteePost.SECRETARY if n == 1 else CommitteePost.MEMBER
            self.fields[f"seat_{n}_post"] = forms.ChoiceField(
                label=_("Seat %(n)d: post") % {"n": n},
                choices=CommitteePost.choices,
                initial=seat.post if seat else default_post,
            )

    def seats(self) -> list[dict]:
        """The filled rows: [{"member": PartyMember, "post": str}]."""
        rows = []
        for n in range(1, COMMITTEE_MAX_SEATS + 1):
            member = self.cleaned_data.get(f"seat_{n}_member")
            if member is not None:
                rows.append({"member": self.members[member], "post": self.cleaned_data[f"seat_{n}_post"]})
        return rows


class PartyGroupForm(TextLimitsMixin, forms.ModelForm):
    """A party group's name, leader, dates and members, chosen among the village's current members."""

    members = forms.ModelMultipleChoiceField(
        label=_("group members"),
        queryset=PartyMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The leader is always a member of the group."),
    )

    class Meta:
        model = PartyGroup
        fields = ["name", "leader", "formed_on", "dissolved_on"]
        widgets = {"formed_on": DateInput, "dissolved_on": DateInput}

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        current = PartyMember.objects.current().filter(branch=village).order_by("name", "id")
        self.fields["leader"].queryset = current
        self.fields["members"].queryset = current
        if self.instance.pk is not None:
            self.initial.setdefault("members", [m.member_id for m in self.instance.memberships.all()])

    def _post_clean(self):
        # The action validates and saves the group; the form checks its own fields only.
        for name in ("name", "leader", "formed_on", "dissolved_on"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
