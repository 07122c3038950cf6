"""Two-factor sign-in with TOTP (django-otp): who must use it, the device's life, and the gate that holds a
signed-in user at the second step until they have given a code.

- `requires_two_factor(user)`: administrators (is_staff or is_superuser) must have a confirmed device and give a
  code at every login; the admin site needs it too (`anding.apps.AdminConfig`). Everyone else may set one up,
  and once they have, their login asks for a code as well.
- A code is good once (django-otp keeps the last time step used) and wrong codes are throttled with an
  exponential delay (django-otp's `ThrottlingMixin`); setup, success and failure are audit events.
"""

import base64
import io

from django.contrib.admin import AdminSite
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from . import audit
from .middleware import Gate
from .models import AuditEvent

__all__ = [
    "DEVICE_ID_SESSION_KEY",
    "TwoFactorMiddleware",
    "VerifiedAdminSite",
    "check_code",
    "confirm_device",
    "confirmed_device",
    "device_secret",
    "needs_second_step",
    "qr_svg",
    "requires_two_factor",
    "setup_device",
    "verify_code",
]


def requires_two_factor(user) -> bool:
    """Whether `user` must sign in with a second factor: the administrators. Extend here for new admin roles."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


# Set in the session at login when the user has a confirmed device, so that the gate needs no query per request.
CODE_PENDING = "anding_code_pending"


@receiver(user_logged_in)
def _note_device_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[CODE_PENDING] = confirmed_device(user) is not None


def needs_second_step(user, session=None) -> bool:
    """Signed in with a password but not yet with a code, while a code is required or (noted in `session` at
    login, else asked) a device is set up."""
    if not user.is_authenticated or user.is_verified():
        return False
    if requires_two_factor(user):
        return True
    if session is not None and CODE_PENDING in session:
        return session[CODE_PENDING]
    return confirmed_device(user) is not None


def setup_device(user) -> TOTPDevice:
    """The user's device being set up (created on first call, the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def device_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(text: str) -> str:
    """`text` as a QR code, an inline SVG drawn on the server (no outside request, no inline style)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(text, image_factory=SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def check_code(request, user, device: TOTPDevice, code: str, action: str = "otp") -> str | None:
    """Verify `code` on `user`'s `device`; None when good, else the error to show. Failures and throttled
    attempts are audit events (`<action>_failed`, `<action>_throttled`)."""
    allowed, extra = device.verify_is_allowed()
    if not allowed:
        audit.record(f"{action}_throttled", actor=user, request=request, result=AuditEvent.Result.FAILURE)
        wait = max(1, int(((extra or {}).get("locked_until", timezone.now()) - timezone.now()).total_seconds()) + 1)
        return _("Too many wrong codes. Try again in %(seconds)d seconds.") % {"seconds": wait}
    if not device.verify_token(code.replace(" ", "")):
        audit.record(f"{action}_failed", actor=user, request=request, result=AuditEvent.Result.FAILURE)
        return _("This code is not right, or was already used. Enter the current code from your app.")
    return None


def verify_code(request, code: str) -> str | None:
    """The login's second step: None and the session marked verified when the code is right, else the error."""
    device = confirmed_device(request.user)
    if device is None:
        return _("You have not set up two-factor sign-in.")
    error = check_code(request, request.user, device, code)
    if error is None:
        request.session.cycle_key()  # a new session key once fully signed in
        otp_login(request, device)
        audit.record("otp_verified", request=request)
    return error


def confirm_device(request, code: str) -> str | None:
    """Confirm the device being set up with a code from the app: it replaces any earlier device and signs the
    session in with it. The user's API tokens, issued without this device's code, are revoked: a new token asks for
    it. None when done, else the error."""
    device = setup_device(request.user)
    error = check_code(request, request.user, device, code, "otp_setup")
    if error is None:
        TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
        Token.objects.filter(user=request.user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.session.cycle_key()
        otp_login(request, device)
        audit.record("otp_setup", request=request)
    return error


class TwoFactorMiddleware(Gate):
    """Holds a user who signed in with a password at the second step: the code page, or for an administrator
    without a device the setup page. Goes after django-otp's OTPMiddleware, which marks a session verified."""

    def held_at(self, request) -> str | None:
        if not needs_second_step(request.user, request.session):
            return None
        return "two_factor_verify" if confirmed_device(request.user) else "two_factor_setup"

    def reason(self, request) -> str:
        return _("Two-factor sign-in is required: enter your code first.")


class VerifiedAdminSite(AdminSite):
    """The admin site (installed as the default one by `anding.apps.AdminConfig`): staff who have not given a
    code in this session are not let in, whatever the gate in front of it does."""

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and getattr(user, "is_verified", lambda: False)()
