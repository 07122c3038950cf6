"""Forms of deployed tasks: deploying a task and reporting progress. Choices offer only what is in the user's
scope; the services check everything again."""

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from anding.forms import DateInput, TextLimitsMixin

from .. import selectors
from ..choices import OrgKind, TaskAssignmentStatus

__all__ = ["TaskDeployForm", "TaskProgressForm"]


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in groups (one per general branch), rendered with the project's template engine."""

    template_name = "branches/task_assignee_widget.html"

    def id_for_label(self, id_, index=None):
        # The field's label points at the first checkbox (of the first group), never at nothing.
        return f"{id_}_0_0" if id_ and index is None else super().id_for_label(id_, index)

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


def _grouped_choices(organizations) -> list:
    """[(general branch name, [(pk, label), ...]), ...]: each general branch first in its group, then its villages;
    villages directly under the town in a group named after the town."""
    groups: dict[int, tuple[str, list]] = {}
    for org in organizations:
        if org.kind == OrgKind.GENERAL:
            key, group_name, label = org.pk, org.name, _("%(name)s (the general branch itself)") % {"name": org.name}
        else:
            parent = org.parent
            key, group_name, label = parent.pk, parent.name, org.name
        groups.setdefault(key, (group_name, []))[1].append((org.pk, label))
    return list(groups.values())


class TaskDeployForm(TextLimitsMixin, forms.Form):
    issued_by = forms.ModelChoiceField(
        label=_("deployed by"),
        queryset=None,
        help_text=_("The organization in whose name the task is deployed."),
    )
    title = forms.CharField(label=_("title"))  # TITLE_CHARS (TextLimitsMixin)
    description = forms.CharField(
        label=_("description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is to be done, and what the assignees should report."),
    )
    due_date = forms.DateField(label=_("due date"), widget=DateInput)
    assignees = forms.ModelMultipleChoiceField(
        label=_("assignees"),
        queryset=None,
        widget=GroupedCheckboxes,
        help_text=_("General branches and villages under the deploying organization."),
        error_messages={
            "required": _("Choose at least one general branch or village."),
            "invalid_choice": _("Choose only general branches and villages under the deploying organization."),
            "invalid_pk_value": _("“%(pk)s” is not a valid choice."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        issuers = selectors.task_deploy_issuers(user)
        self.fields["issued_by"].queryset = issuers
        issuer_list = list(issuers)
        if len(issuer_list) == 1:
            self.fields["issued_by"].initial = issuer_list[0].pk
        assignees = selectors.task_assignee_choices(user, issuer_list)
        self.fields["assignees"].queryset = assignees
        self.fields["assignees"].widget.choices = _grouped_choices(assignees)
        self.fields["due_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_due_date(self):
        # Checked here too (the service is the authority) so that every error shows at once.
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_date


class TaskProgressForm(TextLimitsMixin, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=TaskAssignmentStatus.choices)
    note = forms.CharField(
        label=_("progress"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What has been done since the last report; when completing, what was achieved."),
        error_messages={"required": _("Describe the progress.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = assignment.version
        current = assignment.status
        self.fields["status"].initial = (
            TaskAssignmentStatus.IN_PROGRESS if current == TaskAssignmentStatus.PENDING else current
        )
