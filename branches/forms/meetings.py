"""Forms of meetings: plan one, record it as held (with its attendance), review it, set a work meeting's agenda.

Choice fields offer only what is in the user's scope; the people on an attendance list come from the server.
"""

import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from anding.attachments import UploadForm
from anding.forms import LONG_TEXT_CHARS, DateInput, ScopedFormMixin, TextLimitsMixin

from ..choices import MEETING_KINDS_BY_ORG, MeetingKind, OrgKind
from ..models import Meeting, MeetingAttendance, Organization, PartyGroup

__all__ = [
    "MAX_AGENDA_ITEMS",
    "AgendaRowForm",
    "AttendanceForm",
    "MeetingAttachmentForm",
    "MeetingPlanForm",
    "MeetingRecordForm",
    "MeetingReviewForm",
    "agenda_formset_class",
    "default_meeting_title",
]

MAX_AGENDA_ITEMS = 15
PLANNABLE_KINDS = (OrgKind.VILLAGE, OrgKind.GENERAL, OrgKind.TOWN)


def default_meeting_title(kind: str, on) -> str:
    """A title such as “2026年11月支委会” / “November 2026 branch committee meeting”."""
    return _("%(month)s %(kind)s") % {"month": date_format(on, "YEAR_MONTH_FORMAT"), "kind": MeetingKind(kind).label}


def _kind_choices(org_kinds) -> list:
    """The kinds the given kinds of organization hold, grouped by kind of organization when there are several."""
    groups = [
        (OrgKind(k).label, [(m.value, m.label) for m in MEETING_KINDS_BY_ORG[k]])
        for k in PLANNABLE_KINDS
        if k in org_kinds
    ]
    if len(groups) == 1:
        return [("", "---------"), *groups[0][1]]
    return [("", "---------"), *groups]


