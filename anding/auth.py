"""Login with a lockout, on every login path (the login page, the admin's login, `POST /api/token/`).

A user name is normalized once (`User.normalize_username`), before anything counts or authenticates, so wrong
guesses under any spelling (" V32", "v 32", "V32") count against the account `v32`.

After LOGIN_FAILURE_LIMIT failed attempts for one account from one client address within LOGIN_LOCK_MINUTES,
that account refuses every login from that address (the right password included) until the period has passed.
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
    "is_locked_out",
]

LOCKED_MESSAGE = _("Too many failed attempts for this account. Try again in %(minutes)d minutes.")


def is_locked_out(username: str, ip_address: str | None) -> bool:
    """Whether the account had too many failures from this address since its last successful login from there,
    within the lock period."""
    if not username:
        return False
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    events = AuditEvent.objects.filter(actor_name=username, ip_address=ip_address, at__gte=since)
    last_success = events.filter(action="login").aggregate(at=Max("at"))["at"]
    failures = events.filter(action="login_failed")
    if last_success is not None:
        failures = failures.filter(at__gt=last_success)
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


def _locked_message() -> str:
    return LOCKED_MESSAGE % {"minutes": settings.LOGIN_LOCK_MINUTES}


@receiver(user_logged_in)
def _purge_expired(sender, **kwargs):
    """Housekeeping at each login, so nothing lingers without a scheduler: expired sessions (one may hold a form
    kept across a timeout) and the spent one-time form tokens of earlier days."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    FormSubmission.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()


class LockoutBackend(ModelBackend):
    """Django's model backend behind the lockout: a locked account does not even have its password checked."""

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
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
