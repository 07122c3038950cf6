"""Pages of the preliminary review of major matters (重要事务初审): the shared case pages, the six steps of 四议两公开
as a timeline on the case's page, and the page where the village records the next step."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView
from anding.tables import Column

from ... import actions
from ...forms import MatterStepForm
from ...models import MajorMatter, MatterStep
from ...permissions import has_role_over
from ...roles import VILLAGE_ROLES
from ...tables import CaseTable
from .base import CaseDetailView, CaseObjectMixin, CasePages, case_crumbs

__all__ = ["PAGES"]


class MatterDetailView(CaseDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The steps of 四议两公开 are recorded on their own page (with their date and votes), not confirmed bare.
        context["transitions"] = [t for t in context["transitions"] if not t.name.startswith("step")]
        return context

    def extra_context_for(self, case) -> dict:
        recorded = {s.number: s for s in case.steps.all()}
        next_step = actions.matter_next_step(case)
        return {
            "timeline": [(number, label, recorded.get(number)) for number, label in MatterStep.Number.choices],
            "next_step": next_step,
            "can_record": next_step is not None and has_role_over(self.request.user, case.village, VILLAGE_ROLES),
        }


class MatterStepView(CaseObjectMixin, ObjectEditView):
    """Record the next step of a matter as it was held (the village secretary; 403 for others)."""

    model = MajorMatter
    form_class = MatterStepForm

    def get(self, request, *args, **kwargs):
        return self._refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal() or super().post(request, *args, **kwargs)

    def _refusal(self):
        if not has_role_over(self.request.user, self.case.village, VILLAGE_ROLES):
            raise PermissionDenied
        self.next_step = actions.matter_next_step(self.case)
        if self.next_step is None:
            messages.warning(
                self.request,
                _("No step can be recorded while the matter is “%(status)s”.")
                % {"status": self.case.get_status_display()},
            )
            return redirect(self.case)
        return None

    def get_title(self):
        return _("Record a step: %(title)s") % {"title": self.case.title}

    submit_label = gettext_lazy("Record the step")

    def get_cancel_url(self):
        return self.case.get_absolute_url()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case, "next_step": self.next_step}

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        for name in ("body", "published_how", "note"):
            data[name] = data.get(name) or ""
        actions.matter_record_step(actor=self.request.user, case=self.case, version=version, **data)
        return self.case

    def success_message(self, case, form):
        return _("“%(title)s”: %(status)s.") % {"title": case.title, "status": case.get_status_display()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=case_crumbs(self.model, self.case), **kwargs)


PAGES = CasePages(
    MajorMatter,
    fields=["title", "kind", "description", "amount"],
    table=CaseTable.extend(Column("kind", gettext_lazy("kind of matter"), "get_kind_display", order_by="kind")),
    detail_view=MatterDetailView,
    extra_urls=[
        path(
            "major-matter-review/<int:pk>/record-step/",
            MatterStepView.as_view(),
            name="major_matter_review_record_step",
        )
    ],
)
