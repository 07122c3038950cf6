"""Writing the audit trail. Services call `record()`; logins and logouts are recorded by signal receivers; refusals
and denials wait for the end of the request (`record_later()`), so that the rollback of the refused work keeps them.
Whatever looks like an ID or phone number is redacted before it is written (a search typed into a list, a user
name typed at the login)."""

import functools
from contextlib import contextmanager

from django.contrib.auth import signals
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from .crypto import redact
from .middleware import current_request
from .models import AuditEvent, User

__all__ = [
    "RequestEventsMiddleware",
    "client_ip",
    "record",
    "record_later",
    "refusable",
    "refusal_reason",
    "refusals",
    "refused",
]


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action: str, *, actor=None, obj=None, result=AuditEvent.Result.SUCCESS, detail=None, request=None):
    """Append one audit event. `actor` defaults to the user of the current request."""
    request = request or current_request()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if request is not None and result == AuditEvent.Result.FAILURE:
        request._audit_failed = True  # RequestEventsMiddleware adds no second failure event
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


@receiver(post_save, sender=User)
def _password_changed(sender, instance, created, update_fields=None, **kwargs):
    """A password set on an existing account, by any path (the user's own change, a reset, the admin, a command):
    Django keeps the new password on the instance until save() has returned. A hash upgraded at login (the
    password unchanged, saved alone) is no change."""
    rehash = update_fields is not None and set(update_fields) == {"password"}
    if not created and getattr(instance, "_password", None) is not None and not rehash:
        record("password_change", obj=instance)


@receiver(m2m_changed, sender=User.groups.through)
def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A role (a group: an administrator role, a personal-data permission) given or taken, in the admin or
    anywhere: `role_change` naming the account and the groups."""
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    key = "added" if action == "post_add" else "removed"
    if reverse:  # users added to a group: one event per account
        for user in User.objects.filter(pk__in=pk_set):
            record("role_change", obj=user, detail={key: [instance.name]})
    else:
        names = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        record("role_change", obj=instance, detail={key: names})


# --- events of a request that fails ------------------------------------------------------------------------------
# A refusal or a denial happens inside the work it refuses, often inside a transaction (a service's, an
# Idempotency-Key's, a once-only form's) that rolls back as the exception leaves it, and would take an event written
# there with it. So during a request such events wait on the request, and RequestEventsMiddleware writes them when
# the view has returned, after every transaction of the view is over. Outside a request they are written at once.

FAILURE = AuditEvent.Result.FAILURE
_PENDING = "_audit_pending"


def record_later(action: str, **kwargs) -> None:
    """Append an event once the current request's transactions are over (at once outside a request). One failure
    event per request: a denial after a refusal adds nothing (no flood of events from one request)."""
    request = kwargs.get("request") or current_request()
    if request is None:
        record(action, **kwargs)
        return
    if getattr(request, "user", None) is not None and kwargs.get("actor") is None:
        kwargs["actor"] = request.user if request.user.is_authenticated else None
    pending = request.__dict__.setdefault(_PENDING, [])
    if not pending and not getattr(request, "_audit_failed", False):
        pending.append((action, {**kwargs, "request": request}))


def refusal_reason(exc) -> str | None:
    """Why a workflow step was refused, or None when `exc` is no refusal of the step: a PermissionDenied is
    "permission"; a ValidationError of the step itself (a wrong state, too early, no quorum) is its code. A field's
    error (a bad date, a missing reason) and a stale version are corrections to make, not refusals."""
    if isinstance(exc, PermissionDenied):
        return "permission"
    if isinstance(exc, ValidationError) and not hasattr(exc, "error_dict"):
        code = getattr(exc, "code", None) or next((e.code for e in exc.error_list if e.code), None)
        return None if code == "stale" else code or "refused"
    return None


def refused(step: str, obj, reason: str, *, actor=None) -> None:
    """Append a `transition_refused` event: `step` of `obj` was asked and refused for `reason` (a code). For a
    page that refuses a posted step itself, before any service is called (the state no longer allows it)."""
    detail = {"step": step, "reason": reason}
    record_later("transition_refused", actor=actor, obj=obj, result=FAILURE, detail=detail)


@contextmanager
def refusals(step: str, obj=None, *, actor=None):
    """`with audit.refusals("report_approve", report, actor=user):` appends a `transition_refused` event (the
    object, the step asked and the reason) when the block refuses the step, after the refusal has left the block's
    transactions, and re-raises. An exception already recorded by an inner block is not recorded again."""
    try:
        yield
    except (PermissionDenied, ValidationError) as exc:
        reason = refusal_reason(exc)
        if reason is not None and not getattr(exc, "_audited", False):
            exc._audited = True
            refused(step, obj, reason, actor=actor)
        raise


def refusable(step, obj: str):
    """A service whose refusals are audited: `@audit.refusable("report_approve", obj="report")` reads the object
    from the keyword argument `obj` and the user from `actor`; `step` is the step's name or a function of the
    keyword arguments giving it."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            name = step(**kwargs) if callable(step) else step
            with refusals(name, kwargs.get(obj), actor=kwargs.get("actor")):
                return service(*args, **kwargs)

        return wrapper

    return decorate


class RequestEventsMiddleware:
    """Writes the events a request left waiting (above) once its view has returned; and a `permission_denied`
    event (path, method, status) for a 401 or 403 answered to a logged-in user whose request has no failure event
    yet. An anonymous request sent to the login page is no event. Placed after RequestContextMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for action, kwargs in request.__dict__.pop(_PENDING, []):
            record(action, **kwargs)
        user = getattr(request, "user", None)
        denied = response.status_code in (401, 403) and user is not None and user.is_authenticated
        if denied and not getattr(request, "_audit_failed", False):
            detail = {"path": request.path, "method": request.method, "status": response.status_code}
            record("permission_denied", actor=user, result=FAILURE, detail=detail, request=request)
        return response
