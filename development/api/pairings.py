"""API of the pairings: those in scope with their villages and progress; POST sets one up (the officers of the
lead village's general branch, the town), PATCH changes it, `progress` records where it stands. The progress
records in scope on their own: PATCH corrects one (the same people). The same actions as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from branches.api.serializers import OrganizationBriefSerializer
from branches.choices import OrgKind
from branches.models import Organization

from .. import actions, selectors
from ..actions.pairings import MAX_TEXT
from ..filtersets import PairingFilterSet, ProgressFilterSet
from ..models import Pairing, PairingProgress

__all__ = ["PairingViewSet", "ProgressViewSet"]


class ProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = PairingProgress
        fields = ["id", "date", "area_mu", "households", "income_before", "income_after", "notes"]
        read_only_fields = fields


class PairingSerializer(serializers.ModelSerializer):
    lead_village = OrganizationBriefSerializer(read_only=True)
    general_branch = OrganizationBriefSerializer(source="lead_village.parent", read_only=True)
    helped_villages = OrganizationBriefSerializer(many=True, read_only=True)
    progress = ProgressSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "lead_village",
            "general_branch",
            "helped_villages",
            "industry",
            "goals",
            "start_date",
            "end_date",
            "progress",
            "url",
        ]
        read_only_fields = fields


VILLAGES = Organization.objects.filter(kind=OrgKind.VILLAGE)


class PairingWriteSerializer(serializers.Serializer):
    lead_village = serializers.PrimaryKeyRelatedField(queryset=VILLAGES)
    helped_villages = serializers.PrimaryKeyRelatedField(queryset=VILLAGES, many=True, allow_empty=False)
    industry = serializers.CharField(max_length=100)
    goals = serializers.CharField(max_length=MAX_TEXT)
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class ProgressWriteSerializer(serializers.Serializer):
    date = serializers.DateField()
    area_mu = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    households = serializers.IntegerField(min_value=0, max_value=10_000_000)
    income_before = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    income_after = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    notes = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class PairingViewSet(ScopedReadOnlyViewSet):
    """Pairings (强村带弱村) whose lead village or a helped village is in scope, with their progress."""

    queryset = Pairing.objects.all()
    serializer_class = PairingSerializer
    filterset_class = PairingFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self, queryset):
        return (
            queryset.select_related("lead_village__parent")
            .prefetch_related("helped_villages", "progress")
            .order_by("-start_date", "pk")
        )

    def _answer(self, pairing, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=pairing.pk)
        return Response(PairingSerializer(fresh, context=self.get_serializer_context()).data, code)

    @extend_schema(request=PairingWriteSerializer, responses={201: PairingSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PairingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairing = actions.pairing_save(actor=request.user, **serializer.validated_data)
        return self._answer(pairing, status.HTTP_201_CREATED)

    @extend_schema(request=PairingWriteSerializer, responses=PairingSerializer)
    def partial_update(self, request, *args, **kwargs):
        pairing = self.get_object()
        serializer = PairingWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = {
            "lead_village": pairing.lead_village,
            "helped_villages": list(pairing.helped_villages.all()),
            "industry": pairing.industry,
            "goals": pairing.goals,
            "start_date": pairing.start_date,
            "end_date": pairing.end_date,
        }
        changed = {**current, **serializer.validated_data}
        return self._answer(actions.pairing_save(actor=request.user, pairing=pairing, **changed))

    @extend_schema(request=ProgressWriteSerializer, responses={201: PairingSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None, format=None):
        pairing = self.get_object()
        serializer = ProgressWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.progress_add(actor=request.user, pairing=pairing, **serializer.validated_data)
        return self._answer(pairing, status.HTTP_201_CREATED)


class ProgressRowSerializer(serializers.ModelSerializer):
    pairing = serializers.PrimaryKeyRelatedField(read_only=True)
    lead_village = OrganizationBriefSerializer(source="pairing.lead_village", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = PairingProgress
        fields = [
            "id",
            "pairing",
            "lead_village",
            "date",
            "area_mu",
            "households",
            "income_before",
            "income_after",
            "notes",
            "url",
        ]
        read_only_fields = fields


class ProgressViewSet(ScopedReadOnlyViewSet):
    """Progress records of the pairings in scope; PATCH corrects one (the officers over its lead village, the
    town): only the fields given change, checked as when recorded."""

    queryset = PairingProgress.objects.all()
    serializer_class = ProgressRowSerializer
    filterset_class = ProgressFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def select(self, queryset):
        return selectors.progress_rows(queryset).order_by("-date", "-pk")

    @extend_schema(request=ProgressWriteSerializer, responses=ProgressRowSerializer)
    def partial_update(self, request, *args, **kwargs):
        progress = self.get_object()
        serializer = ProgressWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        names = ["date", "area_mu", "households", "income_before", "income_after", "notes"]
        current = {name: getattr(progress, name) for name in names}
        actions.progress_correct(actor=request.user, progress=progress, **{**current, **serializer.validated_data})
        fresh = self.get_queryset().get(pk=progress.pk)
        return Response(ProgressRowSerializer(fresh, context=self.get_serializer_context()).data)
