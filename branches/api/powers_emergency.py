"""API of emergencies (紧急情况处置): the cases' API of every power (`case_viewset`), each case with its timeline, and
two actions of its own, through the same actions as the pages: `reports` files a report (the first one takes the
case to "responding", the final one to "final report filed"), `actions` logs an action."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from anding.forms import NOTE_CHARS

from .. import actions
from ..models import EmergencyAction, EmergencyReport
from ..views.powers.emergency import PAGES
from .powers import case_viewset

__all__ = ["EmergencyViewSet"]


class EmergencyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmergencyReport
        fields = ["id", "kind", "number", "reported_at", "content", "reporter", "recipient", "due_at", "late"]
        read_only_fields = fields


class EmergencyActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmergencyAction
        fields = ["id", "at", "action", "taken_by"]
        read_only_fields = fields


class EmergencyReportInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EmergencyReport.Kind.choices)
    reported_at = serializers.DateTimeField()
    content = serializers.CharField(max_length=NOTE_CHARS)
    reporter = serializers.CharField(max_length=100)
    recipient = serializers.CharField(max_length=100)
    version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The version you read; a stale one is refused."
    )


class EmergencyActionInput(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField(max_length=2000)
    taken_by = serializers.CharField(max_length=200)


Base = case_viewset(PAGES)
Read = Base.serializer_class
# The case as read (and as every answer of the viewset returns it) carries its timeline too.
Read._declared_fields.update(
    reports=EmergencyReportSerializer(many=True, read_only=True),
    action_log=EmergencyActionSerializer(many=True, read_only=True),
)
Read.Meta.fields = Read.Meta.read_only_fields = [*Read.Meta.fields, "reports", "action_log"]


class EmergencyViewSet(Base):
    __doc__ = Base.__doc__ + " `reports` files a report of the timeline; `actions` logs an action taken."

    def select(self, queryset):
        return super().select(queryset).prefetch_related("reports", "action_log")

    @extend_schema(request=EmergencyReportInput, responses=Read)
    @action(detail=True, methods=["post"], url_path="reports")
    def add_report(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = EmergencyReportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.emergency_report_add(actor=request.user, incident=case, **serializer.validated_data)
        return self.answer(case)

    @extend_schema(request=EmergencyActionInput, responses=Read)
    @action(detail=True, methods=["post"], url_path="actions")
    def add_action(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = EmergencyActionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.emergency_action_add(actor=request.user, incident=case, **serializer.validated_data)
        return self.answer(case)
