"""Pages of the tailored assessment plans: the list (with Excel export), a plan's page with its indicators and
score, and the steps: open, weak points, indicators, submit (the general branch), decide (the town), actual values
(the general branch). Scope is the bases'; writes go through `services.actions`. A step out of the plan's state
leads back to the plan with a word on why, not to an error."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from anding.generic import (
    FormPageMixin,
    ObjectEditView,
    ObjectListView,
    OnceOnlyFormMixin,
    ScopedDetailView,
    ScopedObjectMixin,
)
from anding.scoping import in_scope
from anding.status import Badge
from anding.tables import choice_label

from .. import actions, selectors
from ..choices import PlanStatus
from ..filtersets import PlanFilterSet
from ..forms import ActualsForm, PlanDecideForm, PlanOpenForm, PlanWeakPointsForm, indicator_formset_class
from ..models import AssessmentPlan
from ..models.plans import WEIGHT_TOTAL
from ..permissions import can_decide_plan, can_record_actuals, can_set_plan, plan_villages
from ..tables import PlanTable
from .common import crumb

__all__ = [
    "PlanActualsView",
    "PlanDecideView",
    "PlanDetailView",
    "PlanEditView",
    "PlanIndicatorsView",
    "PlanListView",
    "PlanOpenView",
    "PlanSubmitView",
    "plan_badges",
]


def _plans_crumb():
    return crumb(_("Assessment plans"), reverse("services:plan_list"))


class PlanListView(ObjectListView):
    model = AssessmentPlan
    title = gettext_lazy("Tailored assessment plans")
    template_name = "services/plan_list.html"
    filterset_class = PlanFilterSet
    table = PlanTable
    default_sort = "-year"
    export_name = "assessment-plans"

    def select(self, queryset):
        return selectors.plan_rows(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_open=plan_villages(self.request.user).exists(), **kwargs)


class PlanDetailView(ScopedDetailView):
    model = AssessmentPlan
    template_name = "services/plan_detail.html"
    context_object_name = "plan"

    def select(self, queryset):
        return selectors.plan_rows(queryset)

    def get_context_data(self, **kwargs):
        user, plan = self.request.user, self.object
        indicators = list(plan.indicators.all())
        return super().get_context_data(
            ancestors=[_plans_crumb()],
            indicators=indicators,
            weight_total=sum(i.weight for i in indicators),
            weight_target=WEIGHT_TOTAL,
            can_set=can_set_plan(user, plan),
            can_decide=can_decide_plan(user, plan),
            can_record_actuals=can_record_actuals(user, plan),
            **kwargs,
        )


class PlanOpenView(OnceOnlyFormMixin, ObjectEditView):
    """An officer of a general branch opens the plan of one of its villages for a year."""

    form_class = PlanOpenForm
    title = gettext_lazy("Open an assessment plan")
    submit_label = gettext_lazy("Open")
    cancel_url = reverse_lazy("services:plan_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not plan_villages(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return actions.plan_open(actor=self.request.user, **form.cleaned_data)

    def success_message(self, plan, form) -> str:
        return _("Opened %(plan)s. Now give it its indicators.") % {"plan": plan}

    def success_response(self, plan):
        return redirect("services:plan_indicators", plan.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_plans_crumb()], **kwargs)


class PlanStep(ScopedObjectMixin):
    """A step on one plan in scope: 404 outside the scope, 403 without the role (`scope_needed`, a scope action
    of the plan), and back to the plan with a message when its state does not allow the step (`states`)."""

    model = AssessmentPlan
    scope_needed = "change"
    states: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
            if not in_scope(request.user, self.object, self.scope_needed):
                raise PermissionDenied
            if self.object.status not in self.states:
                messages.warning(
                    request,
                    _("%(plan)s is “%(status)s”: this step is not open now.")
                    % {"plan": self.object, "status": self.object.get_status_display()},
                )
                return redirect(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        crumbs = [_plans_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, plan=self.object, **kwargs)


EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanEditView(PlanStep, ObjectEditView):
    form_class = PlanWeakPointsForm
    states = EDITABLE

    def get_title(self) -> str:
        return _("Weak points: %(plan)s") % {"plan": self.object}

    def get_initial(self):
        return {"weak_points": self.object.weak_points}

    def perform(self, form):
        return actions.plan_update(actor=self.request.user, plan=self.object, **form.cleaned_data)

    def success_message(self, plan, form) -> str:
        return _("Saved the weak points of %(plan)s.") % {"plan": plan}


class PlanIndicatorsView(PlanStep, FormPageMixin, TemplateView):
    """The plan's indicators, edited together: each with its unit, direction, target and weight."""

    template_name = "services/plan_indicators.html"
    states = EDITABLE
    submit_label = gettext_lazy("Save the indicators")

    def get_title(self) -> str:
        return _("Indicators: %(plan)s") % {"plan": self.object}

    def formset(self, data=None):
        """The rows as stored (GET), or as posted: then every row posted is read, unchanged ones too."""
        rows = list(self.object.indicators.all())
        initial = [
            {"name": i.name, "unit": i.unit, "direction": i.direction, "target": i.target, "weight": i.weight}
            for i in rows
        ]
        return indicator_formset_class(len(rows))(data, initial=None if data else initial, prefix="indicators")

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(formset=self.formset()))

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        errors = []
        if formset.is_valid():
            try:
                plan = actions.plan_set_indicators(actor=request.user, plan=self.object, lines=formset.lines())
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Saved the indicators of %(plan)s.") % {"plan": plan})
                return redirect(plan)
        return self.render_to_response(self.get_context_data(formset=formset, service_errors=errors))


