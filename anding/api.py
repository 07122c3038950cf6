"""API bases: the scoped viewset every endpoint builds on, idempotency keys on its POSTs, and how a service's
refusal becomes an API error.

Services refuse with Django's exceptions (ValidationError, PermissionDenied, Http404), the same for the pages and
the API. The exception handler below turns them into API errors in one place, so an action just calls its service.
"""

import datetime
import hashlib
import json
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import audit
from .kept import KeptListMixin
from .models import IdempotencyKey
from .scoping import audit_out_of_scope

__all__ = [
    "IDEMPOTENCY_HEADER",
    "AuditedRetrieveMixin",
    "Conflict",
    "IdempotencyKeyMixin",
    "IdempotencyKeyReused",
    "ScopedReadOnlyViewSet",
    "exception_handler",
    "idempotency_key_cutoff",
    "model_chars",
    "service_error",
]

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"  # visible ASCII: what a UUID, a ULID or a hash is written in


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"


class IdempotencyKeyReused(APIException):
    """422 with a body shaped like the 409 of a stale version: the message and a code a client can test."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = _(
        "This Idempotency-Key was used before for a different request (another path or body). "
        "Send a new key with each new request."
    )

    def __init__(self):
        super().__init__({"detail": self.default_detail, "code": self.default_code})


def idempotency_key_cutoff() -> datetime.datetime:
    """Keys stored before this moment have expired (IDEMPOTENCY_KEY_DAYS): they count as unused."""
    return timezone.now() - datetime.timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)


class _Undo(Exception):
    def __init__(self, response):
        self.response = response


class IdempotencyKeyMixin:
    """Every POST (a create or a transition) may carry an `Idempotency-Key` header. The first successful request
    with a key stores its answer; a repeat by the same user with the same key, path and body gets that answer
    (same status, same body) and changes nothing; the same key with another path or body is refused with 422.

    The key is stored in the transaction that does the work, and (user, key) is unique in the database: a parallel
    duplicate waits for the first request and then answers with its stored response. A refused request (4xx)
    leaves the key unspent, so the client can correct the body and retry with it. A key expires after
    IDEMPOTENCY_KEY_DAYS: an older one counts as unused (and is replaced), and `manage.py purge_idempotency_keys`
    deletes the expired ones.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        key = request.headers.get(IDEMPOTENCY_HEADER)
        handler = getattr(self, "post", None)
        if request.method == "POST" and key is not None and handler is not None:
            # DRF looks the handler up after initial(): the router's create or action runs inside _once().
            self.post = lambda request, *args, **kwargs: self._once(key, handler, request, *args, **kwargs)

    def _once(self, key, handler, request, *args, **kwargs):
        if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
            raise serializers.ValidationError(
                {IDEMPOTENCY_HEADER: [_("An Idempotency-Key is 1 to 255 visible ASCII characters.")]}
            )
        fingerprint = self._fingerprint(request)
        cutoff = idempotency_key_cutoff()
        spent = IdempotencyKey.objects.filter(user=request.user, key=key, created_at__gte=cutoff).first()
        if spent is not None:
            return self._replay(spent, fingerprint)
        try:
            with transaction.atomic():
                IdempotencyKey.objects.filter(user=request.user, key=key, created_at__lt=cutoff).delete()
                record = IdempotencyKey.objects.create(
                    user=request.user, key=key, request=f"POST {request.path}"[:300], fingerprint=fingerprint
                )
                response = handler(request, *args, **kwargs)
                if not status.is_success(response.status_code):
                    raise _Undo(response)  # refused: the key stays unspent
                record.status_code = response.status_code
                record.response = JSONRenderer().render(response.data).decode()
                record.save(update_fields=["status_code", "response"])
        except _Undo as undo:
            return undo.response
        except IntegrityError:
            # The same key arrived twice at once: the other request has done the work and stored its answer.
            spent = IdempotencyKey.objects.filter(user=request.user, key=key).first()
            if spent is None:
                raise
            return self._replay(spent, fingerprint)
        return response

    @staticmethod
    def _fingerprint(request) -> str:
        data = request.data
        if hasattr(data, "lists"):  # a form or query dict: every value of every key
            data = dict(data.lists())
        body = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()

    @staticmethod
    def _replay(spent: IdempotencyKey, fingerprint: str) -> Response:
        if spent.fingerprint != fingerprint:
            raise IdempotencyKeyReused()
        return Response(json.loads(spent.response), status=spent.status_code, headers={"Idempotent-Replayed": "true"})


class ScopedReadOnlyViewSet(KeptListMixin, IdempotencyKeyMixin, viewsets.ReadOnlyModelViewSet):
    """A viewset of `queryset` (a model's rows, unscoped) that restricts them here to the caller's scope for
    `scope_action`, as the HTML bases do; `select()` adds a selector's joins. Out of scope is 404, never 403.

    The router gives every route a format-suffixed twin (`approve.json`) and passes the suffix as `format`, so an
    `@action` takes `(self, request, pk=None, format=None)`.
    """

    queryset = None
    scope_action = "view"

    def get_queryset(self):
        return self.select(self.queryset.all().restrict(self.request.user, self.scope_action))

    def select(self, queryset):
        """Joins, annotations and order of the rows (a selector's work); the rows are already in scope."""
        return queryset

    def get_object(self):
        """The object of the URL, in scope (404 otherwise); one that exists outside the scope is an audited access
        denial. Only the 404 path asks the database more."""
        try:
            return super().get_object()
        except Http404:
            key = self.lookup_url_kwarg or self.lookup_field
            if key in self.kwargs:
                scoped = self.get_queryset()
                audit_out_of_scope(scoped.model, {self.lookup_field: self.kwargs[key]}, scoped)
            raise


class AuditedRetrieveMixin:
    """An endpoint whose objects hold a person's personal data: every retrieve is an audit event `read_action`
    naming the object (never the data), as the object's page is (anding.generic.AuditedReadMixin). Lists are not
    audited row by row: they show masks."""

    read_action = ""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        audit.record(self.read_action, obj=instance)
        return Response(data)


def model_chars(model, name: str) -> int:
    """The most characters `model.name` holds: an API text field's limit where the form takes the model's own."""
    return model._meta.get_field(name).max_length


def service_error(exc: ValidationError) -> APIException:
    """A service's ValidationError as an API error: 409 for a stale version, else 400 with the messages (per field
    where the service names one)."""
    errors = [e for errors in exc.error_dict.values() for e in errors] if hasattr(exc, "error_dict") else [exc]
    stale = next((e for e in errors if getattr(e, "code", None) == "stale"), None)
    if stale is not None:
        return Conflict({"detail": stale.messages[0], "code": "stale"})
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc, context):
    """DRF's handler (which already answers Django's PermissionDenied with 403 and Http404 with 404), plus a
    service's ValidationError as 409 (stale version) or 400."""
    if isinstance(exc, ValidationError):
        exc = service_error(exc)
    return drf_exception_handler(exc, context)
