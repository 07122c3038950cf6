"""API bases: the scoped viewset every endpoint builds on, and how a service's refusal becomes an API error.

Services refuse with Django's exceptions (ValidationError, PermissionDenied, Http404), the same for the pages and
the API. The exception handler below turns them into API errors in one place, so an action just calls its service.
"""

from django.core.exceptions import ValidationError
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["Conflict", "ScopedReadOnlyViewSet", "exception_handler", "service_error"]


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A viewset whose queryset comes from a selector taking the user: out of scope is 404, never 403.

    The router gives every route a format-suffixed twin (`approve.json`) and passes the suffix as `format`, so an
    `@action` takes `(self, request, pk=None, format=None)`.
    """

    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"


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
