"""Forms of the seven powers: a case's own fields (to open it, or to correct it while its workflow allows), and the
comment that goes with a step. Choices offer only the villages the user may act on; the actions check again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anding.attachments import UploadForm
from anding.forms import DateInput, TextLimitsMixin

from .. import selectors

__all__ = ["CaseAttachmentForm", "CaseFormBase", "CaseTransitionForm", "case_form"]


class CaseFormBase(TextLimitsMixin, forms.ModelForm):
    """A case's own fields. Opening (`village` among the fields): the villages the user may open the power's cases
    for. Correcting: the version the page showed, so that a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, village_roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "village" in self.fields:
            villages = selectors.power_villages(user, village_roles or ())
            self.fields["village"].queryset = villages
            self.fields["village"].label_from_instance = lambda v: f"{v.parent.name} · {v.name}"
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 4


def case_form(model, fields: list[str], base=CaseFormBase):
    """The form of `model`'s case fields (`village` first when opening)."""
    return forms.modelform_factory(model, form=base, fields=fields)


class CaseTransitionForm(TextLimitsMixin, forms.Form):
    """The comment of a step (a reason for a return; the text a step keeps on the case, such as a village's
    response) and the version the page showed."""

    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, step, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version
        comment = self.fields["comment"]
        if not step.comment:
            del self.fields["comment"]
            return
        if step.stores:
            comment.label = case._meta.get_field(step.stores).verbose_name
        elif step.comment == "required":
            comment.label = _("reason")
        if step.comment == "required":
            comment.required = True
            comment.error_messages["required"] = _("Give the reason.") if not step.stores else _("Fill this in.")


class CaseAttachmentForm(UploadForm):
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, PNG, JPEG, Word or Excel, at most 10 MB: a report, a scoring sheet, photos of a site."),
    )
