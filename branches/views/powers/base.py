"""The pages every power shares, built once on the scoped bases: the list of a power's cases, a case's page (its
fields through the power's own template, its steps, history and files), opening a case, correcting it, taking a
step of its workflow, and its files. `CasePages(model, fields)` makes a power's view classes and URLs; a power adds
its own pages (scores, steps, reports) beside them.
"""

import types
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views import View

from anding import audit
from anding.attachments import attachment_response
from anding.generic import (
    ObjectEditView,
    ObjectListView,
    OnceOnlyFormMixin,
    ScopedDetailView,
    ScopedObjectMixin,
    ServiceFormMixin,
)
from anding.status import steps

from ... import actions, selectors
from ...filtersets import case_filterset
from ...forms import CaseAttachmentForm, CaseTransitionForm, case_form
from ...permissions import has_role_over
from ...tables import CaseTable

__all__ = ["CasePages", "case_crumbs", "case_crumbs_root"]


def case_crumbs_root() -> list:
    return [types.SimpleNamespace(name=_("Seven powers"), get_absolute_url=reverse("branches:power_overview"))]


def case_crumbs(model, case=None) -> list:
    """The breadcrumb of a power's pages: the powers, the power's cases (and the case)."""
    crumbs = [
        *case_crumbs_root(),
        types.SimpleNamespace(
            name=capfirst(model._meta.verbose_name_plural), get_absolute_url=reverse(f"branches:{model.power}_list")
        ),
    ]
    if case is not None:
        crumbs.append(types.SimpleNamespace(name=case.title, get_absolute_url=case.get_absolute_url()))
    return crumbs


def case_steps(case) -> list[dict]:
    """The step indicator of a case: the workflow's path through its states (a side state such as "returned" shows
    no indicator)."""
    path = actions.workflow_of(case).path
    return steps(path, case.status) if case.status in dict(path) else []


class CaseObjectMixin(ScopedObjectMixin):
    """A view of one case of `model` in the user's scope (404 outside it)."""

    def select(self, queryset):
        return selectors.case_rows(queryset)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = self.get_object()
        return super().dispatch(request, *args, **kwargs)


class CaseListView(ObjectListView):
    template_name = "branches/powers/case_list.html"
    table = CaseTable
    paginate_by = 30

    def select(self, queryset):
        return selectors.case_rows(queryset)

    def get_context_data(self, **kwargs):
        workflow = actions.workflow_of(self.model)
        return super().get_context_data(
            model=self.model,
            ancestors=case_crumbs(self.model)[:1],
            can_open=selectors.power_villages(self.request.user, workflow.open_roles).exists(),
            open_url=reverse(f"branches:{self.model.power}_open"),
            **kwargs,
        )


class CaseDetailView(ScopedDetailView):
    template_name = "branches/powers/case_detail.html"
    context_object_name = "case"

    def select(self, queryset):
        return selectors.case_rows(queryset)

    def get_context_data(self, **kwargs):
        case, user = self.object, self.request.user
        can_edit = actions.can_edit_case(user, case)
        step_list = actions.transitions_for(user, case)
        return super().get_context_data(
            ancestors=case_crumbs(self.model),
            power_template=f"branches/powers/{case.power}.html",
            steps=case_steps(case),
            transitions=step_list,
            can_edit=can_edit,
            can_attach=case.is_open and (can_edit or bool(step_list)),
            events=self.labelled(selectors.case_events(case)),
            attachments=case.attachments.select_related("uploaded_by"),
            upload_form=kwargs.pop("upload_form", None) or CaseAttachmentForm(),
            **self.extra_context_for(case),
            **kwargs,
        )

    def labelled(self, events):
        """The history, each entry with its step and state in words."""
        workflow = actions.workflow_of(self.object)
        statuses = dict(self.model.Status.choices)
        events = list(events)
        for e in events:
            step = workflow.by_name.get(e.transition)
            e.step_label = step.label if step else _("Opened") if e.transition == "open" else e.transition
            e.status_label = statuses.get(e.to_status, e.to_status)
        return events

    def extra_context_for(self, case) -> dict:
        """What the power's own template needs beyond the case (its sub-records), read by the power's selectors."""
        return {}


class CaseOpenView(OnceOnlyFormMixin, ObjectEditView):
    """Open a case for a village over which the user exercises the power (403 without any)."""

    submit_label = pgettext_lazy("power case", "Open the case")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            workflow = actions.workflow_of(self.model)
            if not selectors.power_villages(request.user, workflow.open_roles).exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Open a case: %(power)s") % {"power": self.model.power_label()}

    def get_cancel_url(self):
        return reverse(f"branches:{self.model.power}_list")

    def get_initial(self):
        village = self.request.GET.get("village")
        return {"village": village} if village and village.isascii() and village.isdigit() else {}

    def get_form_kwargs(self):
        workflow = actions.workflow_of(self.model)
        return {**super().get_form_kwargs(), "user": self.request.user, "village_roles": workflow.open_roles}

    def perform(self, form):
        return actions.case_open(actor=self.request.user, model=self.model, **form.cleaned_data)

    def success_message(self, case, form):
        return _("Opened “%(title)s” for %(village)s.") % {"title": case.title, "village": case.village.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=case_crumbs(self.model), **kwargs)


