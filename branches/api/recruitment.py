"""API of the recruitment (发展党员): the scoped cases with their steps (ID numbers masked), opening a case with the
application (POST on the list) and recording the next step (`steps`), through the same actions as the pages. The
pre-review is a case of the seven powers (their API)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anding.api import AuditedRetrieveMixin, ScopedReadOnlyViewSet

from .. import actions, selectors
from ..choices import Gender
from ..filtersets import RecruitmentFilterSet
from ..models import RecruitmentCase, RecruitmentStep
from ..models.recruitment import STEP_NUMBERS
from .serializers import OrganizationBriefSerializer

__all__ = [
    "RecruitmentCaseSerializer",
    "RecruitmentOpenSerializer",
    "RecruitmentStepInSerializer",
    "RecruitmentStepSerializer",
    "RecruitmentViewSet",
]


class RecruitmentStepSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = RecruitmentStep
        fields = ["number", "label", "done_on", "people", "expected", "present", "in_favour", "note"]


class RecruitmentCaseSerializer(serializers.ModelSerializer):
    """A case, the person's ID number masked, with its steps."""

    village = OrganizationBriefSerializer(read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    next_step = serializers.IntegerField(read_only=True, allow_null=True, default=None)
    steps = RecruitmentStepSerializer(many=True, read_only=True)

    class Meta:
        model = RecruitmentCase
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "village",
            "stage",
            "last_step",
            "next_step",
            "opened_on",
            "closed_on",
            "end_reason",
            "member",
            "version",
            "steps",
        ]


class RecruitmentOpenSerializer(serializers.Serializer):
    village = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=30)
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField()
    id_number = serializers.CharField(max_length=18)
    applied_on = serializers.DateField()
    people = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RecruitmentStepInSerializer(serializers.Serializer):
    """The next step: its number (checked against the case's next step), date, people, vote and note."""

    number = serializers.ChoiceField(choices=STEP_NUMBERS)
    done_on = serializers.DateField()
    people = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    expected = serializers.IntegerField(min_value=0, max_value=10000, required=False, allow_null=True, default=None)
    present = serializers.IntegerField(min_value=0, max_value=10000, required=False, allow_null=True, default=None)
    in_favour = serializers.IntegerField(min_value=0, max_value=10000, required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, required=False)


class RecruitmentViewSet(AuditedRetrieveMixin, ScopedReadOnlyViewSet):
    """Recruitment cases in the caller's scope with the HTML list's filters. POST on the list opens a case with the
    application (step 1); POST `steps` records the next step (refused with the rule named, the vote's quorum or
    majority, or the pre-review missing)."""

    read_action = "recruitment_view"  # a recruit's personal data: every retrieve is audited
    queryset = RecruitmentCase.objects.all()
    serializer_class = RecruitmentCaseSerializer
    filterset_class = RecruitmentFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def select(self, queryset):
        return selectors.recruitment_rows(queryset).prefetch_related("steps")

    def _respond(self, pk, code=status.HTTP_200_OK):
        case = self.get_queryset().get(pk=pk)
        return Response(RecruitmentCaseSerializer(case, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=RecruitmentOpenSerializer, responses={201: RecruitmentCaseSerializer})
    def create(self, request, *args, **kwargs):
        serializer = RecruitmentOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["village"] = selectors.organization_get(request.user, data["village"])
        case = actions.recruitment_open(actor=request.user, **data)
        return self._respond(case.pk, status.HTTP_201_CREATED)

    @extend_schema(request=RecruitmentStepInSerializer, responses={201: RecruitmentCaseSerializer})
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = RecruitmentStepInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.recruitment_record_step(actor=request.user, case=case, **serializer.validated_data)
        return self._respond(case.pk, status.HTTP_201_CREATED)
