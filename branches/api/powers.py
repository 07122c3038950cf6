"""API of the seven powers, made once for every power (`case_viewset(pages)`): the cases in scope with their
history, POST to open one, `transition` to take a step of its workflow and `correct` to correct its fields, through
the same actions as the pages. A power with sub-records (scores, steps, reports) adds its own actions to the
viewset this returns."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet
from anding.forms import NOTE_CHARS

from .. import actions, selectors
from ..filtersets import case_filterset
from ..models import CaseEvent, Organization, PartyMember
from .serializers import OrganizationBriefSerializer

__all__ = ["CaseEventSerializer", "CaseTransitionSerializer", "case_viewset"]

HIDDEN = {"created_by", "updated_by", "updated_at"}  # the history says who did what
BASE_FIELDS = ["id", "title", "status", "village", "general_branch", "opened_on", "due_on", "closed_on", "version"]


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_full_name", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["transition", "from_status", "to_status", "comment", "actor", "at"]
        read_only_fields = fields


class CaseTransitionSerializer(serializers.Serializer):
    step = serializers.CharField(max_length=30, help_text="The name of a step of the power's workflow.")
    comment = serializers.CharField(max_length=NOTE_CHARS, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, allow_null=True, help_text="The version you read; a stale one is refused."
    )


def _serializers(model, fields):
    """The read serializer of a power's cases, the one that opens a case and the one that corrects it."""
    name = model.__name__
    own = [f.name for f in model._meta.concrete_fields if f.name not in BASE_FIELDS and f.name not in HIDDEN]
    read_meta = type("Meta", (), {"model": model, "fields": [*BASE_FIELDS, *own, "events", "url"]})
    read = type(
        f"{name}Serializer",
        (serializers.ModelSerializer,),
        {
            "Meta": read_meta,
            "village": OrganizationBriefSerializer(read_only=True),
            "general_branch": OrganizationBriefSerializer(read_only=True, allow_null=True),
            "events": CaseEventSerializer(many=True, read_only=True),
            "url": serializers.CharField(source="get_absolute_url", read_only=True),
        },
    )
    read.Meta.read_only_fields = read_meta.fields

    class OpenBase(serializers.ModelSerializer):
        village = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            request = self.context.get("request")
            if request is not None and "village" in self.fields:
                roles = actions.workflow_of(model).open_roles
                self.fields["village"].queryset = villages = selectors.power_villages(request.user, roles)
                if "member" in self.fields:  # a case about a member: one of those villages'
                    self.fields["member"].queryset = PartyMember.objects.filter(branch__in=villages)

    class CorrectBase(serializers.ModelSerializer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "member" in self.fields and self.instance is not None:  # a member of the case's village
                self.fields["member"].queryset = PartyMember.objects.filter(branch=self.instance.village_id)

    editable = [f for f in fields if f != "village"]
    opening = type(
        f"{name}OpenSerializer",
        (OpenBase,),
        {"Meta": type("Meta", (), {"model": model, "fields": ["village", *editable]})},
    )
    correcting = type(
        f"{name}CorrectSerializer",
        (CorrectBase,),
        {
            "Meta": type("Meta", (), {"model": model, "fields": [*editable, "version"]}),
            "version": serializers.IntegerField(required=False, allow_null=True),
        },
    )
    return read, opening, correcting


def case_viewset(pages) -> type[ScopedReadOnlyViewSet]:
    """The viewset of one power's cases (`pages`: its CasePages, whose `fields` are the case's own fields)."""
    model = pages.model
    read, opening, correcting = _serializers(model, pages.fields)

    class CaseViewSet(ScopedReadOnlyViewSet):
        queryset = model.objects.all()
        serializer_class = read
        filterset_class = case_filterset(model)

        def select(self, queryset):
            return selectors.case_rows(queryset).prefetch_related("events__actor")

        def get_serializer_class(self):
            return opening if self.action == "create" else read

        def answer(self, case, code=status.HTTP_200_OK):
            fresh = self.get_queryset().get(pk=case.pk)
            return Response(read(fresh, context=self.get_serializer_context()).data, status=code)

        @extend_schema(request=opening, responses={201: read})
        def create(self, request, *args, **kwargs):
            if not selectors.power_villages(request.user, actions.workflow_of(model).open_roles).exists():
                raise PermissionDenied
            serializer = opening(data=request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            case = actions.case_open(actor=request.user, model=model, **serializer.validated_data)
            return self.answer(case, status.HTTP_201_CREATED)

        @extend_schema(request=CaseTransitionSerializer, responses=read)
        @action(detail=True, methods=["post"])
        def transition(self, request, pk=None, format=None):
            case = self.get_object()
            serializer = CaseTransitionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            if data["step"] not in actions.workflow_of(model).by_name:
                raise serializers.ValidationError({"step": ["Not a step of this power's workflow."]})
            actions.case_transition(
                actor=request.user, case=case, name=data["step"], comment=data["comment"], version=data.get("version")
            )
            return self.answer(case)

        @extend_schema(request=correcting, responses=read)
        @action(detail=True, methods=["post"])
        def correct(self, request, pk=None, format=None):
            case = self.get_object()
            serializer = correcting(case, data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            version = data.pop("version", None)
            actions.case_update(actor=request.user, case=case, version=version, **data)
            return self.answer(case)

    CaseViewSet.__name__ = CaseViewSet.__qualname__ = f"{model.__name__}ViewSet"
    CaseViewSet.__doc__ = (
        f"Cases of the power “{model.power}” in the caller's scope, with their history. POST opens one (officers of "
        "the village's general branch); `transition` takes a step of the workflow; `correct` corrects the fields."
    )
    return CaseViewSet
