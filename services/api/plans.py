"""API of the tailored assessment plans: plans in scope with their indicators and score; POST opens one (an officer
of the village's general branch), PATCH changes its weak points, `indicators` replaces its indicators, `submit`
sends it to the town, `decide` approves or returns it (the town), `actuals` records actual values. The same
actions as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from branches.api.serializers import OrganizationBriefSerializer

from .. import actions, selectors
from ..actions.plans import MAX_INDICATORS, MAX_TEXT, IndicatorLine
from ..choices import Direction
from ..filtersets import PlanFilterSet
from ..models import AssessmentPlan, PlanIndicator
from ..permissions import plan_villages

__all__ = ["PlanViewSet"]


class IndicatorSerializer(serializers.ModelSerializer):
    attainment = serializers.DecimalField(max_digits=5, decimal_places=4, read_only=True, allow_null=True)
    points = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = PlanIndicator
        fields = ["id", "order", "name", "unit", "direction", "target", "weight", "actual", "attainment", "points"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    village = OrganizationBriefSerializer(read_only=True)
    general_branch = OrganizationBriefSerializer(source="village.parent", read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    score = serializers.DecimalField(
        source="score.score", max_digits=4, decimal_places=1, read_only=True, allow_null=True
    )
    measured = serializers.IntegerField(source="score.measured", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = AssessmentPlan
        fields = [
            "id",
            "village",
            "general_branch",
            "year",
            "status",
            "weak_points",
            "submitted_on",
            "decided_on",
            "return_reason",
            "indicators",
            "score",
            "measured",
            "url",
        ]
        read_only_fields = fields


class PlanWeakPointsSerializer(serializers.Serializer):
    weak_points = serializers.CharField(max_length=MAX_TEXT)


class PlanOpenSerializer(PlanWeakPointsSerializer):
    village = serializers.PrimaryKeyRelatedField(queryset=AssessmentPlan.objects.none())
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="This year or the next.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["village"].queryset = plan_villages(request.user)


class IndicatorLineSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.AT_LEAST)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class IndicatorsSerializer(serializers.Serializer):
    indicators = IndicatorLineSerializer(many=True, max_length=MAX_INDICATORS, help_text="Every indicator, in order.")


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class ActualSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    actual = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, allow_null=True)


class ActualsSerializer(serializers.Serializer):
    actuals = ActualSerializer(many=True, max_length=MAX_INDICATORS)


class PlanViewSet(ScopedReadOnlyViewSet):
    """Tailored assessment plans of the villages in scope, with their indicators and score."""

    queryset = AssessmentPlan.objects.all()
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self, queryset):
        return selectors.plan_rows(queryset).order_by("-year", "village__lft", "pk")

    def _answer(self, plan, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(PlanSerializer(fresh, context=self.get_serializer_context()).data, code)

    @extend_schema(request=PlanOpenSerializer, responses={201: PlanSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PlanOpenSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        plan = actions.plan_open(actor=request.user, **serializer.validated_data)
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanWeakPointsSerializer, responses=PlanSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = PlanWeakPointsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(actions.plan_update(actor=request.user, plan=plan, **serializer.validated_data))

    @extend_schema(request=IndicatorsSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def indicators(self, request, pk=None, format=None):
        plan = self.get_object()
        serializer = IndicatorsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lines = [IndicatorLine(**line) for line in serializer.validated_data["indicators"]]
        return self._answer(actions.plan_set_indicators(actor=request.user, plan=plan, lines=lines))

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, format=None):
        return self._answer(actions.plan_submit(actor=request.user, plan=self.get_object()))

    @extend_schema(request=DecideSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None, format=None):
        plan = self.get_object()
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(actions.plan_decide(actor=request.user, plan=plan, **serializer.validated_data))

    @extend_schema(request=ActualsSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def actuals(self, request, pk=None, format=None):
        plan = self.get_object()
        serializer = ActualsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = {line["indicator"]: line["actual"] for line in serializer.validated_data["actuals"]}
        return self._answer(actions.plan_record_actuals(actor=request.user, plan=plan, actuals=values))
