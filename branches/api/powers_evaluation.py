"""API of cadre evaluations and leadership-adjustment proposals: the cases as every power's (`case_viewset`), with
the scores, weights, total, grade and rectification items in the answer, and actions for the sub-records: `scores`,
`item_add`, `item_done`, `item_remove` on an evaluation, `support` on a proposal. They call the same actions as the
pages (Idempotency-Key is inherited)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import actions
from ..models import CadreEvaluation, EvaluationScheme, RectificationItem
from ..models.powers.evaluation import DIMENSIONS, VOTES
from ..views.powers import adjustment, evaluation
from .powers import CaseTransitionSerializer, case_viewset

__all__ = ["CASE_VIEWSETS", "CadreEvaluationViewSet", "LeadershipAdjustmentViewSet"]

SCORES = [f"score_{code}" for code, _label in DIMENSIONS]
TALLIES = [f"votes_{g}" for g in VOTES]


class RectificationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationItem
        fields = ["id", "text", "deadline", "done_on", "note"]
        read_only_fields = fields


class ScoresSerializer(serializers.Serializer):
    scheme = serializers.PrimaryKeyRelatedField(
        queryset=EvaluationScheme.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The scheme to score with (default: the default scheme).",
    )
    version = serializers.IntegerField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SCORES:
            self.fields[name] = serializers.DecimalField(
                max_digits=4,
                decimal_places=1,
                min_value=0,
                max_value=100,
                required=False,
                allow_null=True,
                default=None,
            )
        for name in TALLIES:
            self.fields[name] = serializers.IntegerField(min_value=0, max_value=100000, required=False, default=0)


class ItemAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    deadline = serializers.DateField()


class ItemSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**62, help_text="An item of this evaluation.")


class ItemDoneSerializer(ItemSerializer):
    done_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SupportSerializer(serializers.Serializer):
    evaluations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        max_length=100,
        help_text="Final cadre evaluations of the same village.",
    )
    version = serializers.IntegerField(required=False, allow_null=True)


def _with_read(base, read, select):
    """`base` (a case viewset) answering with `read`, its rows read by `select`."""

    class ViewSet(base):
        serializer_class = read

        def select(self, queryset):
            return select(super().select(queryset))

        def get_serializer_class(self):
            return super().get_serializer_class() if self.action == "create" else read

        def answer(self, case, code=200):
            fresh = self.get_queryset().get(pk=case.pk)
            return Response(read(fresh, context=self.get_serializer_context()).data, status=code)

        @extend_schema(request=CaseTransitionSerializer, responses=read)
        @action(detail=True, methods=["post"])
        def transition(self, request, pk=None, format=None):
            return base.transition(self, request, pk, format)

        @extend_schema(responses=read)
        @action(detail=True, methods=["post"])
        def correct(self, request, pk=None, format=None):
            return base.correct(self, request, pk, format)

    return ViewSet


EvaluationBase = case_viewset(evaluation.PAGES)


class EvaluationReadSerializer(EvaluationBase.serializer_class):
    cadre = serializers.CharField(read_only=True)
    items = RectificationItemSerializer(many=True, read_only=True)

    class Meta(EvaluationBase.serializer_class.Meta):
        fields = [*EvaluationBase.serializer_class.Meta.fields, "cadre", "items"]  # with every field of the case
        read_only_fields = fields


class CadreEvaluationViewSet(
    _with_read(EvaluationBase, EvaluationReadSerializer, lambda q: q.select_related("member").prefetch_related("items"))
):
    @extend_schema(request=ScoresSerializer, responses=EvaluationReadSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = ScoresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        scheme = data.pop("scheme") or case.scheme or EvaluationScheme.objects.filter(is_default=True).first()
        actions.evaluation_score(
            actor=request.user, case=case, scheme=scheme, version=data.pop("version", None), **data
        )
        return self.answer(case)

    @extend_schema(request=ItemAddSerializer, responses={201: EvaluationReadSerializer})
    @action(detail=True, methods=["post"], url_path="item-add")
    def item_add(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = ItemAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.rectification_add(actor=request.user, case=case, **serializer.validated_data)
        return self.answer(case, 201)

    def _item(self, case, pk):
        item = case.items.filter(pk=pk).first()
        if item is None:
            raise serializers.ValidationError({"item": ["Not an item of this evaluation."]})
        return item

    @extend_schema(request=ItemDoneSerializer, responses=EvaluationReadSerializer)
    @action(detail=True, methods=["post"], url_path="item-done")
    def item_done(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = ItemDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item = self._item(case, data.pop("item"))
        actions.rectification_done(actor=request.user, item=item, **data)
        return self.answer(case)

    @extend_schema(request=ItemSerializer, responses=EvaluationReadSerializer)
    @action(detail=True, methods=["post"], url_path="item-remove")
    def item_remove(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = ItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.rectification_remove(actor=request.user, item=self._item(case, serializer.validated_data["item"]))
        return self.answer(case)


AdjustmentBase = case_viewset(adjustment.PAGES)


class AdjustmentReadSerializer(AdjustmentBase.serializer_class):
    class Meta(AdjustmentBase.serializer_class.Meta):
        fields = [*AdjustmentBase.serializer_class.Meta.fields, "evaluations"]
        read_only_fields = fields


class LeadershipAdjustmentViewSet(
    _with_read(AdjustmentBase, AdjustmentReadSerializer, lambda q: q.prefetch_related("evaluations"))
):
    @extend_schema(request=SupportSerializer, responses=AdjustmentReadSerializer)
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None, format=None):
        case = self.get_object()
        serializer = SupportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        wanted = set(data["evaluations"])
        found = list(CadreEvaluation.objects.restrict(request.user).filter(pk__in=wanted))
        if len(found) != len(wanted):
            raise serializers.ValidationError({"evaluations": ["Only final evaluations of the same village."]})
        actions.adjustment_support(actor=request.user, case=case, evaluations=found, version=data.get("version"))
        return self.answer(case)


CadreEvaluationViewSet.__name__ = CadreEvaluationViewSet.__qualname__ = "CadreEvaluationViewSet"
LeadershipAdjustmentViewSet.__name__ = LeadershipAdjustmentViewSet.__qualname__ = "LeadershipAdjustmentViewSet"

CASE_VIEWSETS = {
    CadreEvaluation.power: CadreEvaluationViewSet,
    adjustment.PAGES.model.power: LeadershipAdjustmentViewSet,
}
