"""HTML views of meetings: the list with the 三会一课 overview, planning, the minutes, recording, review, agenda.

Thin: reads through the selectors, writes through the actions in branches.actions.meetings.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from anding import audit
from anding.attachments import attachment_response
from anding.forms import add_service_errors
from anding.generic import (
    FormPageMixin,
    ObjectEditView,
    ObjectListView,
    OnceOnlyFormMixin,
    ScopedDetailView,
    ServiceFormMixin,
)
from anding.middleware import restored_form_data

from .. import actions, selectors
from ..choices import MeetingKind, MeetingStatus, OrgKind
from ..filtersets import MeetingFilterSet
from ..forms import (
    AttendanceForm,
    MeetingAttachmentForm,
    MeetingPlanForm,
    MeetingRecordForm,
    MeetingReviewForm,
    agenda_formset_class,
)
from ..models import Meeting
from ..permissions import active_positions
from ..roles import GOVERNING_ROLES
from ..tables import MeetingTable
from .status import meeting_steps

__all__ = [
    "MeetingAgendaView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingRecordView",
    "MeetingReviewView",
]

OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.HELD)


class MeetingListView(ObjectListView):
    """Meetings in scope, overdue planned ones marked, and for a general branch or the town the 三会一课 overview."""

    model = Meeting
    title = gettext_lazy("Meetings")
    template_name = "branches/meeting_list.html"
    filterset_class = MeetingFilterSet
    table = MeetingTable
    default_sort = "-date"
    export_name = "meetings"
    count_limit = 10_000  # a wide scope holds hundreds of thousands: "more than 10,000", the filters narrow them

    def select(self, queryset):
        # The list and its export read the organization's and the general branch's names, not the organization's parent.
        return selectors.meeting_rows(queryset, related=("organization", "general_branch"))

    def overview(self) -> dict:
        """The 三会一课 overview's context: none when the user governs no general branch or town; for a wide scope
        (the city or a district, by the scope or the organization filter) one row per district or town with its
        counts, which opens that node; else one row per village."""
        user = self.request.user
        cleaned = self.filterset.form.cleaned_data if self.filterset is not None and self.filterset.is_valid() else {}
        within = cleaned.get("organization")
        month = cleaned.get("month") or timezone.localdate().replace(day=1)
        governs_above_villages = user.is_superuser or any(
            p.role in GOVERNING_ROLES and p.organization.kind != OrgKind.VILLAGE for p in active_positions(user)
        )
        if not governs_above_villages:
            return {}
        context = {"overview_month": month, "overview_month_label": date_format(month, "YEAR_MONTH_FORMAT")}
        drill = selectors.drill_down(user, within)
        if not drill.groups:
            return {**context, "overview": selectors.meetings_overview(user, month, within=within)}
        query = self.request.GET.copy()
        for key in ("organization", "page"):
            query.pop(key, None)
        return {
            **context,
            "overview_groups": selectors.meetings_overview_summary(user, drill, month, within=within),
            "overview_open_query": query.urlencode(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.overview())
        context["can_plan"] = selectors.can_plan_meetings(self.request.user)
        return context


class MeetingDetailView(ScopedDetailView):
    """The minutes of one meeting, printable, with the steps and the actions the user may take now."""

    model = Meeting
    template_name = "branches/meeting_detail.html"
    context_object_name = "meeting"

    def select(self, queryset):
        return selectors.meeting_detail_rows(queryset)

    def get_context_data(self, **kwargs):
        user, meeting = self.request.user, self.object
        org = meeting.organization
        attendance = list(meeting.attendance.all())
        can_record = meeting.status in OPEN_STATUSES and actions.can_record_meeting(user, org)
        return super().get_context_data(
            ancestors=selectors.ancestors(org, user) + [org],
            steps=meeting_steps(meeting),
            attendance=attendance,
            present=[a for a in attendance if a.present],
            absent=[a for a in attendance if not a.present],
            agenda=list(meeting.agenda.all()),
            is_work_meeting=meeting.kind == MeetingKind.WORK_MEETING,
            is_village_meeting=org.kind == OrgKind.VILLAGE,
            can_record=can_record,
            can_edit_agenda=can_record and meeting.kind == MeetingKind.WORK_MEETING,
            can_review=actions.can_review_meeting(user, meeting),
            attachments=list(meeting.attachments.all()),
            upload_form=kwargs.pop("upload_form", None) or MeetingAttachmentForm(),
            **kwargs,
        )


class MeetingCreateView(OnceOnlyFormMixin, ObjectEditView):
    """Plan a meeting of an organization the user may record meetings for."""

    form_class = MeetingPlanForm
    title = gettext_lazy("Plan a meeting")
    submit_label = gettext_lazy("Plan the meeting")
    cancel_url = reverse_lazy("branches:meeting_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_plan_meetings(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {key: self.request.GET[key] for key in ("organization", "kind") if self.request.GET.get(key)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        fields = ("organization", "kind", "title", "planned_for", "topics", "party_group")
        return actions.meeting_plan(actor=self.request.user, **{k: form.cleaned_data[k] for k in fields})

    def success_message(self, meeting, form) -> str:
        return _("Planned “%(title)s”.") % {"title": meeting.title}


class MeetingActionView(FormPageMixin, LoginRequiredMixin, TemplateView):
    """A page acting on one meeting: 404 outside the scope, 403 without the role, back to the minutes (with a
    message) when the meeting is no longer in a state that allows the action."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.meeting = selectors.meeting_get(request.user, kwargs["pk"])
        if not self.allowed_role():
            raise PermissionDenied
        if not self.allowed_state():
            messages.warning(
                request,
                _("This cannot be done while the meeting is “%(status)s”.")
                % {"status": self.meeting.get_status_display()},
            )
            return redirect(self.meeting)
        self.steps = meeting_steps(self.meeting)  # before a refused service call changes the object in memory
        return super().dispatch(request, *args, **kwargs)

    def allowed_role(self) -> bool:
        return actions.can_record_meeting(self.request.user, self.meeting.organization)

    def get_title(self) -> str:
        return self.title % {"title": self.meeting.title}

    def get_cancel_url(self) -> str:
        return self.meeting.get_absolute_url()

    def allowed_state(self) -> bool:
        return self.meeting.status in OPEN_STATUSES

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, steps=self.steps, **kwargs)


