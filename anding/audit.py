"""Writing the audit trail. Services call `record()`; logins and logouts are recorded by signal receivers.
Whatever looks like an ID or phone number is redacted before it is written (a search typed into a list, a user
name typed at the login)."""

from django.contrib.auth import signals
from django.dispatch import receiver

from .crypto import redact
from .middleware import current_request
from .models import AuditEvent, User

__all__ = ["client_ip", "record"]


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action: str, *, actor=None, obj=None, result=AuditEvent.Result.SUCCESS, detail=None, request=None):
    """Append one audit event. `actor` defaults to the user of the current request."""
    request = request or current_request()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else redact((detail or {}).get("username", "")),
        ip_address=client_ip(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=redact(str(obj))[:200] if obj is not None else "",
        result=result,
        detail=redact(detail or {}),
    )


@receiver(signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("login", actor=user, request=request)


@receiver(signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("logout", actor=user, request=request)


@receiver(signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = User.normalize_username(credentials.get("username"))
    record("login_failed", request=request, result=AuditEvent.Result.FAILURE, detail={"username": username})
