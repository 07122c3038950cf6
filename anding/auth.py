"""Login with a lockout: after LOGIN_FAILURE_LIMIT failed attempts for one account within LOGIN_LOCK_MINUTES, the
account refuses every login (the right password included) until the period has passed. Counted from the audit
trail, which records every failure (HTML and API alike)."""

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied

from . import audit
from .models import AuditEvent

__all__ = ["LockoutAuthenticationForm", "LockoutObtainAuthToken", "is_locked_out"]

LOCKED_MESSAGE = _("Too many failed attempts for this account. Try again in %(minutes)d minutes.")


def is_locked_out(username: str) -> bool:
    """Whether the account had too many failures since its last successful login, within the lock period."""
    if not username:
        return False
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    events = AuditEvent.objects.filter(actor_name=username[:150], at__gte=since)
    last_success = events.filter(action="login").aggregate(at=Max("at"))["at"]
    failures = events.filter(action="login_failed")
    if last_success is not None:
        failures = failures.filter(at__gt=last_success)
    return failures.count() >= settings.LOGIN_FAILURE_LIMIT


def _refuse(username: str, request):
    audit.record("login_locked", request=request, result=AuditEvent.Result.FAILURE, detail={"username": username[:150]})
    return ValidationError(LOCKED_MESSAGE, code="locked", params={"minutes": settings.LOGIN_LOCK_MINUTES})


class LockoutAuthenticationForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if is_locked_out(username):
            raise _refuse(username, self.request)
        return super().clean()


class LockoutObtainAuthToken(ObtainAuthToken):
    """POST /api/token/ with the same lockout as the login page."""

    def post(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, Mapping) else {}  # a list is refused by the serializer
        username = str(data.get("username", ""))
        if is_locked_out(username):
            raise PermissionDenied(_refuse(username, request).messages[0])
        return super().post(request, *args, **kwargs)
