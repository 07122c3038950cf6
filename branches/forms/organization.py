"""Forms of the branches app. Choice fields offer only what is in the user's scope."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anding.attachments import UploadForm, check_upload
from anding.forms import DateInput, ScopedFormMixin, TextLimitsMixin

from ..choices import Gender, OrgKind
from ..id_lookup import id_number_lookup, id_number_taken
from ..models import Organization, PartyMember
from ..roster_import import read_rows
from ..validators import id_number_birth_date, id_number_is_male

__all__ = ["IdNumberRevealForm", "MemberForm", "MemberImportForm"]


class MemberForm(TextLimitsMixin, ScopedFormMixin, forms.ModelForm):
    """Add or edit a member; the branch is a village the user may change."""

    scope_action = "change"
    branch = forms.ModelChoiceField(label=_("branch"), queryset=Organization.objects.filter(kind=OrgKind.VILLAGE))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PartyMember
        fields = [
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "branch",
            "status",
            "joined_on",
            "full_member_on",
        ]
        widgets = {"birth_date": DateInput, "joined_on": DateInput, "full_member_on": DateInput}
        help_texts = {
            "id_number": _("18 characters; the last may be X. Shown masked after saving."),
            "phone": _("Optional. Shown masked after saving."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        if self.instance.pk:
            # Never send the stored ID number or phone back to the browser.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep %(masked)s.") % {
                "masked": self.instance.id_number_masked
            }
            self.initial["id_number"] = ""
            self.fields["phone"].help_text = _("Leave empty to keep %(masked)s.") % {
                "masked": self.instance.phone_masked
            }
            self.initial["phone"] = ""

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if not value and self.instance.pk:
            return self.instance.id_number
        return value

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if not value and self.instance.pk:
            return self.instance.phone
        return value

    def clean(self):
        cleaned = super().clean()
        id_number, birth_date, gender = cleaned.get("id_number"), cleaned.get("birth_date"), cleaned.get("gender")
        if id_number and "id_number" not in self.errors:
            if birth_date and id_number_birth_date(id_number) != birth_date:
                self.add_error("birth_date", _("The birth date does not match the one in the ID number."))
            if gender and (gender == Gender.MALE) != id_number_is_male(id_number):
                self.add_error("gender", _("The gender does not match the one in the ID number."))
        return cleaned

    def _post_clean(self):
        # Uniqueness of the ID number is checked against its blind index: an audited, limited lookup when typed.
        super()._post_clean()
        if "id_number" not in self.errors and self.instance.id_number:
            self.instance.sync_digest()
            if self.cleaned_data.get("id_number") and self.data.get(self.add_prefix("id_number")):
                try:
                    id_number_lookup(self.user, self.instance.id_number, purpose="duplicate_check")
                except ValidationError as exc:
                    self.add_error("id_number", exc)
                    return
            if id_number_taken(self.instance):
                self.add_error(
                    "id_number",
                    ValidationError(_("A member with this ID number is already on the roster."), code="unique"),
                )


class MemberImportForm(UploadForm):
    """An Excel roster (.xlsx), checked by its content; `rows` holds its rows once valid."""

    file = forms.FileField(
        label=_("roster file"), help_text=_("An Excel file (.xlsx) laid out as the template: one member per row.")
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


class IdNumberRevealForm(forms.Form):
    """Why the full ID number is needed: kept in the audit trail with the reveal."""

    reason = forms.CharField(
        label=_("reason"),
        min_length=4,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Why you need the full number (for example: checking the file for a transfer). It is kept in the audit trail."
        ),
        error_messages={"required": _("Give the reason why you need the full number.")},
    )
