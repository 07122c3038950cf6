"""API of "general branch + N households": the resources of the general branches in scope with their trainings
(POST a resource; `trainings` records one it gave), the trainings on their own (PATCH corrects one), and the shared
sales (POST one, PATCH corrects one). The same actions as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from branches.api.serializers import OrganizationBriefSerializer
from branches.choices import OrgKind
from branches.models import Organization, PartyMember
from services.models import Household

from .. import actions
from ..choices import ResourceKind
from ..filtersets import ResourceFilterSet, SaleFilterSet, TrainingFilterSet
from ..models import BranchResource, ResourceTraining, SharedSale
from ..permissions import branch_generals

__all__ = ["ResourceViewSet", "SaleViewSet", "TrainingViewSet"]

GENERALS = Organization.objects.filter(kind=OrgKind.GENERAL)


class TrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourceTraining
        fields = ["id", "date", "topic", "person_times"]
        read_only_fields = fields


class ResourceSerializer(serializers.ModelSerializer):
    general_branch = OrganizationBriefSerializer(read_only=True)
    member = serializers.PrimaryKeyRelatedField(read_only=True)
    households = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    trainings = TrainingSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = BranchResource
        fields = ["id", "general_branch", "kind", "name", "specialty", "member", "households", "trainings", "url"]
        read_only_fields = fields


class ResourceCreateSerializer(serializers.Serializer):
    general_branch = serializers.PrimaryKeyRelatedField(queryset=GENERALS)
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    name = serializers.CharField(max_length=100)
    specialty = serializers.CharField(max_length=200)
    member = serializers.PrimaryKeyRelatedField(queryset=PartyMember.objects.none(), required=False, allow_null=True)
    households = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.none(),
        many=True,
        required=False,
        help_text="Households of the general branch's villages that the resource works with.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["member"].queryset = PartyMember.objects.restrict(request.user)
            self.fields["households"].child_relation.queryset = Household.objects.restrict(request.user).select_related(
                "village"
            )


class TrainingCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    person_times = serializers.IntegerField(min_value=0, max_value=10_000_000)


class SaleSerializer(serializers.ModelSerializer):
    general_branch = OrganizationBriefSerializer(read_only=True)

    class Meta:
        model = SharedSale
        fields = ["id", "general_branch", "product", "channel", "quantity_jin", "amount", "date"]
        read_only_fields = fields


class SaleCreateSerializer(serializers.Serializer):
    general_branch = serializers.PrimaryKeyRelatedField(queryset=GENERALS)
    product = serializers.CharField(max_length=100)
    channel = serializers.CharField(max_length=100)
    quantity_jin = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    date = serializers.DateField()


class ResourceViewSet(ScopedReadOnlyViewSet):
    """Resources (leading firms, cooperatives, party-member experts) of the general branches in scope."""

    queryset = BranchResource.objects.all()
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def select(self, queryset):
        return (
            queryset.select_related("general_branch").prefetch_related("trainings", "households").order_by("name", "pk")
        )

    def _answer(self, resource, code):
        fresh = self.get_queryset().get(pk=resource.pk)
        return Response(ResourceSerializer(fresh, context=self.get_serializer_context()).data, code)

    @extend_schema(request=ResourceCreateSerializer, responses={201: ResourceSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ResourceCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self._answer(actions.resource_add(actor=request.user, **serializer.validated_data), 201)

    @extend_schema(request=TrainingCreateSerializer, responses={201: ResourceSerializer})
    @action(detail=True, methods=["post"])
    def trainings(self, request, pk=None, format=None):
        resource = self.get_object()
        if not branch_generals(request.user).filter(pk=resource.general_branch_id).exists():
            raise PermissionDenied
        serializer = TrainingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.training_add(actor=request.user, resource=resource, **serializer.validated_data)
        return self._answer(resource, status.HTTP_201_CREATED)


class TrainingRowSerializer(serializers.ModelSerializer):
    resource = serializers.PrimaryKeyRelatedField(read_only=True)
    general_branch = OrganizationBriefSerializer(source="resource.general_branch", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ResourceTraining
        fields = ["id", "resource", "general_branch", "date", "topic", "person_times", "url"]
        read_only_fields = fields


class TrainingViewSet(ScopedReadOnlyViewSet):
    """Trainings given by the resources of the general branches in scope; PATCH corrects one (the general branch's
    officers, the town): only the fields given change, checked as when recorded."""

    queryset = ResourceTraining.objects.all()
    serializer_class = TrainingRowSerializer
    filterset_class = TrainingFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def select(self, queryset):
        return queryset.select_related("resource__general_branch").order_by("-date", "-pk")

    @extend_schema(request=TrainingCreateSerializer, responses=TrainingRowSerializer)
    def partial_update(self, request, *args, **kwargs):
        training = self.get_object()
        serializer = TrainingCreateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = {name: getattr(training, name) for name in ("date", "topic", "person_times")}
        actions.training_correct(actor=request.user, training=training, **{**current, **serializer.validated_data})
        fresh = self.get_queryset().get(pk=training.pk)
        return Response(TrainingRowSerializer(fresh, context=self.get_serializer_context()).data)


class SaleViewSet(ScopedReadOnlyViewSet):
    """Sales through shared channels of the general branches in scope; POST records one, PATCH corrects one (only
    the fields given change, checked as when recorded)."""

    queryset = SharedSale.objects.all()
    serializer_class = SaleSerializer
    filterset_class = SaleFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self, queryset):
        return queryset.select_related("general_branch").order_by("-date", "pk")

    def _answer(self, sale, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=sale.pk)
        return Response(SaleSerializer(fresh, context=self.get_serializer_context()).data, code)

    @extend_schema(request=SaleCreateSerializer, responses={201: SaleSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SaleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(actions.sale_add(actor=request.user, **serializer.validated_data), status.HTTP_201_CREATED)

    @extend_schema(request=SaleCreateSerializer, responses=SaleSerializer)
    def partial_update(self, request, *args, **kwargs):
        sale = self.get_object()
        serializer = SaleCreateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        names = ["general_branch", "product", "channel", "quantity_jin", "amount", "date"]
        current = {name: getattr(sale, name) for name in names}
        return self._answer(actions.sale_add(actor=request.user, sale=sale, **{**current, **serializer.validated_data}))