class PlanSubmitView(PlanStep, View):
    """The general branch submits the plan to the town (POST only, from the plan's page)."""

    http_method_names = ["post"]
    states = EDITABLE

    def post(self, request, *args, **kwargs):
        try:
            plan = actions.plan_submit(actor=request.user, plan=self.object)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.object)
        messages.success(request, _("Submitted %(plan)s to the town.") % {"plan": plan})
        return redirect(plan)


class PlanDecideView(PlanStep, ObjectEditView):
    """The town approves a submitted plan or returns it with a reason."""

    form_class = PlanDecideForm
    scope_needed = "approve"
    states = (PlanStatus.SUBMITTED,)
    submit_label = gettext_lazy("Decide")

    def get_title(self) -> str:
        return _("Decide on %(plan)s") % {"plan": self.object}

    def perform(self, form):
        approve = form.cleaned_data["decision"] == PlanDecideForm.APPROVE
        return actions.plan_decide(
            actor=self.request.user, plan=self.object, approve=approve, reason=form.cleaned_data["reason"]
        )

    def success_message(self, plan, form) -> str:
        if plan.status == PlanStatus.APPROVED:
            return _("Approved %(plan)s.") % {"plan": plan}
        return _("Returned %(plan)s to the general branch.") % {"plan": plan}


class PlanActualsView(PlanStep, ObjectEditView):
    """The general branch records the actual values of an approved plan's indicators."""

    form_class = ActualsForm
    states = (PlanStatus.APPROVED,)

    def get_title(self) -> str:
        return _("Actual values: %(plan)s") % {"plan": self.object}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indicators": self.object.indicators.all()}

    def perform(self, form):
        return actions.plan_record_actuals(actor=self.request.user, plan=self.object, actuals=form.actuals())

    def success_message(self, plan, form) -> str:
        if plan.score.score is None:
            return _("Saved the actual values of %(plan)s.") % {"plan": plan}
        return _("Saved the actual values of %(plan)s: score %(score)s.") % {"plan": plan, "score": plan.score.score}


def plan_badges(plan) -> list[Badge]:
    """Where a plan stands: draft, submitted, approved or returned."""
    return [Badge("plan", plan.status, choice_label(plan, "status"))]
