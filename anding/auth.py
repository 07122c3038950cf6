"""Login with a lockout, on every login path (the login page, the admin's login, `POST /api/token/`).

A user name is normalized once (`User.normalize_username`), before anything counts or authenticates, so wrong
guesses under any spelling (" V32", "v 32", "V32") count against the account `v32`.

After LOGIN_FAILURE_LIMIT failed attempts for one account from one client address within
LOGIN_FAILURE_WINDOW_MINUTES, that account refuses every login from that address (the right password included)
for LOGIN_LOCK_MINUTES, or until the security administrator unlocks it (`unlock`, an audit event).
Counting per account *and* address means nobody can lock a secretary out from elsewhere by typing their name.
Counted from the audit trail, which records every failure. The lock is enforced in the authentication backend,
so no login path can skip it; the forms and the token view only choose the message.
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from . import audit
from .models import AuditEvent, FormSubmission, User

__all__ = [
    "AdminLockoutAuthenticationForm",
    "LockoutAuthenticationForm",
    "LockoutBackend",
    "LockoutObtainAuthToken",
    "TokenRequestSerializer",
    "current_locks",
    "is_locked_out",
    "locked_until",
    "unlock",
]

UNLOCK = "unlock"

LOCKED_MESSAGE = _("Too many failed attempts for this account. Try again in %(minutes)d minutes.")


def _window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def _period() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def _counting_since(username: str, ip_address: str | None, since: datetime.datetime) -> datetime.datetime:
    """Where the count of failures starts: the latest of `since`, the account's last successful login from this
    address, and the security administrator's last unlock of the account (for this address or for all)."""
    starts = [since]
    last_success = AuditEvent.objects.filter(
        action="login", actor_name=username, ip_address=ip_address, at__gte=since
    ).aggregate(at=Max("at"))["at"]
    starts.append(last_success or since)
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first()
    if user_id is not None:
        unlocks = AuditEvent.objects.filter(
            action=UNLOCK, object_type=User._meta.label_lower, object_id=str(user_id), at__gte=since
        ).values_list("at", "detail")
        starts += [at for at, detail in unlocks if (detail or {}).get("address") in (None, ip_address)]
    return max(starts)


def locked_until(username: str, ip_address: str | None) -> datetime.datetime | None:
    """When the lock of the account `username` for this client address ends, or None when it is not locked.

    LOGIN_FAILURE_LIMIT failures within LOGIN_FAILURE_WINDOW_MINUTES (15) lock it for LOGIN_LOCK_MINUTES (30)
    from the failure that reached the limit, counted since the last successful login from there or the last
    unlock (checklist item 3: "5th wrong password within 15 min", "unlock after 30 min or by the security admin")."""
    if not username:
        return None
    now = timezone.now()
    since = _counting_since(username, ip_address, now - _window() - _period())
    failures = list(
        AuditEvent.objects.filter(action="login_failed", actor_name=username, ip_address=ip_address, at__gt=since)
        .order_by("at")
        .values_list("at", flat=True)
    )
    limit = max(1, settings.LOGIN_FAILURE_LIMIT)
    until = None
    for first, reaching in zip(failures, failures[limit - 1 :], strict=False):
        if reaching - first <= _window():
            until = reaching + _period()
    return until if until is not None and until > now else None


def is_locked_out(username: str, ip_address: str | None) -> bool:
    """Whether the account is locked for this client address now (see `locked_until`)."""
    return locked_until(username, ip_address) is not None


def current_locks(user) -> list[dict]:
    """The locks on `user`'s account now, one per client address: address, failures counted, until when."""
    since = timezone.now() - _window() - _period()
    addresses = (
        AuditEvent.objects.filter(action="login_failed", actor_name=user.username, at__gte=since)
        .values_list("ip_address", flat=True)
        .distinct()
    )
    locks = []
    for address in sorted(set(addresses), key=str):
        until = locked_until(user.username, address)
        if until is not None:
            start = _counting_since(user.username, address, since)
            failures = AuditEvent.objects.filter(
                action="login_failed", actor_name=user.username, ip_address=address, at__gt=start
            ).count()
            locks.append({"address": address, "failures": failures, "until": until})
    return locks


