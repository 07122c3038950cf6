"""Pages of cadre evaluations (干部考核评议): the shared case pages with the cadre and period, a page to enter the scores
and tallies, and pages to add, tick off and remove rectification items. `CaseFormView` is the base of a form page
about one case (scope from the case, 403 without the role, back to the case when its state does not allow it)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView, OnceOnlyFormMixin, parse_int
from anding.tables import Column

from ... import actions, selectors
from ...forms import (
    EvaluationScoreForm,
    MemberCaseForm,
    RectificationAddForm,
    RectificationDoneForm,
    RectificationRemoveForm,
    case_form,
)
from ...models import CadreEvaluation
from ...permissions import has_role_over
from ...roles import POWER_ROLES
from ...tables import CaseTable
from .base import CaseDetailView, CaseObjectMixin, CasePages, case_crumbs

__all__ = ["PAGES", "CaseFormView", "MemberCasePages"]

S = CadreEvaluation.Status


class CaseFormView(CaseObjectMixin, ObjectEditView):
    """A form page about one case in scope: `roles` over its village may use it (403 otherwise) while the case is in
    one of `states` (else back to the case with a message)."""

    roles = POWER_ROLES
    states: tuple = ()
    heading = ""

    def get(self, request, *args, **kwargs):
        return self._refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal() or super().post(request, *args, **kwargs)

    def _refusal(self):
        if not has_role_over(self.request.user, self.case.village, self.roles):
            raise PermissionDenied
        if self.case.status not in self.states:
            messages.warning(
                self.request,
                _("This cannot be done while the case is “%(status)s”.") % {"status": self.case.get_status_display()},
            )
            return redirect(self.case)
        return None

    def get_title(self):
        return f"{self.heading}: {self.case.title}"

    def get_cancel_url(self):
        return self.case.get_absolute_url()

    def success_response(self, record):
        return redirect(self.case)

    def success_message(self, record, form):
        return _("Saved.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=case_crumbs(self.model, self.case), **kwargs)


class EvaluationScoreView(CaseFormView):
    states = (S.DRAFT,)
    form_class = EvaluationScoreForm
    heading = gettext_lazy("Scores and votes")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return actions.evaluation_score(
            actor=self.request.user, case=self.case, scheme=data.pop("scheme"), version=data.pop("version"), **data
        )

    def success_message(self, case, form):
        if case.total is None:
            return _("Saved. The total follows once every score and the votes are in.")
        return _("Saved: total %(total)s, %(grade)s.") % {"total": case.total, "grade": case.get_grade_display()}


class RectificationAddView(OnceOnlyFormMixin, CaseFormView):
    states = actions.powers.evaluation.ITEMS_EDITABLE
    form_class = RectificationAddForm
    heading = gettext_lazy("Add a rectification item")

    def perform(self, form):
        return actions.rectification_add(actor=self.request.user, case=self.case, **form.cleaned_data)

    def success_message(self, item, form):
        return _("Added “%(text)s”.") % {"text": item.text}


class RectificationDoneView(CaseFormView):
    states = (S.FINAL,)
    form_class = RectificationDoneForm
    heading = gettext_lazy("Rectification item done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "items": self.case.items.filter(done_on__isnull=True)}

    def get_initial(self):
        return {"item": parse_int(self.request.GET.get("item"))}

    def perform(self, form):
        return actions.rectification_done(actor=self.request.user, **form.cleaned_data)

    def success_message(self, item, form):
        return _("“%(text)s” is done.") % {"text": item.text}


class RectificationRemoveView(CaseFormView):
    states = (S.DRAFT, S.SCORED)
    form_class = RectificationRemoveForm
    heading = gettext_lazy("Remove a rectification item")
    submit_label = gettext_lazy("Remove")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "items": self.case.items.all()}

    def get_initial(self):
        return {"item": parse_int(self.request.GET.get("item"))}

    def perform(self, form):
        item = form.cleaned_data["item"]
        actions.rectification_remove(actor=self.request.user, item=item)
        return item

    def success_message(self, item, form):
        return _("Removed “%(text)s”.") % {"text": item.text}


def _with_member(view, queryset):
    return selectors.case_rows(queryset).select_related("member")


class EvaluationDetailView(CaseDetailView):
    def extra_context_for(self, case) -> dict:
        officer = has_role_over(self.request.user, case.village, POWER_ROLES)
        return {
            "items": selectors.evaluation_items(case),
            "can_score": officer and case.status == S.DRAFT,
            "can_add_item": officer and case.status in actions.powers.evaluation.ITEMS_EDITABLE,
            "can_tick_item": officer and case.status == S.FINAL,
            "can_remove_item": officer and case.status in (S.DRAFT, S.SCORED),
        }


class MemberCasePages(CasePages):
    """The case pages of a power whose case names a member of the village (MemberCaseForm)."""

    def view(self, base, suffix, **attrs):
        if suffix == "OpenView":
            attrs["form_class"] = case_form(self.model, ["village", *self.fields], base=MemberCaseForm)
        elif suffix == "EditView":
            attrs["form_class"] = case_form(self.model, self.fields, base=MemberCaseForm)
        elif suffix in ("ListView", "DetailView"):
            attrs["select"] = _with_member
        return super().view(base, suffix, **attrs)


def _sub_pages(model, pages: dict) -> list:
    """URLs of a power's own pages about one case: {"scores": View} → <slug>/<pk>/scores/ named <code>_scores."""
    slug = model.power.replace("_", "-")
    return [
        path(f"{slug}/<int:pk>/{name.replace('_', '-')}/", view.as_view(model=model), name=f"{model.power}_{name}")
        for name, view in pages.items()
    ]


PAGES = MemberCasePages(
    CadreEvaluation,
    fields=["title", "year", "half", "member", "cadre_name", "post", "due_on"],
    table=CaseTable.extend(
        Column("cadre", gettext_lazy("cadre"), "cadre"),
        Column("period", gettext_lazy("period"), "period_label", order_by="year"),
        Column("total", gettext_lazy("total"), "total", order_by="total", empty="—"),
        Column("grade", gettext_lazy("grade"), "get_grade_display", order_by="grade", empty="—"),
        name="CadreEvaluationTable",
    ),
    detail_view=EvaluationDetailView,
    extra_urls=_sub_pages(
        CadreEvaluation,
        {
            "scores": EvaluationScoreView,
            "item_add": RectificationAddView,
            "item_done": RectificationDoneView,
            "item_remove": RectificationRemoveView,
        },
    ),
)
