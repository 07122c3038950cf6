"""API of the services app: half-days and records in scope; POST a record (department staff), POST `close` on a
follow-up. The same actions as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anding.api import ScopedReadOnlyViewSet

from .. import actions, selectors
from ..filtersets import RecordFilterSet, SessionFilterSet
from ..models import ServiceRecord, ServiceSession
from ..permissions import can_close_follow_up, can_record
from .serializers import FollowUpCloseSerializer, RecordCreateSerializer, RecordSerializer, SessionSerializer

__all__ = ["RecordViewSet", "SessionViewSet"]


class SessionViewSet(ScopedReadOnlyViewSet):
    """The half-days of the service centres the caller may see, with the departments present."""

    queryset = ServiceSession.objects.all()
    serializer_class = SessionSerializer
    filterset_class = SessionFilterSet

    def select(self, queryset):
        return queryset.select_related("centre").prefetch_related("departments").order_by("-date", "half", "pk")


class RecordViewSet(ScopedReadOnlyViewSet):
    """Service records the caller may see (the villages in scope; department staff: their department's). POST
    records one (department staff); `close` closes a follow-up (the record's department)."""

    queryset = ServiceRecord.objects.all()
    serializer_class = RecordSerializer
    filterset_class = RecordFilterSet

    def select(self, queryset):
        return selectors.record_rows(queryset).select_related("service_item__category").order_by("-date", "pk")

    def get_serializer_class(self):
        return RecordCreateSerializer if self.action == "create" else RecordSerializer

    @extend_schema(request=RecordCreateSerializer, responses={201: RecordSerializer})
    def create(self, request, *args, **kwargs):
        if not can_record(request.user):
            raise PermissionDenied
        serializer = RecordCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        record = actions.record_add(actor=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(RecordSerializer(fresh, context=self.get_serializer_context()).data, status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpCloseSerializer, responses=RecordSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, format=None):
        record = self.get_object()
        if not can_close_follow_up(request.user, record):
            raise PermissionDenied
        serializer = FollowUpCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.follow_up_close(actor=request.user, record=record, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(RecordSerializer(fresh, context=self.get_serializer_context()).data)