class CaseEditView(CaseObjectMixin, ObjectEditView):
    """Correct a case's fields while its workflow allows (403 otherwise)."""

    def get(self, request, *args, **kwargs):
        self._allowed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._allowed()
        return super().post(request, *args, **kwargs)

    def _allowed(self):
        if not actions.can_edit_case(self.request.user, self.case):
            raise PermissionDenied

    def get_title(self):
        return _("Correct “%(title)s”") % {"title": self.case.title}

    def get_cancel_url(self):
        return self.case.get_absolute_url()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.case}

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        return actions.case_update(actor=self.request.user, case=self.case, version=version, **data)

    def success_message(self, case, form):
        return _("Saved.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=case_crumbs(self.model, self.case), **kwargs)


class CaseTransitionView(CaseObjectMixin, ObjectEditView):
    """Take one step of a case's workflow: a page that shows the case and asks for the comment (and confirmation);
    403 when the user may not take the step, back to the case when its state no longer allows it."""

    template_name = "branches/powers/case_transition.html"
    form_class = CaseTransitionForm

    def get(self, request, *args, **kwargs):
        return self._refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal(posting=True) or super().post(request, *args, **kwargs)

    def _refusal(self, posting=False):
        self.step = actions.workflow_of(self.model).transition(self.kwargs["step"])
        case, user = self.case, self.request.user
        if not has_role_over(user, case.village, self.step.roles):
            raise PermissionDenied
        if posting and case.status == self.step.target:
            return None  # maybe a double click: the action answers it
        if case.status not in self.step.source:
            if posting:
                audit.refused(f"{case.power}_{self.step.name}"[:50], case, "state")
            messages.warning(
                self.request,
                _("This cannot be done while the case is “%(status)s”.") % {"status": case.get_status_display()},
            )
            return redirect(case)
        return None

    def get_title(self):
        return f"{self.step.label}: {self.case.title}"

    @property
    def submit_label(self):
        return self.step.label

    def get_cancel_url(self):
        return self.case.get_absolute_url()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "step": self.step, "case": self.case}

    def perform(self, form):
        return actions.case_transition(
            actor=self.request.user,
            case=self.case,
            name=self.step.name,
            comment=form.cleaned_data.get("comment", ""),
            version=form.cleaned_data.get("version"),
        )

    def success_message(self, case, form):
        return _("“%(title)s”: %(status)s.") % {"title": case.title, "status": case.get_status_display()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            step=self.step,
            power_template=f"branches/powers/{self.case.power}.html",
            ancestors=case_crumbs(self.model, self.case),
            **kwargs,
        )


class CaseAttachView(ServiceFormMixin, CaseObjectMixin, View):
    """Upload a file to a case (POST only); errors show on the case's page."""

    http_method_names = ["post"]
    detail_view = CaseDetailView

    def post(self, request, *args, **kwargs):
        form = CaseAttachmentForm(request)
        return (form.is_valid() and self.submit(form)) or self.refused_page(form)

    def perform(self, form):
        return actions.case_attach(actor=self.request.user, case=self.case, upload=form.cleaned_data["file"])

    def success_message(self, attachment, form):
        return _("Attached “%(name)s”.") % {"name": attachment.original_name}

    def success_response(self, attachment):
        return redirect(self.case)

    def refused_page(self, form):
        detail = self.detail_view(request=self.request, kwargs=self.kwargs, object=self.case, model=self.model)
        response = detail.render_to_response(detail.get_context_data(object=self.case, upload_form=form))
        response.status_code = 400
        return response


class CaseAttachmentView(CaseObjectMixin, View):
    """Download a file of a case in scope (404 outside it), always as a download."""

    def get(self, request, *args, **kwargs):
        attachment = selectors.case_attachment_get(self.case, kwargs["attachment_pk"])
        audit.record("attachment_download", obj=self.case, detail={"file": attachment.original_name})
        return attachment_response(attachment)


class CaseDetachView(CaseObjectMixin, View):
    """Remove a file attached by mistake (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        attachment = selectors.case_attachment_get(self.case, kwargs["attachment_pk"])
        actions.case_detach(actor=request.user, attachment=attachment)
        messages.success(request, _("Removed “%(name)s”.") % {"name": attachment.original_name})
        return redirect(self.case)


@dataclass
class CasePages:
    """The pages of one power: `fields` are the case's own fields (opened with `village` first, corrected without
    it); `table` the list's columns; `detail_view` a CaseDetailView subclass when the power's page needs more."""

    model: type
    fields: list[str]
    table: type = CaseTable
    detail_view: type = CaseDetailView
    extra_urls: list = field(default_factory=list)

    def view(self, base, suffix, **attrs):
        return type(f"{self.model.__name__}{suffix}", (base,), {"model": self.model, **attrs})

    def urls(self) -> list:
        code, model = self.model.power, self.model
        slug = code.replace("_", "-")
        detail = self.view(self.detail_view, "DetailView")
        views = {
            "list": self.view(
                CaseListView,
                "ListView",
                table=self.table,
                filterset_class=case_filterset(model),
                title=capfirst(model._meta.verbose_name_plural),
                export_name=slug,
            ),
            "open": self.view(CaseOpenView, "OpenView", form_class=case_form(model, ["village", *self.fields])),
            "detail": detail,
            "edit": self.view(CaseEditView, "EditView", form_class=case_form(model, self.fields)),
            "transition": self.view(CaseTransitionView, "TransitionView"),
            "attach": self.view(CaseAttachView, "AttachView", detail_view=detail),
            "attachment": self.view(CaseAttachmentView, "AttachmentView"),
            "detach": self.view(CaseDetachView, "DetachView"),
        }
        routes = {
            "list": "",
            "open": "open/",
            "detail": "<int:pk>/",
            "edit": "<int:pk>/edit/",
            "transition": "<int:pk>/step/<slug:step>/",
            "attach": "<int:pk>/attachments/",
            "attachment": "<int:pk>/attachments/<int:attachment_pk>/",
            "detach": "<int:pk>/attachments/<int:attachment_pk>/delete/",
        }
        return [
            *(path(f"{slug}/{routes[name]}", view.as_view(), name=f"{code}_{name}") for name, view in views.items()),
            *self.extra_urls,
        ]
