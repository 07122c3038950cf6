"""Small helpers shared by the workflow actions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

__all__ = ["require", "require_state"]


def require(condition: bool) -> None:
    """Permission check of a service: a failed check is 403 (the object itself was in the user's scope)."""
    if not condition:
        raise PermissionDenied


def require_state(obj, allowed, message=None) -> None:
    if obj.status not in allowed:
        raise ValidationError(
            message
            or _("This cannot be done while the record is “%(status)s”.") % {"status": obj.get_status_display()},
            code="state",
        )