class MeetingRecordView(MeetingActionView):
    """Record a meeting as held: the minutes and one attendance row per person on the server-side list."""

    template_name = "branches/meeting_record.html"
    title = gettext_lazy("Record %(title)s")
    submit_label = gettext_lazy("Save the record")

    def forms(self, data=None):
        people = selectors.meeting_people(self.meeting)
        existing = {(f"m{a.member_id}" if a.member_id else f"u{a.user_id}"): a for a in self.meeting.attendance.all()}
        return (
            MeetingRecordForm(data, instance=self.meeting),
            AttendanceForm(data, people=people, existing=existing),
        )

    def get(self, request, *args, **kwargs):
        form, attendance_form = self.forms(restored_form_data(request))
        return self.render_to_response(self.get_context_data(form=form, attendance_form=attendance_form))

    def post(self, request, *args, **kwargs):
        form, attendance_form = self.forms(request.POST)
        if form.is_valid() & attendance_form.is_valid():
            data = form.cleaned_data
            lines = [actions.AttendanceLine(**line) for line in attendance_form.lines()]
            fields = {k: data[k] for k in ("title", "place", "host", "recorder", "observers", "topics", "minutes")}
            fields["decisions"] = data["decisions"]
            try:
                meeting = actions.meeting_record(
                    actor=request.user,
                    meeting=self.meeting,
                    version=data.get("version"),
                    held_on=data["held_on"],
                    attendance=lines,
                    **fields,
                )
            except ValidationError as exc:
                add_service_errors(form, exc, fallback={"attendance": attendance_form})
            else:
                messages.success(request, _("Recorded “%(title)s” as held.") % {"title": meeting.title})
                return redirect(meeting)
        return self.render_to_response(self.get_context_data(form=form, attendance_form=attendance_form), status=200)


