"""Scope lives in the view bases (issue 7): a view built on them with a model and no selector shows only the
persona's scope, and every view of the portal is built on them or named here as reading otherwise."""

import datetime

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.viewsets import ViewSetMixin

from anding.generic import ObjectListView, ScopedDetailView, ScopedObjectMixin, ScopedSummaryView
from branches import actions
from branches.choices import MeetingKind
from branches.models import Meeting, PartyMember

# Views that read nothing scoped (login, language, health) or whose reads are scoped by a named mechanism other
# than the view bases: the API's viewsets (tests/test_api.py and the route walk), forms that act on a scoped
# object found through a selector, and the admin (ScopedAdminMixin, tests/test_admin_scope.py).
NOT_ON_THE_BASES = {
    "JobView",  # a background job is its user's alone: Job.objects.filter(user=...), whatever the scope
    "job_download",
    "LoginView",
    "LogoutView",
    "set_language",
    "JavaScriptCatalog",
    "healthz",
    "LockoutObtainAuthToken",
    "TwoFactorVerifyView",  # the login's second step: the signed-in user's own device, nothing else
    "TwoFactorSetupView",  # likewise: sets up the signed-in user's own device
    "PasswordChangeView",  # the signed-in user's own password (anding.views, where an expired one is sent)
    "PasswordChangeDoneView",  # says the change is done, nothing else
    "SpectacularAPIView",
    "SpectacularSwaggerSplitView",
    "APIRootView",
    "DashboardView",
    "MeetingCreateView",
    "MeetingActionView",
    "MeetingRecordView",
    "MeetingReviewView",
    "MeetingAgendaView",
    "MeetingAttachView",
    "MeetingDetachView",
    "MeetingAttachmentView",
    "MemberCreateView",
    "MemberUpdateView",
    "MemberRevealIdView",  # reads the member through selectors.member_get (404 outside the scope), then a permission
    "ReportWriteView",
    "ReportEditView",
    "ReportSubmitView",
    "ReportCheckView",
    "ReportApproveView",
    "ReportReturnView",
    "TaskDeployView",
    "TaskProgressView",
    "RecruitmentOpenView",  # opens a case in a village the user records for (choices scoped by the form)
    "SessionOpenView",  # services: opens a half-day at a centre chosen among the user's scoped centres (its form)
    "PlanOpenView",  # services: opens a plan of a village chosen among those the user sets plans for (its form)
    "AllocateView",  # services: allocates a fund to a node chosen among those under the user's town positions
    "HouseholdAddView",  # services: adds a household to a village chosen among the villages the user keeps
    "PairingAddView",  # development: a pairing led by a village chosen among those the user may make lead (its form)
    "FiguresAddView",  # development: figures of a village chosen among those the user enters figures for (its form)
    "EventAddView",  # development: an event of a general branch chosen among those the user records for (its form)
    "ResourceAddView",  # development: likewise a resource
    "SaleAddView",  # development: likewise a shared sale
    "PartnerAddView",  # development: a partner (reference data, no scope), for those who record events
    "CaseOpenView",  # a power's form to open a case: its choices are the villages the user exercises it over
}
# Bases from which branches.views.powers.base.CasePages makes each power's views (named after them above).
GENERIC_BASES = {"CaseOpenView"}


def _views(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin":
                continue
            yield from _views(entry)
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            yield getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback


def _name(view) -> str:
    """The view's name, or the name of the generic base it was made from (the seven powers' pages)."""
    for cls in getattr(view, "__mro__", ())[1:]:
        if cls.__name__ in GENERIC_BASES:
            return cls.__name__
    return getattr(view, "__name__", type(view).__name__)


def test_every_view_is_built_on_the_scoped_bases_or_named():
    unnamed = {
        _name(view)
        for view in _views()
        if not (isinstance(view, type) and issubclass(view, ScopedObjectMixin | ScopedSummaryView))
        and not (isinstance(view, type) and issubclass(view, ViewSetMixin))
    }

    assert unnamed <= NOT_ON_THE_BASES, sorted(unnamed - NOT_ON_THE_BASES)


def _view(cls, user, **kwargs):
    request = RequestFactory().get("/")
    request.user = user
    view = cls()
    view.setup(request, **kwargs)
    return view


class ThrowawayList(ObjectListView):
    """A list on the bases with a model and no selector at all."""

    model = PartyMember


class ThrowawayDetail(ScopedDetailView):
    model = Meeting


def test_a_list_on_the_bases_without_a_selector_shows_only_the_scope(tree, village_secretary, gb_secretary):
    assert set(_view(ThrowawayList, village_secretary).get_queryset()) == set(tree.members["v11"])
    assert set(_view(ThrowawayList, gb_secretary).get_queryset()) == set(tree.members["v11"] + tree.members["v12"])


def test_a_detail_on_the_bases_without_a_selector_is_404_outside_the_scope(tree, village_secretary, gb2_secretary):
    meeting = actions.meeting_plan(
        actor=village_secretary,
        organization=tree.v11,
        kind=MeetingKind.BRANCH_COMMITTEE,
        title="支委会",
        planned_for=datetime.date(2030, 1, 1),
    )

    assert _view(ThrowawayDetail, village_secretary, pk=meeting.pk).get_object() == meeting
    with pytest.raises(Http404):
        _view(ThrowawayDetail, gb2_secretary, pk=meeting.pk).get_object()
