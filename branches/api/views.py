"""API views of the branches app: three attributes each, the queryset from the scoped selectors."""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from anding import audit
from anding.api import AuditedRetrieveMixin, ScopedReadOnlyViewSet
from anding.pagination import EstimatedPagination

from .. import actions, selectors
from ..filtersets import MemberFilterSet, OrganizationFilterSet
from ..forms import MemberImportForm
from ..models import Organization, PartyMember
from ..roster_import import ImportCheck, check_rows
from .serializers import MemberSerializer, OrganizationSerializer

__all__ = ["MemberViewSet", "OrganizationViewSet"]


class OrganizationViewSet(ScopedReadOnlyViewSet):
    """The organization tree in the caller's scope, with depth and cumulative member counts."""

    queryset = Organization.objects.all()
    select = staticmethod(selectors.organization_tree_rows)
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet


def _import_answer(check: ImportCheck, *, imported: bool) -> dict:
    return {
        **check.counts(),
        "created": len(check.new) if imported else 0,
        "skipped_rows": check.skipped,
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in check.errors],
    }


def _refusal(column: str | None, messages) -> dict:
    """A refusal before any row was read (a wrong file), in the same shape as the rows' errors (row 0)."""
    errors = [{"row": 0, "column": column, "message": str(m)} for m in messages]
    return {**ImportCheck().counts(), "created": 0, "skipped_rows": [], "errors": errors}


_ANSWER = inline_serializer(
    "MemberImportAnswer",
    {
        "rows": serializers.IntegerField(),
        "new": serializers.IntegerField(),
        "skipped": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "skipped_rows": serializers.ListField(child=serializers.IntegerField()),
        "errors": inline_serializer(
            "ImportRowError",
            {
                "row": serializers.IntegerField(),
                "column": serializers.CharField(allow_null=True),
                "message": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class MemberViewSet(AuditedRetrieveMixin, ScopedReadOnlyViewSet):
    """Party members in the caller's scope; ID numbers and phones masked. A member's detail is an audited read."""

    read_action = "member_view"
    queryset = PartyMember.objects.all()
    select = staticmethod(selectors.member_rows)
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
    pagination_class = EstimatedPagination  # the city's count as an estimate on its first pages, as on its page

    @extend_schema(
        request={"multipart/form-data": inline_serializer("MemberImportUpload", {"file": serializers.FileField()})},
        parameters=[OpenApiParameter("dry_run", bool, description="Check the file only and answer the preview.")],
        # A refusal is the answer with the rows' errors, or (a bad header or file) the API's usual field messages.
        responses={200: _ANSWER, 201: _ANSWER, 400: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_(self, request, format=None):
        """Import members from an Excel roster (the template of /members/import/template.xlsx): every row checked,
        nothing saved while any row is wrong; rows already on the roster are skipped."""
        if not actions.may_import_members(request.user):
            raise PermissionDenied
        form = MemberImportForm(request)
        if not form.is_valid():
            return Response(_refusal("file", form.errors.get("file", [])), status=status.HTTP_400_BAD_REQUEST)
        if request.query_params.get("dry_run") in ("1", "true", "True"):
            try:
                check = check_rows(request.user, form.rows)
            except ValidationError as exc:  # too many rows answering ID-number lookups
                return Response(_refusal("file", exc.messages), status=status.HTTP_400_BAD_REQUEST)
            audit.record("member_import_check", actor=request.user, detail=check.counts())
            return Response(_import_answer(check, imported=False))
        try:
            check = actions.member_import(actor=request.user, rows=form.rows)
        except ValidationError as exc:
            check = getattr(exc, "check", None)
            if check is None:
                return Response(_refusal(None, exc.messages), status=status.HTTP_400_BAD_REQUEST)
            return Response(_import_answer(check, imported=False), status=status.HTTP_400_BAD_REQUEST)
        return Response(_import_answer(check, imported=True), status=status.HTTP_201_CREATED)
