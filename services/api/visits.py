"""API of household visits: the households and the visits in scope; POST a household (an officer over its village),
POST a visit, POST `close` on a visit's follow-up. The same actions as the pages."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anding.api import AuditedRetrieveMixin, ScopedReadOnlyViewSet
from anding.pagination import EstimatedPagination
from branches.api.serializers import OrganizationBriefSerializer
from branches.choices import OrgKind
from branches.models import Organization

from .. import actions, selectors
from ..filtersets import HouseholdFilterSet, VisitFilterSet
from ..models import MAX_HOUSEHOLD_SIZE, Household, HouseholdVisit, VisitTopic
from ..permissions import can_keep_visits, may_keep_visits
from .serializers import NamedSerializer

__all__ = [
    "HouseholdCreateSerializer",
    "HouseholdSerializer",
    "HouseholdViewSet",
    "VisitCloseSerializer",
    "VisitCreateSerializer",
    "VisitSerializer",
    "VisitViewSet",
]


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "name"]
        read_only_fields = fields


class TopicSerializer(NamedSerializer):
    class Meta(NamedSerializer.Meta):
        model = VisitTopic


class HouseholdSerializer(serializers.ModelSerializer):
    village = OrganizationBriefSerializer(read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "village", "number", "head_name", "address", "phone_masked", "size", "active", "note", "url"]
        read_only_fields = fields


class HouseholdCreateSerializer(serializers.Serializer):
    """A household on the register of a village the caller keeps."""

    village = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(kind=OrgKind.VILLAGE))
    number = serializers.CharField(max_length=20)
    head_name = serializers.CharField(max_length=30)
    address = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    size = serializers.IntegerField(min_value=1, max_value=MAX_HOUSEHOLD_SIZE)
    active = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["village"].queryset = Organization.objects.restrict(request.user).filter(kind=OrgKind.VILLAGE)


class VisitSerializer(serializers.ModelSerializer):
    household = serializers.PrimaryKeyRelatedField(read_only=True)
    village = OrganizationBriefSerializer(source="household.village", read_only=True)
    leader = UserBriefSerializer(read_only=True)
    cadres = UserBriefSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    follow_up_owner = UserBriefSerializer(read_only=True, allow_null=True)
    is_open_follow_up = serializers.BooleanField(read_only=True)

    class Meta:
        model = HouseholdVisit
        fields = [
            "id",
            "household",
            "village",
            "date",
            "leader",
            "cadres",
            "topics",
            "raised",
            "follow_up",
            "follow_up_owner",
            "follow_up_due",
            "closed_on",
            "closing_note",
            "is_open_follow_up",
        ]
        read_only_fields = fields


class VisitCreateSerializer(serializers.Serializer):
    """A visit to a household of a village the caller keeps; the people named are officers over the village."""

    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none())
    date = serializers.DateField()
    leader = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    cadres = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), many=True, required=False, default=list
    )
    topics = serializers.PrimaryKeyRelatedField(queryset=VisitTopic.objects.all(), many=True)
    raised = serializers.CharField(max_length=2000)
    follow_up = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    follow_up_owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True, default=None
    )
    follow_up_due = serializers.DateField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["household"].queryset = Household.objects.restrict(request.user).select_related("village")


class VisitCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    note = serializers.CharField(max_length=2000)


class HouseholdViewSet(AuditedRetrieveMixin, ScopedReadOnlyViewSet):
    """The households on the registers of the villages the caller may see (phones masked). POST adds one to the
    register of a village the caller keeps."""

    read_action = "household_view"  # residents' personal data: every retrieve is audited
    queryset = Household.objects.all()
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet

    def select(self, queryset):
        return queryset.select_related("village").order_by("village__tree_id", "village__lft", "number", "pk")

    def get_serializer_class(self):
        return HouseholdCreateSerializer if self.action == "create" else HouseholdSerializer

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdSerializer})
    def create(self, request, *args, **kwargs):
        if not may_keep_visits(request.user):
            raise PermissionDenied
        serializer = HouseholdCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        household = actions.household_save(actor=request.user, household=None, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=household.pk)
        return Response(HouseholdSerializer(fresh, context=self.get_serializer_context()).data, status.HTTP_201_CREATED)


class VisitViewSet(ScopedReadOnlyViewSet):
    """The household visits the caller may see. POST records one (an officer over the household's village);
    `close` closes its follow-up."""

    queryset = HouseholdVisit.objects.all()
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    pagination_class = EstimatedPagination  # the city's count as an estimate on its first pages, as on its page

    def select(self, queryset):
        return selectors.visit_rows(queryset).prefetch_related("cadres").order_by("-date", "-pk")

    def get_serializer_class(self):
        return VisitCreateSerializer if self.action == "create" else VisitSerializer

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        if not may_keep_visits(request.user):
            raise PermissionDenied
        serializer = VisitCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        visit = actions.visit_record(actor=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(fresh, context=self.get_serializer_context()).data, status.HTTP_201_CREATED)

    @extend_schema(request=VisitCloseSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, format=None):
        visit = self.get_object()
        if not can_keep_visits(request.user, visit.household.village):
            raise PermissionDenied
        serializer = VisitCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.visit_close(actor=request.user, visit=visit, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(fresh, context=self.get_serializer_context()).data)
