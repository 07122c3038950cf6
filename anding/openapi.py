"""The API schema's conventions, applied once to every operation (the `DEFAULT_SCHEMA_CLASS`), so that no view
has to repeat them and none can forget them:

- a response field is `nullable` when the model says it can be empty: the model field behind its source (or a
  relation on the way there) has `null=True`, or the field answers `default=None` when its source is missing;
- the errors an operation can answer are documented with their bodies (`Error`, `ValidationError`);
- every POST of the portal's viewsets takes the `Idempotency-Key` header (see `anding.api.IdempotencyKeyMixin`).
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from .api import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_PATTERN, IdempotencyKeyMixin

__all__ = ["AutoSchema", "ErrorSerializer", "may_be_null"]

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class ErrorSerializer(serializers.Serializer):
    """An error: what went wrong, in the caller's language."""

    detail = serializers.CharField(help_text=_("What went wrong."))
    code = serializers.CharField(
        required=False,
        help_text=_(
            "For a client to act on: `stale` (409, someone saved the record after you read it) or "
            "`idempotency_key_reused` (422)."
        ),
    )


VALIDATION_ERROR = {
    "type": "object",
    "description": _(
        "Refused input: the messages for each refused field (by its name), `non_field_errors` for the request as "
        "a whole, or `detail` when the body could not be read."
    ),
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {
        "description": _("A field's messages; for a list or an object, the errors of its items."),
        "anyOf": [{"type": "array", "items": {}}, {"type": "object"}],
    },
}

ERROR_DESCRIPTIONS = {
    "400": _("The input was refused, or the record's state does not allow this step."),
    "403": _("Not logged in, or the role does not allow this."),
    "404": _("No such object in your scope (or no such page)."),
    "409": _("Someone saved the record after you read it (`code`: `stale`): read it again."),
    "415": _("The body's Content-Type is missing or not one the operation reads."),
    "422": _("The Idempotency-Key was used before for a different request."),
}


def may_be_null(field) -> bool:
    """Whether a response field can be null: it allows it, defaults to None, or its source crosses or ends at a
    nullable model field (read from the serializer's `Meta.model`)."""
    if field.allow_null or field.default is None:
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    for name in field.source_attrs:
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # a property, method or annotation: its own declaration says
        if model_field.concrete and model_field.null:
            return True
        if not (model_field.many_to_one or model_field.one_to_one):
            return False  # a plain value, or a to-many relation (a list, never null)
        model = model_field.related_model
    return False


class AutoSchema(openapi.AutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and isinstance(field, serializers.Field) and may_be_null(field):
            meta["nullable"] = True
        return meta

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST" and isinstance(self.view, IdempotencyKeyMixin):
            parameters = [
                *parameters,
                OpenApiParameter(
                    IDEMPOTENCY_HEADER,
                    {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN, "maxLength": 255},
                    OpenApiParameter.HEADER,
                    description=_(
                        "A key of your choosing (e.g. a UUID), new for each new request. A repeat with the same key, "
                        "path and body gets the first answer and changes nothing; the same key with another path "
                        "or body is refused with 422."
                    ),
                ),
            ]
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["403"]
        if self.method in UNSAFE_METHODS or self._is_list_view():
            codes.append("400")
        if isinstance(self.view, GenericAPIView):
            codes.append("404")
        if self.method in UNSAFE_METHODS and "{" in self.path:
            codes.append("409")
        if self.method == "POST" and isinstance(self.view, IdempotencyKeyMixin):
            codes.append("422")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")  # DRF's answer to a body it has no parser for (or without a Content-Type)
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        validation_error = ResolvedComponent(
            name="ValidationError", type=ResolvedComponent.SCHEMA, schema=VALIDATION_ERROR, object="ValidationError"
        )
        self.registry.register_on_missing(validation_error)
        for code in self._error_codes():
            body = validation_error.ref if code == "400" else ErrorSerializer
            response = self._get_response_for_code(body, code, direction=direction)
            responses.setdefault(code, {**response, "description": ERROR_DESCRIPTIONS[code]})
        return responses
