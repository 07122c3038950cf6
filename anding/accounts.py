"""The life of an account beyond logging in (等保 2.0 身份鉴别 and 访问控制):

- passwords expire after PASSWORD_MAX_AGE_DAYS (90): a signed-in user whose password is older is sent to the
  password change page on every page until they change it, and the API answers 403 (for a session and a token);
- accounts unused for ACCOUNT_INACTIVE_DAYS (90) are deactivated (`manage.py disable_inactive_accounts`, daily);
- the security administrator removes the authenticator app of a user who lost it (`reset_second_factor`).

Unlocking a locked account is in anding.auth, next to the lock.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import audit
from .middleware import Gate
from .models import AuditEvent, User

__all__ = [
    "PasswordAgeMiddleware",
    "PasswordAgeTokenAuthentication",
    "disable_inactive_accounts",
    "inactive_accounts",
    "password_expired",
    "reset_second_factor",
]


# Passwords that expire ------------------------------------------------------------------------------------------


def password_expired(user) -> bool:
    """Whether `user`'s password is older than PASSWORD_MAX_AGE_DAYS (0: passwords never expire). A user without a
    usable password has none to change."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.is_authenticated or not user.has_usable_password():
        return False
    changed_at = getattr(user, "password_changed_at", None)
    return changed_at is not None and changed_at <= timezone.now() - datetime.timedelta(days=days)


def expired_message() -> str:
    return _("Your password is older than %(days)d days: change it before you go on.") % {
        "days": settings.PASSWORD_MAX_AGE_DAYS
    }


class PasswordAgeMiddleware(Gate):
    """Holds a user whose password expired at the password change page. Goes after the two-factor gate, so the
    code comes first."""

    exempt_names = Gate.exempt_names | {"password_change", "password_change_done"}

    def held_at(self, request) -> str | None:
        return "password_change" if password_expired(request.user) else None

    def reason(self, request) -> str:
        return expired_message()


class PasswordAgeTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing (403) the token of a user whose password expired: the API is no way
    around the change."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if password_expired(user):
            raise exceptions.PermissionDenied(expired_message())
        return user, token


# Inactive accounts ------------------------------------------------------------------------------------------------


def inactive_accounts(days: int | None = None):
    """Active accounts not used for `days` (ACCOUNT_INACTIVE_DAYS): last login, or for one never used the day it
    was created, older than that, and not reactivated since (a reactivated account gets a fresh period)."""
    days = settings.ACCOUNT_INACTIVE_DAYS if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=days)
    reactivated = AuditEvent.objects.filter(
        action="user_reactivated", object_type=User._meta.label_lower, at__gt=cutoff
    ).values_list("object_id", flat=True)
    return (
        User.objects.filter(is_active=True)
        .annotate(last_used=Coalesce("last_login", "date_joined"))
        .filter(last_used__lt=cutoff)
        .exclude(pk__in=[int(pk) for pk in reactivated if pk.isdigit()])
        .order_by("username")
    )


def disable_inactive_accounts(days: int | None = None) -> list[str]:
    """Deactivate every inactive account (which ends its sessions and tokens, anding.sessions), each an audit event
    `user_deactivated_inactive`; returns their user names."""
    days = settings.ACCOUNT_INACTIVE_DAYS if days is None else days
    names = []
    for user in inactive_accounts(days):
        last_used = user.last_used
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            "user_deactivated_inactive",
            obj=user,
            detail={
                "days": days,
                "last_login": user.last_login.isoformat() if user.last_login else None,
                "last_used": last_used.isoformat(),
            },
        )
        names.append(user.username)
    return names


# A lost second factor ---------------------------------------------------------------------------------------------


def reset_second_factor(user, request=None) -> int:
    """Remove `user`'s authenticator apps (a lost phone) and end their sessions: at their next login an
    administrator must set up a new one, anyone else may. An audit event `otp_reset`; returns the devices removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .sessions import end_sessions_of

    devices, _detail = TOTPDevice.objects.filter(user=user).delete()
    sessions = end_sessions_of(user)
    audit.record("otp_reset", obj=user, request=request, detail={"devices": devices, "sessions": sessions})
    return devices


def reserved_name_accounts():
    """Active accounts with a default or shared name (settings.RESERVED_USERNAMES)."""
    reserved = {User.normalize_username(name) for name in settings.RESERVED_USERNAMES}
    query = Q()
    for name in reserved:
        query |= Q(username__iexact=name)
    return User.objects.filter(query, is_active=True).order_by("username") if reserved else User.objects.none()
