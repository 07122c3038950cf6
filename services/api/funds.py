"""API of the special funds: allocations (with spent and balance, as exact decimal strings) and expenses in scope;
POST an allocation (the town), POST an expense with its voucher (multipart, the officers of the node). The same
actions as the pages: an expense beyond the balance is refused with 400 and nothing saved."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from branches.api.serializers import OrganizationBriefSerializer
from branches.models import Organization

from .. import actions, selectors
from ..choices import FundPurpose
from ..filtersets import AllocationFilterSet, ExpenseFilterSet
from ..models import FundAllocation, FundExpense
from ..models.funds import MONEY_DIGITS
from ..permissions import can_allocate, can_record_expense, spends_anywhere

__all__ = ["AllocationViewSet", "ExpenseViewSet"]


def _money(**kwargs):
    return serializers.DecimalField(max_digits=MONEY_DIGITS, decimal_places=2, **kwargs)


class AllocationSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    amount = _money(read_only=True)
    spent = _money(read_only=True)
    balance = _money(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = FundAllocation
        fields = ["id", "year", "purpose", "organization", "amount", "spent", "balance", "note", "url"]
        read_only_fields = fields


class AllocationCreateSerializer(serializers.Serializer):
    """A year's fund of a purpose for a node the caller may see (the action checks that the town allocates it)."""

    year = serializers.IntegerField(min_value=2000, max_value=2100)
    purpose = serializers.ChoiceField(choices=FundPurpose.choices)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    amount = _money(min_value=Decimal("0.01"))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = Organization.objects.restrict(request.user)


class AllocationCorrectSerializer(serializers.Serializer):
    amount = _money(min_value=Decimal("0.01"))
    note = serializers.CharField(max_length=2000)


class ExpenseSerializer(serializers.ModelSerializer):
    allocation = serializers.PrimaryKeyRelatedField(read_only=True)
    amount = _money(read_only=True)
    voucher = serializers.SerializerMethodField()

    class Meta:
        model = FundExpense
        fields = ["id", "allocation", "date", "amount", "purpose", "voucher"]
        read_only_fields = fields

    def get_voucher(self, expense) -> str | None:
        """The download address of the voucher."""
        voucher = getattr(expense, "voucher", None)
        return voucher.get_absolute_url() if voucher is not None else None


class ExpenseCreateSerializer(serializers.Serializer):
    """An expense of an allocation the caller may see, with its voucher (a file)."""

    allocation = serializers.PrimaryKeyRelatedField(queryset=FundAllocation.objects.none())
    date = serializers.DateField()
    amount = _money(min_value=Decimal("0.01"))
    purpose = serializers.CharField(max_length=200)
    voucher = serializers.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["allocation"].queryset = FundAllocation.objects.restrict(request.user)


class AllocationViewSet(ScopedReadOnlyViewSet):
    """Special-fund allocations the caller may see, with what was spent and the balance. POST allocates one (the
    town); `correct` raises or lowers one (the town), never below what is spent."""

    queryset = FundAllocation.objects.all()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet

    def select(self, queryset):
        return selectors.allocation_rows(queryset).order_by("-year", "organization__lft", "purpose", "pk")

    def get_serializer_class(self):
        return AllocationCreateSerializer if self.action == "create" else AllocationSerializer

    @extend_schema(request=AllocationCreateSerializer, responses={201: AllocationSerializer})
    def create(self, request, *args, **kwargs):
        if not can_allocate(request.user):
            raise PermissionDenied
        serializer = AllocationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        allocation = actions.allocate(actor=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=allocation.pk)
        return Response(
            AllocationSerializer(fresh, context=self.get_serializer_context()).data, status.HTTP_201_CREATED
        )

    @extend_schema(request=AllocationCorrectSerializer, responses=AllocationSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None, format=None):
        allocation = self.get_object()
        if not can_allocate(request.user, allocation.organization):
            raise PermissionDenied
        serializer = AllocationCorrectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.allocation_correct(actor=request.user, allocation=allocation, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=allocation.pk)
        return Response(AllocationSerializer(fresh, context=self.get_serializer_context()).data)


class ExpenseViewSet(ScopedReadOnlyViewSet):
    """Expenses of the allocations the caller may see, each with the address of its voucher. POST records one with
    its voucher, as multipart form data (the officers of the allocation's node, or the town); an expense beyond
    the allocation's balance is refused and nothing is saved."""

    queryset = FundExpense.objects.all()
    serializer_class = ExpenseSerializer
    filterset_class = ExpenseFilterSet

    def select(self, queryset):
        return selectors.expense_rows(queryset).order_by("-date", "-pk")

    def get_serializer_class(self):
        return ExpenseCreateSerializer if self.action == "create" else ExpenseSerializer

    def get_parsers(self):
        # The voucher is a file: a create is multipart (asked before `self.action` is set, hence the map).
        method = getattr(getattr(self, "request", None), "method", None) or ""
        if getattr(self, "action_map", {}).get(method.lower()) == "create":
            return [MultiPartParser()]
        return super().get_parsers()

    @extend_schema(request={"multipart/form-data": ExpenseCreateSerializer}, responses={201: ExpenseSerializer})
    def create(self, request, *args, **kwargs):
        if not spends_anywhere(request.user):
            raise PermissionDenied
        serializer = ExpenseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not can_record_expense(request.user, data["allocation"]):
            raise PermissionDenied
        expense = actions.expense_record(actor=request.user, **data)
        fresh = self.get_queryset().get(pk=expense.pk)
        return Response(ExpenseSerializer(fresh, context=self.get_serializer_context()).data, status.HTTP_201_CREATED)
