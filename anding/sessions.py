"""Session limits beyond the 30-minute idle timeout (settings.SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST):

- an absolute limit: SESSION_ABSOLUTE_HOURS (8) after login the session ends, however busy it has been;
- deactivating a user (is_active=False) ends their sessions on every device and deletes their API tokens.

Django itself rotates the session key at login and ends a user's other sessions when their password changes (the
session holds a hash of the password).
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from . import audit
from .models import AuditEvent, User

__all__ = ["LOGIN_AT", "SessionLimitMiddleware", "end_sessions_of"]

LOGIN_AT = "anding_login_at"


@receiver(user_logged_in)
def _note_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = timezone.now().timestamp()


def _past_limit(session) -> bool:
    login_at = session.get(LOGIN_AT)
    if login_at is None:
        return False
    limit = datetime.timedelta(hours=settings.SESSION_ABSOLUTE_HOURS).total_seconds()
    return timezone.now().timestamp() - login_at >= limit


class SessionLimitMiddleware:
    """Ends a session SESSION_ABSOLUTE_HOURS after its login: the session is flushed and the request goes on as
    anonymous, so a page sends the user to the login page and the API answers 401/403. A session from before
    this limit existed starts counting now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if LOGIN_AT not in request.session:
                request.session[LOGIN_AT] = timezone.now().timestamp()
            elif _past_limit(request.session):
                user = request.user
                audit.record(
                    "session_limit", actor=user, request=request, detail={"hours": settings.SESSION_ABSOLUTE_HOURS}
                )
                logout(request)  # flushes the session, a new key
                messages.info(
                    request,
                    _("Your session reached its limit of %(hours)d hours. Please log in again.")
                    % {"hours": settings.SESSION_ABSOLUTE_HOURS},
                )
        return self.get_response(request)


def end_sessions_of(user) -> int:
    """Delete every live session of `user` (all devices); returns how many. Reads the live sessions only, which
    the idle timeout keeps few."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):  # not a database-backed engine: nothing stored to delete
        return 0
    ended = 0
    for session in store.get_model_class().objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            store(session.session_key).delete()  # the engine's delete: a cached session leaves the cache too
            ended += 1
    return ended


@receiver(pre_save, sender=User)
def _note_deactivation(sender, instance, raw=False, **kwargs):
    was_active = None
    if not raw and instance.pk:
        was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._deactivated = bool(was_active and not instance.is_active)
    instance._reactivated = was_active is False and instance.is_active


@receiver(post_save, sender=User)
def _end_access_of_deactivated(sender, instance, raw=False, **kwargs):
    """A deactivated user is out on every device at once: their sessions and API tokens are deleted (Django
    would refuse them anyway while the account is inactive; deleting them means reactivation does not revive
    them)."""
    if getattr(instance, "_reactivated", False):
        # An audit event, and for anding.accounts a fresh period before the account counts as inactive again.
        instance._reactivated = False
        audit.record("user_reactivated", obj=instance)
    if not getattr(instance, "_deactivated", False):
        return
    instance._deactivated = False
    sessions = end_sessions_of(instance)
    tokens, _detail = Token.objects.filter(user=instance).delete()
    audit.record(
        "user_deactivated",
        obj=instance,
        result=AuditEvent.Result.SUCCESS,
        detail={"sessions": sessions, "tokens": tokens},
    )