class MeetingReviewView(ServiceFormMixin, MeetingActionView):
    """The level above reviews a held meeting with a comment."""

    template_name = "branches/meeting_review.html"
    title = gettext_lazy("Review %(title)s")
    submit_label = gettext_lazy("Mark as reviewed")

    def allowed_role(self) -> bool:
        # A meeting that is not held yet is answered by allowed_state (back to the minutes), not with a 403.
        return self.meeting.status != MeetingStatus.HELD or actions.can_review_meeting(self.request.user, self.meeting)

    def allowed_state(self) -> bool:
        return self.meeting.status == MeetingStatus.HELD

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=MeetingReviewForm(restored_form_data(request))))

    def post(self, request, *args, **kwargs):
        form = MeetingReviewForm(request.POST)
        return (form.is_valid() and self.submit(form)) or self.render_to_response(self.get_context_data(form=form))

    def perform(self, form):
        comment = form.cleaned_data["review_comment"]
        return actions.meeting_review(actor=self.request.user, meeting=self.meeting, comment=comment)

    def success_message(self, meeting, form) -> str:
        return _("Reviewed “%(title)s”.") % {"title": meeting.title}


class MeetingAgendaView(MeetingActionView):
    """The agenda of a general branch's monthly work meeting: items linked to deployed tasks and villages."""

    template_name = "branches/meeting_agenda.html"
    title = gettext_lazy("Agenda of %(title)s")
    submit_label = gettext_lazy("Save the agenda")

    def allowed_state(self) -> bool:
        return self.meeting.status in OPEN_STATUSES and self.meeting.kind == MeetingKind.WORK_MEETING

    def formset(self, data=None):
        user, org = self.request.user, self.meeting.organization
        tasks = {t.pk: t for t in selectors.meeting_task_choices(user, self.meeting)}
        villages = {v.pk: v for v in selectors.villages_under(user, org)}
        items = list(self.meeting.agenda.all())
        initial = [{"title": i.title, "task": i.task_id, "village": i.village_id, "outcome": i.outcome} for i in items]
        formset_class = agenda_formset_class(len(items))
        return formset_class(data, initial=initial, prefix="agenda", form_kwargs={"tasks": tasks, "villages": villages})

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(formset=self.formset()))

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        errors = []
        if formset.is_valid():
            lines = [actions.AgendaLine(**line) for line in formset.lines()]
            try:
                meeting = actions.meeting_set_agenda(actor=request.user, meeting=self.meeting, items=lines)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Saved the agenda of “%(title)s”.") % {"title": meeting.title})
                return redirect(meeting)
        return self.render_to_response(self.get_context_data(formset=formset, service_errors=errors))


class MeetingAttachmentView(LoginRequiredMixin, View):
    """Download an attachment of a meeting in scope (404 outside it); always as a file, never shown inline."""

    def get(self, request, pk, attachment_pk):
        attachment = selectors.meeting_attachment_get(request.user, pk, attachment_pk)
        audit.record("attachment_download", obj=attachment.meeting, detail={"file": attachment.original_name})
        return attachment_response(attachment)


class MeetingAttachView(ServiceFormMixin, MeetingActionView):
    """Upload a file to a meeting (POST only); errors show on the meeting's page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = MeetingAttachmentForm(request)
        return (form.is_valid() and self.submit(form)) or self.refused_page(form)

    def perform(self, form):
        return actions.meeting_attach(actor=self.request.user, meeting=self.meeting, upload=form.cleaned_data["file"])

    def success_message(self, attachment, form) -> str:
        return _("Attached “%(name)s”.") % {"name": attachment.original_name}

    def success_response(self, attachment):
        return redirect(self.meeting)

    def refused_page(self, form):
        """The meeting's page with the upload's errors (400)."""
        detail = MeetingDetailView(request=self.request, kwargs={"pk": self.meeting.pk}, object=self.meeting)
        response = detail.render_to_response(detail.get_context_data(object=self.meeting, upload_form=form))
        response.status_code = 400
        return response


class MeetingDetachView(MeetingActionView):
    """Remove an attachment added by mistake (POST only), while the meeting is not yet reviewed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        attachment = selectors.meeting_attachment_get(request.user, self.meeting.pk, kwargs["attachment_pk"])
        actions.meeting_detach(actor=request.user, attachment=attachment)
        messages.success(request, _("Removed “%(name)s”.") % {"name": attachment.original_name})
        return redirect(self.meeting)
