"""API of the villages' yearly figures: those in scope; POST enters a village's figures for a year, PATCH corrects
them (its village's officers, its general branch, the town). The same action as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from branches.api.serializers import OrganizationBriefSerializer
from branches.choices import OrgKind
from branches.models import Organization

from .. import actions, selectors
from ..filtersets import FiguresFilterSet
from ..models import VillageFigures
from ..permissions import figures_villages

__all__ = ["FiguresViewSet"]


class FiguresSerializer(serializers.ModelSerializer):
    village = OrganizationBriefSerializer(read_only=True)
    general_branch = OrganizationBriefSerializer(source="village.parent", read_only=True)

    class Meta:
        model = VillageFigures
        fields = ["id", "village", "general_branch", "year", "collective_income", "income_per_capita"]
        read_only_fields = fields


class FiguresWriteSerializer(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(kind=OrgKind.VILLAGE))
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    collective_income = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    income_per_capita = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)


class FiguresViewSet(ScopedReadOnlyViewSet):
    """Villages' yearly figures (collective income, income per capita) in scope."""

    queryset = VillageFigures.objects.all()
    serializer_class = FiguresSerializer
    filterset_class = FiguresFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self, queryset):
        return selectors.figures_rows(queryset).order_by("-year", "village__lft", "pk")

    def _answer(self, row, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=row.pk)
        return Response(FiguresSerializer(fresh, context=self.get_serializer_context()).data, code)

    @extend_schema(request=FiguresWriteSerializer, responses={201: FiguresSerializer})
    def create(self, request, *args, **kwargs):
        serializer = FiguresWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = actions.figures_save(actor=request.user, **serializer.validated_data)
        return self._answer(row, status.HTTP_201_CREATED)

    @extend_schema(request=FiguresWriteSerializer, responses=FiguresSerializer)
    def partial_update(self, request, *args, **kwargs):
        row = self.get_object()
        if not figures_villages(request.user).filter(pk=row.village_id).exists():
            raise PermissionDenied
        serializer = FiguresWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = {
            "village": row.village,
            "year": row.year,
            "collective_income": row.collective_income,
            "income_per_capita": row.income_per_capita,
        }
        changed = {**current, **serializer.validated_data}
        return self._answer(actions.figures_save(actor=request.user, figures=row, **changed))
