"""API bases: the scoped viewset every endpoint builds on, and how a service's refusal becomes an API error."""

from django.core.exceptions import ValidationError
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException

__all__ = ["Conflict", "ScopedReadOnlyViewSet", "service_error"]


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
