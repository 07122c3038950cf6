"""API of the major-matter review and the village-affairs inspection: the shared case viewset of each power, with
the steps of 四议两公开 (`record_step`) and the rectification items (`add_item`, `report_item`, `verify_item`)
through the same actions as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import actions
from ..models import InspectionItem, MatterStep
from ..views.powers import inspection, major_matter
from .powers import case_viewset

__all__ = ["CASE_VIEWSETS"]


class MatterStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatterStep
        fields = [
            "number",
            "held_on",
            "body",
            "entitled",
            "present",
            "in_favour",
            "against",
            "abstained",
            "published_how",
            "note",
        ]


class MatterStepInSerializer(MatterStepSerializer):
    """A step as it was held; `version` is the case's version you read (a stale one is refused)."""

    version = serializers.IntegerField(required=False, allow_null=True)

    class Meta(MatterStepSerializer.Meta):
        fields = [*MatterStepSerializer.Meta.fields, "version"]
        validators = []  # the action says which step comes next


class ItemSerializer(serializers.ModelSerializer):
    verified_by = serializers.CharField(source="verified_by.get_full_name", read_only=True, allow_null=True)

    class Meta:
        model = InspectionItem
        fields = ["id", "what", "deadline", "follow_up", "done_on", "verified_on", "verified_by"]
        read_only_fields = fields


class ItemInSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionItem
        fields = ["what", "deadline"]


class ItemReportSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**62)
    follow_up = serializers.CharField(max_length=2000)
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


class ItemRefSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**62)


def _with(base, name, serializer):
    """The read serializer of `base`'s cases with their sub-records under `name`."""
    read = base.serializer_class
    meta = type("Meta", (read.Meta,), {"fields": [*read.Meta.fields, name]})
    meta.read_only_fields = meta.fields
    fields = {"Meta": meta, name: serializer(many=True, read_only=True)}
    return type(f"{read.__name__}Detail", (read,), fields)


_Matter = case_viewset(major_matter.PAGES)
MatterRead = _with(_Matter, "steps", MatterStepSerializer)


class MajorMatterViewSet(_Matter):
    __doc__ = _Matter.__doc__ + " `record_step` records the next step of 四议两公开 (the village secretary)."
    serializer_class = MatterRead

    def select(self, queryset):
        return super().select(queryset).prefetch_related("steps")

    def get_serializer_class(self):
        return super().get_serializer_class() if self.action == "create" else MatterRead

    def answer(self, case, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(MatterRead(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=MatterStepInSerializer, responses=MatterRead)
    @action(detail=True, methods=["post"], url_path="record-step")
    def record_step(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = MatterStepInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        actions.matter_record_step(actor=request.user, case=case, version=version, **data)
        return self.answer(case)


_Inspection = case_viewset(inspection.PAGES)
InspectionRead = _with(_Inspection, "items", ItemSerializer)


class AffairsInspectionViewSet(_Inspection):
    __doc__ = _Inspection.__doc__ + (
        " `add_item` adds a rectification item (the general branch), `report_item` reports on one (the village), "
        "`verify_item` verifies one reported done (the general branch)."
    )
    serializer_class = InspectionRead

    def select(self, queryset):
        return super().select(queryset).prefetch_related("items__verified_by")

    def get_serializer_class(self):
        return super().get_serializer_class() if self.action == "create" else InspectionRead

    def answer(self, case, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(InspectionRead(fresh, context=self.get_serializer_context()).data, status=code)

    def item_of(self, case, pk):
        item = case.items.filter(pk=pk).first()
        if item is None:
            raise serializers.ValidationError({"item": ["Not an item of this inspection."]})
        item.inspection = case
        return item

    @extend_schema(request=ItemInSerializer, responses=InspectionRead)
    @action(detail=True, methods=["post"], url_path="add-item")
    def add_item(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = ItemInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.inspection_add_item(actor=request.user, case=case, **serializer.validated_data)
        return self.answer(case)

    @extend_schema(request=ItemReportSerializer, responses=InspectionRead)
    @action(detail=True, methods=["post"], url_path="report-item")
    def report_item(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = ItemReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = self.item_of(case, data["item"])
        actions.inspection_report_item(
            actor=request.user, item=item, follow_up=data["follow_up"], done_on=data["done_on"]
        )
        return self.answer(case)

    @extend_schema(request=ItemRefSerializer, responses=InspectionRead)
    @action(detail=True, methods=["post"], url_path="verify-item")
    def verify_item(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = ItemRefSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.inspection_verify_item(actor=request.user, item=self.item_of(case, serializer.validated_data["item"]))
        return self.answer(case)


CASE_VIEWSETS = {
    major_matter.PAGES.model.power: MajorMatterViewSet,
    inspection.PAGES.model.power: AffairsInspectionViewSet,
}
