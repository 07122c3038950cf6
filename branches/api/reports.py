"""API of the monthly reports: the scoped list and one report (figures, status, history), starting a month's report
(POST on the list: the existing report of that village and month comes back with 200, a new one with 201), saving
the secretary's text (PATCH with the version: 409 on a stale version), and the transitions as actions calling the
same services as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from anding.forms import LONG_TEXT_CHARS, NOTE_CHARS
from anding.models import User, user_name
from anding.pagination import BoundedPagination

from .. import actions, selectors
from ..choices import OrgKind
from ..filtersets import MonthField, ReportFilterSet
from ..forms.reports import COMMENT_CHARS, check_month
from ..models import MonthlyReport, ReportTransition
from .serializers import OrganizationBriefSerializer

__all__ = [
    "ReportReasonSerializer",
    "ReportReviewSerializer",
    "ReportSaveSerializer",
    "ReportSerializer",
    "ReportStartSerializer",
    "ReportSubmitSerializer",
    "ReportTransitionSerializer",
    "ReportViewSet",
]

TEXT_FIELDS = ("narrative", "problems", "requests")


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthSerializerField(serializers.Field):
    """A month as "YYYY-MM" both ways."""

    default_error_messages = {"invalid": gettext_lazy("Give the month as YYYY-MM, for example 2026-11.")}

    def to_representation(self, value):
        return f"{value:%Y-%m}"

    def to_internal_value(self, data):
        try:
            month = MonthField(required=True).clean(data)
        except DjangoValidationError:
            self.fail("invalid")
        try:
            return check_month(month)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ReportTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name", read_only=True)  # ReportViewSet.select names the users

    class Meta:
        model = ReportTransition
        fields = ["from_status", "to_status", "actor", "at", "comment"]


class ReportSerializer(serializers.ModelSerializer):
    """A report with its figures (frozen at submission; computed now in the detail of a report being written)."""

    village = OrganizationBriefSerializer(read_only=True)
    general_branch = OrganizationBriefSerializer(read_only=True)
    month = MonthSerializerField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    due_date = serializers.DateField(read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    figures = serializers.SerializerMethodField()
    figures_frozen = serializers.SerializerMethodField()
    submitted_by = serializers.StringRelatedField()
    checked_by = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField()
    transitions = ReportTransitionSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "village",
            "general_branch",
            "month",
            "status",
            "status_display",
            "version",
            "narrative",
            "problems",
            "requests",
            "figures",
            "figures_frozen",
            "due_date",
            "is_late",
            "first_submitted_at",
            "submitted_at",
            "submitted_by",
            "checked_by",
            "approved_by",
            "approved_at",
            "transitions",
            "url",
        ]
        read_only_fields = fields

    def _live(self, report) -> bool:
        return bool(self.context.get("live_figures")) and report.is_editable

    def get_figures(self, report) -> dict:
        if self._live(report):
            return actions.report_figures(report.village, report.month)
        return report.figures

    def get_figures_frozen(self, report) -> bool:
        return not report.is_editable


class ReportStartSerializer(serializers.Serializer):
    village = serializers.IntegerField(min_value=1)
    month = MonthSerializerField()


class ReportSaveSerializer(serializers.Serializer):
    """The secretary's text; fields left out keep their stored value. Any other field is refused."""

    version = serializers.IntegerField(min_value=1)
    narrative = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=LONG_TEXT_CHARS
    )
    problems = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=NOTE_CHARS)
    requests = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=NOTE_CHARS)

    def to_internal_value(self, data):
        unknown = sorted(set(getattr(data, "keys", dict)()) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
        return super().to_internal_value(data)


class ReportSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)


class ReportReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=COMMENT_CHARS)


class ReportReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=NOTE_CHARS)


class ReportViewSet(ScopedReadOnlyViewSet):
    """Monthly reports in the caller's scope, with the HTML list's filters. POST on the list starts (or returns) the
    report of a village and month; PATCH saves the text with the version; `submit`, `check`, `return` and `approve`
    are the workflow's steps."""

    queryset = MonthlyReport.objects.all()
    pagination_class = BoundedPagination  # a wide scope holds hundreds of thousands
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self, queryset):
        # Each report's three users are read once each by key, and their names only (not three joins of the user
        # table's whole rows, which were a fifth of the list's time); the history's order is its own (the model's
        # joins the reports again) and names its actors (anding.models.user_name).
        rows = selectors.report_rows(queryset, related=("village", "general_branch"))
        names = User.objects.only("username", "full_name")
        history = ReportTransition.objects.order_by("at", "id").annotate(actor_name=user_name("actor"))
        return rows.order_by("-month", "village__tree_id", "village__lft").prefetch_related(
            *(Prefetch(role, queryset=names) for role in ("submitted_by", "checked_by", "approved_by")),
            Prefetch("transitions", queryset=history),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "live_figures": self.action != "list"}

    def _respond(self, pk, code=status.HTTP_200_OK):
        report = self.get_queryset().get(pk=pk)
        return Response(ReportSerializer(report, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ReportStartSerializer, responses={200: ReportSerializer, 201: ReportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReportStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        village = selectors.organization_get(request.user, serializer.validated_data["village"])
        if village.kind != OrgKind.VILLAGE:
            raise Http404
        month = serializer.validated_data["month"]
        report = actions.report_start(actor=request.user, village=village, month=month)
        return self._respond(report.pk, status.HTTP_201_CREATED if report.just_created else status.HTTP_200_OK)

    @extend_schema(request=ReportSaveSerializer, responses=ReportSerializer)
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = ReportSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actions.report_save(
            actor=request.user,
            report=report,
            version=data["version"],
            **{name: data.get(name, getattr(report, name)) for name in TEXT_FIELDS},
        )
        return self._respond(report.pk)

    @extend_schema(request=ReportSubmitSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, format=None):
        report = self.get_object()
        serializer = ReportSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.report_submit(actor=request.user, report=report, version=serializer.validated_data.get("version"))
        return self._respond(report.pk)

    @extend_schema(request=ReportReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None, format=None):
        report = self.get_object()
        serializer = ReportReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.report_check(actor=request.user, report=report, comment=serializer.validated_data.get("comment", ""))
        return self._respond(report.pk)

    @extend_schema(request=ReportReasonSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None, format=None):
        report = self.get_object()
        serializer = ReportReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.report_return(actor=request.user, report=report, reason=serializer.validated_data["reason"])
        return self._respond(report.pk)

    @extend_schema(request=ReportReviewSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None, format=None):
        report = self.get_object()
        serializer = ReportReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.report_approve(actor=request.user, report=report, comment=serializer.validated_data.get("comment", ""))
        return self._respond(report.pk)
