"""API of the external partnerships: the events of the general branches in scope; POST records one, PATCH corrects
or completes one (the general branch's officers, the town). The same action as the pages. The partners (reference
data), read-only: those the user's general branches work with, with their events in the user's scope."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from branches.api.serializers import OrganizationBriefSerializer
from branches.choices import OrgKind
from branches.models import Organization

from .. import actions, selectors
from ..choices import EventKind
from ..filtersets import EventFilterSet, PartnerFilterSet
from ..models import Partner, PartnerEvent

__all__ = ["EventViewSet", "PartnerViewSet"]

COUNT = {"min_value": 0, "max_value": 10_000_000}


class PartnerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    general_branch = OrganizationBriefSerializer(read_only=True)
    partner = PartnerBriefSerializer(read_only=True)

    class Meta:
        model = PartnerEvent
        fields = [
            "id",
            "general_branch",
            "partner",
            "kind",
            "date",
            "title",
            "people_employed",
            "person_times_trained",
            "contracts",
            "amount",
            "note",
        ]
        read_only_fields = fields


class EventCreateSerializer(serializers.Serializer):
    general_branch = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(kind=OrgKind.GENERAL))
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    kind = serializers.ChoiceField(choices=EventKind.choices)
    date = serializers.DateField()
    title = serializers.CharField(max_length=200)
    people_employed = serializers.IntegerField(default=0, **COUNT)
    person_times_trained = serializers.IntegerField(default=0, **COUNT)
    contracts = serializers.IntegerField(default=0, **COUNT)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, default=0)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EventViewSet(ScopedReadOnlyViewSet):
    """Partnership events (外部带动内部) of the general branches in scope, with their outcomes."""

    queryset = PartnerEvent.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self, queryset):
        return queryset.select_related("general_branch", "partner").order_by("-date", "pk")

    def _answer(self, event, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=event.pk)
        return Response(EventSerializer(fresh, context=self.get_serializer_context()).data, code)

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    def create(self, request, *args, **kwargs):
        serializer = EventCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(actions.event_add(actor=request.user, **serializer.validated_data), status.HTTP_201_CREATED)

    @extend_schema(request=EventCreateSerializer, responses=EventSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Correct the event or complete its outcomes: only the fields given change."""
        event = self.get_object()
        serializer = EventCreateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        names = ["general_branch", "partner", "kind", "date", "title", "people_employed", "person_times_trained"]
        current = {name: getattr(event, name) for name in [*names, "contracts", "amount", "note"]}
        return self._answer(
            actions.event_add(actor=request.user, event=event, **{**current, **serializer.validated_data})
        )


class PartnerSerializer(serializers.ModelSerializer):
    events = serializers.IntegerField(
        source="event_count", read_only=True, help_text="Its events in the caller's scope."
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "contact_note", "events", "url"]
        read_only_fields = fields


class PartnerViewSet(ScopedReadOnlyViewSet):
    """Partners (reference data) of the general branches in scope, and those with no event yet."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet

    def select(self, queryset):
        return selectors.partner_rows(queryset, self.request.user).order_by("name", "pk")