class MeetingPlanForm(TextLimitsMixin, ScopedFormMixin, forms.Form):
    scope_action = "change"
    organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.filter(kind__in=PLANNABLE_KINDS),
        help_text=_("The organization that holds the meeting."),
    )
    kind = forms.ChoiceField(label=_("kind of meeting"))
    party_group = forms.ModelChoiceField(
        label=_("party group"),
        queryset=PartyGroup.objects.active().select_related("village"),
        required=False,
        help_text=_("For a party group meeting: the group that meets. Its members make the attendance list."),
    )
    title = forms.CharField(label=_("title"), max_length=100)
    planned_for = forms.DateField(label=_("planned date"), widget=DateInput)
    topics = forms.CharField(
        label=_("topics"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The items on the agenda, one per line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org_kinds = set(self.fields["organization"].queryset.values_list("kind", flat=True).distinct())
        self.fields["kind"].choices = _kind_choices(org_kinds)
        if not self.is_bound:
            kind = self.initial.get("kind")
            if kind in MeetingKind.values and not self.initial.get("title"):
                self.initial["title"] = default_meeting_title(
                    kind, self.initial.get("planned_for") or timezone.localdate()
                )

    def clean(self):
        cleaned = super().clean()
        org, kind = cleaned.get("organization"), cleaned.get("kind")
        if org is not None and kind and kind not in MEETING_KINDS_BY_ORG.get(org.kind, []):
            self.add_error(
                "kind",
                _("A %(org_kind)s does not hold a %(kind)s.")
                % {"org_kind": org.get_kind_display(), "kind": MeetingKind(kind).label},
            )
        group = cleaned.get("party_group")
        if group is None and kind == MeetingKind.PARTY_GROUP and "party_group" not in self.errors:
            self.add_error("party_group", _("Choose the party group that meets: its members are the attendance list."))
        if group is not None and org is not None and kind == MeetingKind.PARTY_GROUP and group.village_id != org.pk:
            self.add_error(
                "party_group", _("%(group)s is not a party group of %(org)s.") % {"group": group.name, "org": org.name}
            )
        return cleaned


class MeetingRecordForm(TextLimitsMixin, forms.ModelForm):
    """The minutes of a meeting. The attendance is a second form (AttendanceForm) on the same page."""

    text_limits = {"minutes": LONG_TEXT_CHARS, "decisions": LONG_TEXT_CHARS}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = ["title", "held_on", "place", "host", "recorder", "observers", "topics", "minutes", "decisions"]
        widgets = {
            "held_on": DateInput,
            "topics": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "held_on": _("Not later than today."),
            "observers": _("People attending without a vote, if any."),
            "minutes": _("What was said on each item."),
            "decisions": _("How each decision was taken (for example a show of hands) and its result."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].required = True
        self.fields["version"].initial = self.instance.version
        if not self.is_bound and self.instance.held_on is None:
            self.initial["held_on"] = min(self.instance.planned_for, timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:
            # A hidden field the user cannot see or fix: say so where they will read it.
            self.add_error(None, _("The page was damaged. Reload it and enter the record again."))
        return cleaned

    def _post_clean(self):
        # The service validates and saves the meeting; the form only checks its own fields.
        pass


class AttendanceForm(TextLimitsMixin, forms.Form):
    """One “present” checkbox and one absence reason per person on the server-side list `people`.

    `people` is a list of dicts from selectors.meeting_attendees (key, member or user, name, role). Fields of a
    person who is not on the list are never read; posting one is refused with an error.
    """

    KEY_RE = re.compile(r"^(present|reason)_([mu]\d+)$")

    def __init__(self, *args, people, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        existing = existing or {}
        for person in people:
            key = person["key"]
            line = existing.get(key)
            self.fields[f"present_{key}"] = forms.BooleanField(
                label=_("%(name)s present") % {"name": person["name"]},
                required=False,
                initial=True if line is None else line.present,
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label=_("Reason %(name)s was absent") % {"name": person["name"]},
                required=False,
                max_length=MeetingAttendance._meta.get_field("absence_reason").max_length,
                initial="" if line is None else line.absence_reason,
            )

    def clean(self):
        cleaned = super().clean()
        known = {p["key"] for p in self.people}
        strangers = sorted(
            {m.group(2) for name in self.data if (m := self.KEY_RE.match(name)) and m.group(2) not in known}
        )
        if strangers:
            raise forms.ValidationError(
                _("The attendance names people who are not on this meeting's list: %(ids)s. Nothing was saved.")
                % {"ids": ", ".join(strangers)},
                code="stranger",
            )
        for person in self.people:
            key = person["key"]
            if f"reason_{key}" in self.errors:
                continue
            if not cleaned.get(f"present_{key}") and not (cleaned.get(f"reason_{key}") or "").strip():
                self.add_error(
                    f"reason_{key}", _("Give the reason why %(name)s was absent.") % {"name": person["name"]}
                )
        return cleaned

    def rows(self):
        """(person, present field, reason field) for the template."""
        return [(p, self[f"present_{p['key']}"], self[f"reason_{p['key']}"]) for p in self.people]

    def lines(self) -> list[dict]:
        """The cleaned attendance: [{"member" or "user", "present", "absence_reason"}]."""
        result = []
        for p in self.people:
            present = bool(self.cleaned_data.get(f"present_{p['key']}"))
            reason = (self.cleaned_data.get(f"reason_{p['key']}") or "").strip()
            result.append(
                {
                    "member": p["member"],
                    "user": p["user"],
                    "present": present,
                    "absence_reason": "" if present else reason,
                }
            )
        return result


class MeetingReviewForm(TextLimitsMixin, forms.Form):
    review_comment = forms.CharField(
        label=_("review comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was good, and what the branch should do better."),
    )

    def clean_review_comment(self):
        value = self.cleaned_data["review_comment"].strip()
        if not value:
            raise forms.ValidationError(_("Write a review comment."))
        return value


class AgendaRowForm(TextLimitsMixin, forms.Form):
    """One agenda item. The task and village choices are read once for the whole formset."""

    title = forms.CharField(label=_("item"), max_length=200)
    task = forms.TypedChoiceField(label=_("deployed task"), required=False, coerce=int, empty_value=None)
    village = forms.TypedChoiceField(label=_("village"), required=False, coerce=int, empty_value=None)
    outcome = forms.CharField(label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tasks, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks, self.villages = tasks, villages
        self.fields["task"].choices = [("", "---------")] + [(t.pk, t.title) for t in tasks.values()]
        self.fields["village"].choices = [("", "---------")] + [(v.pk, v.name) for v in villages.values()]

    def clean(self):
        cleaned = super().clean()
        cleaned["task"] = self.tasks.get(cleaned.get("task")) if cleaned.get("task") else None
        cleaned["village"] = self.villages.get(cleaned.get("village")) if cleaned.get("village") else None
        return cleaned


class BaseAgendaFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this item")

    def lines(self) -> list[dict]:
        """The items kept, in order: rows left empty or marked for removal are dropped."""
        return [
            {
                "title": f.cleaned_data["title"],
                "task": f.cleaned_data["task"],
                "village": f.cleaned_data["village"],
                "outcome": f.cleaned_data.get("outcome", ""),
            }
            for f in self.forms
            if f.cleaned_data.get("title") and not self._should_delete_form(f)
        ]


def agenda_formset_class(existing: int):
    """A formset with the existing items and a few empty rows, never more than MAX_AGENDA_ITEMS in all."""
    return forms.formset_factory(
        AgendaRowForm,
        formset=BaseAgendaFormSet,
        extra=max(0, min(3, MAX_AGENDA_ITEMS - existing)),
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_AGENDA_ITEMS,
        validate_max=True,
        absolute_max=MAX_AGENDA_ITEMS,
    )


class MeetingAttachmentForm(UploadForm):
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "PDF, PNG, JPEG, Word or Excel, at most 10 MB: for example the signed minutes or the sign-in sheet."
        ),
    )