def unlock(user, address: str | None = None, request=None):
    """The security administrator's unlock of `user`'s account, for one client address or (None) for all: an
    audit event from which the count of failures starts afresh."""
    return audit.record(UNLOCK, obj=user, request=request, detail={"address": address, "username": user.username})


def _locked_message() -> str:
    return LOCKED_MESSAGE % {"minutes": settings.LOGIN_LOCK_MINUTES}


@receiver(user_logged_in)
def _purge_expired(sender, **kwargs):
    """Housekeeping at each login, so nothing lingers without a scheduler: expired sessions (one may hold a form
    kept across a timeout) and the spent one-time form tokens of earlier days."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    FormSubmission.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()


class LockoutBackend(ModelBackend):
    """Django's model backend behind the lockout: a locked account does not even have its password checked. A user's
    permissions, their own and their groups', are read in one statement (Django's backend asks two, on every page that
    checks one: the lists' export buttons)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                names = Permission.objects.order_by().values_list("content_type__app_label", "codename")
                rows = names.filter(user=user_obj).union(names.filter(group__user=user_obj))
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = User.normalize_username(username if username is not None else kwargs.get("username"))
        if is_locked_out(username, audit.client_ip(request)):
            audit.record(
                "login_locked", request=request, result=AuditEvent.Result.FAILURE, detail={"username": username}
            )
            raise PermissionDenied  # ends authentication here; Django sends user_login_failed
        return super().authenticate(request, username=username, password=password, **kwargs)


class _LockoutFormMixin:
    def clean_username(self):
        return User.normalize_username(self.cleaned_data.get("username"))

    def get_invalid_login_error(self):
        if is_locked_out(self.cleaned_data.get("username", ""), audit.client_ip(self.request)):
            return ValidationError(_locked_message(), code="locked")
        return super().get_invalid_login_error()


class LockoutAuthenticationForm(_LockoutFormMixin, AuthenticationForm):
    """The login page's form."""


class AdminLockoutAuthenticationForm(_LockoutFormMixin, AdminAuthenticationForm):
    """The admin's login form."""


def _check_second_factor(request, user, code) -> None:
    """A user who signs in with a code on the pages needs one for a token too (field `otp_token`)."""
    from .two_factor import check_code, confirmed_device, requires_two_factor

    device = confirmed_device(user)
    if device is None and not requires_two_factor(user):
        return
    if device is None:
        raise exceptions.PermissionDenied(_("Set up two-factor sign-in on the portal's pages first."))
    if not code:
        raise exceptions.PermissionDenied(_("Send the code of your authenticator app as otp_token."))
    error = check_code(request, user, device, str(code))
    if error:
        raise exceptions.PermissionDenied(error)


class TokenRequestSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(
        required=False, max_length=20, help_text=_("The code of your authenticator app, if you sign in with one.")
    )


class LockoutObtainAuthToken(ObtainAuthToken):
    """POST /api/token/ with the same normalization and lockout as the login page: 403 while locked. A user with
    two-factor sign-in sends the code too, as `otp_token`; an administrator without a device gets no token."""

    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        sent = request.data if hasattr(request.data, "get") else {}
        username = User.normalize_username(sent.get("username"))
        data = {"username": username, "password": str(sent.get("password", ""))}
        if sent.get("otp_token") is not None:
            data["otp_token"] = str(sent.get("otp_token"))
        serializer = self.get_serializer(data=data)
        if not serializer.is_valid() and is_locked_out(username, audit.client_ip(request)):
            raise exceptions.PermissionDenied(_locked_message())
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        _check_second_factor(request, user, serializer.validated_data.get("otp_token"))
        from .accounts import expired_message, password_expired

        if password_expired(user):
            raise exceptions.PermissionDenied(expired_message())
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
