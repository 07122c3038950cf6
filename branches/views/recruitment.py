"""Pages of the recruitment (发展党员): the list of cases (filters and Excel export), a case's page with the 25 steps
as a timeline (done, next with its window from the timing rules, to come), opening a case with the application,
recording the next step, and ending a case short of membership. The village secretary and the levels above
record; deputies see; out of scope is 404."""

import types

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from anding.generic import (
    AuditedReadMixin,
    ObjectEditView,
    ObjectListView,
    OnceOnlyFormMixin,
    ScopedDetailView,
    ScopedObjectMixin,
)

from .. import actions, selectors
from ..choices import OrgKind
from ..filtersets import RecruitmentFilterSet
from ..forms import RecruitmentEndForm, RecruitmentOpenForm, RecruitmentStepForm
from ..models import Organization, RecruitmentCase, RecruitmentPreReview
from ..models.powers.prereview import PREREVIEW_FROM_STEP
from ..models.recruitment import VOTE_STEPS
from ..tables import RecruitmentTable

__all__ = [
    "RecruitmentDetailView",
    "RecruitmentEndView",
    "RecruitmentListView",
    "RecruitmentOpenView",
    "RecruitmentStepView",
]


def _crumbs(case=None) -> list:
    crumbs = [types.SimpleNamespace(name=_("Recruitment"), get_absolute_url=reverse("branches:recruitment_list"))]
    if case is not None:
        crumbs.append(types.SimpleNamespace(name=case.name, get_absolute_url=case.get_absolute_url()))
    return crumbs


def _may_open(user) -> bool:
    return Organization.objects.restrict(user, "change").filter(kind=OrgKind.VILLAGE).exists()


class RecruitmentListView(ObjectListView):
    model = RecruitmentCase
    template_name = "branches/recruitment/case_list.html"
    table = RecruitmentTable
    filterset_class = RecruitmentFilterSet
    paginate_by = 30
    export_name = "recruitment"

    @property
    def title(self):
        return _("Recruitment")

    def select(self, queryset):
        return selectors.recruitment_rows(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_open=_may_open(self.request.user), **kwargs)


class RecruitmentDetailView(AuditedReadMixin, ScopedDetailView):
    """A recruit's case: their personal data, so every read is audited (`recruitment_view`)."""

    read_action = "recruitment_view"
    model = RecruitmentCase
    template_name = "branches/recruitment/case_detail.html"
    context_object_name = "case"

    def select(self, queryset):
        return selectors.recruitment_rows(queryset).select_related("prereview", "member")

    def get_context_data(self, **kwargs):
        case, user = self.object, self.request.user
        can_record = case.next_step is not None and actions.can_record_recruitment(user, case.village)
        prereview = getattr(case, "prereview", None)
        can_prereview = (
            prereview is None
            and case.is_open
            and case.last_step >= PREREVIEW_FROM_STEP
            and actions.can_open_case(user, RecruitmentPreReview, case.village)
        )
        return super().get_context_data(
            title=case.name,
            ancestors=_crumbs(),
            timeline=selectors.recruitment_timeline(case),
            can_record=can_record,
            can_end=can_record and case.stage not in ("probationary", "full"),
            prereview=prereview,
            can_prereview=can_prereview,
            **kwargs,
        )


class RecruitmentOpenView(OnceOnlyFormMixin, ObjectEditView):
    """Open a case with the application (step 1): for whoever records a village's recruitment (403 otherwise)."""

    form_class = RecruitmentOpenForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _may_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def submit_label(self):
        return _("Open the case")

    def get_title(self):
        return _("Open a recruitment case")

    def get_cancel_url(self):
        return reverse("branches:recruitment_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return actions.recruitment_open(actor=self.request.user, **form.cleaned_data)

    def success_message(self, case, form):
        return _("Opened the recruitment case of %(name)s.") % {"name": case.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=_crumbs(), **kwargs)


class _CaseFormView(ScopedObjectMixin, ObjectEditView):
    """A form on one case in scope (404 outside it), for whoever records the village's recruitment (403 otherwise);
    a closed case leads back to its page."""

    model = RecruitmentCase

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = self.get_object()
            if not actions.can_record_recruitment(request.user, self.case.village):
                raise PermissionDenied
            if self.case.next_step is None:
                messages.warning(request, _("This case is closed: no step can be recorded."))
                return redirect(self.case)
        return super().dispatch(request, *args, **kwargs)

    def select(self, queryset):
        return selectors.recruitment_rows(queryset)

    def get_cancel_url(self):
        return self.case.get_absolute_url()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=_crumbs(self.case), case=self.case, **kwargs)


class RecruitmentStepView(_CaseFormView):
    """Record the next step of a case, with its window from the timing rules shown above the form."""

    form_class = RecruitmentStepForm
    template_name = "branches/recruitment/step_form.html"

    def get_title(self):
        return _("Step %(step)s: %(name)s") % {"step": self.case.next_step_label, "name": self.case.name}

    @property
    def submit_label(self):
        return _("Record the step")

    def perform(self, form):
        data = dict(form.cleaned_data)
        number = data.pop("number", None) or self.case.next_step
        return actions.recruitment_record_step(actor=self.request.user, case=self.case, number=number, **data)

    def success_message(self, step, form):
        return _("Recorded: %(step)s.") % {"step": step.label}

    def success_response(self, step):
        return redirect(self.case)

    def get_context_data(self, **kwargs):
        timeline = selectors.recruitment_timeline(self.case)
        upcoming = next((t for t in timeline if t.state == "next"), None)
        return super().get_context_data(
            window=upcoming.window if upcoming else None, is_vote=self.case.next_step in VOTE_STEPS, **kwargs
        )


class RecruitmentEndView(_CaseFormView):
    """End a case short of membership: withdrawn or cancelled, with the reason."""

    form_class = RecruitmentEndForm

    def get_title(self):
        return _("End the case of %(name)s") % {"name": self.case.name}

    @property
    def submit_label(self):
        return _("End the case")

    def perform(self, form):
        data = dict(form.cleaned_data)
        return actions.recruitment_end(actor=self.request.user, case=self.case, **data)

    def success_message(self, case, form):
        return _("The case of %(name)s ended: %(stage)s.") % {"name": case.name, "stage": case.get_stage_display()}
