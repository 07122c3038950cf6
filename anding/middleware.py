"""Request context for the audit trail, the security headers every response carries, forms kept across a
session timeout, and the gate that holds a signed-in user at one page (the code, an expired password)."""

import json
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.shortcuts import redirect, resolve_url
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .crypto import decrypt_text, encrypt_text

__all__ = [
    "Gate",
    "KeepFormOnTimeoutMiddleware",
    "RequestContextMiddleware",
    "SecurityHeadersMiddleware",
    "current_request",
    "form_owner_token",
    "restored_form_data",
]

_request: ContextVar = ContextVar("anding_request", default=None)


def current_request():
    """The request being served, or None (management commands, tests without a request)."""
    return _request.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4()
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response["X-Request-ID"] = str(request.id)
        return response


class FaviconMiddleware:
    """Browsers ask for /favicon.ico on pages that do not name their icon (the admin, the API docs). The icon is an
    SVG among the static files: answered here, before the session is read, so that the request neither rewrites the
    session nor races the page's own requests for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/favicon.ico":
            return HttpResponsePermanentRedirect(static("img/favicon.svg"))
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response (Django 5.2 has no CSP of its own).

    The portal's own pages allow no inline script or style. The admin (django-mptt indents the tree with style
    attributes) and the API docs (Swagger UI) get inline styles, never inline scripts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        third_party = request.path.startswith(("/admin/", "/api/docs/"))
        response.setdefault(
            "Content-Security-Policy", settings.SECURE_CSP_THIRD_PARTY if third_party else settings.SECURE_CSP
        )
        return response


FORM_KEPT = "anding_kept_form"
OWNER_SALT = "anding.form-owner"


def form_owner_token(user) -> str:
    """A signed mark of who opened a form (rendered as a hidden field by includes/form.html)."""
    return signing.dumps(user.pk, salt=OWNER_SALT)


def restored_form_data(request):
    """The entries of a form this user posted after their session had ended, once they have logged in again and
    come back to the same page; else None."""
    return getattr(request, "restored_form", None)


class KeepFormOnTimeoutMiddleware:
    """Nothing typed is lost to a session timeout: a form posted after the session ended is kept in the new
    (anonymous) session; when its owner has logged in and returns to the page, the form shows the entries again
    for them to check and save. Only for the person who opened the form (a signed hidden field), never files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kept = request.session.get(FORM_KEPT) if request.user.is_authenticated else None
        if kept and request.method == "GET" and kept["path"] == request.path and kept["owner"] == request.user.pk:
            del request.session[FORM_KEPT]
            data = QueryDict(mutable=True)
            for key, values in json.loads(decrypt_text(kept["data"])):
                data.setlist(key, values)
            request.restored_form = data
            messages.info(request, _("Your session had ended. Your entries were kept: check them and save again."))
        response = self.get_response(request)
        if request.method == "POST" and not request.user.is_authenticated and self._sent_to_login(response):
            self._keep(request)
        return response

    @staticmethod
    def _sent_to_login(response) -> bool:
        return response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))

    @staticmethod
    def _keep(request) -> None:
        try:
            owner = signing.loads(request.POST.get("_owner", ""), salt=OWNER_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            return
        skip = {"csrfmiddlewaretoken", "_owner"}
        data = [(key, request.POST.getlist(key)) for key in request.POST if key not in skip]
        # Encrypted like the roster's personal data: the session table never holds what was typed in clear.
        request.session[FORM_KEPT] = {"path": request.path, "owner": owner, "data": encrypt_text(json.dumps(data))}


class Gate:
    """A middleware that holds a signed-in user at one page until they have done something there: other pages
    redirect to it (with the page asked for as `next`), the API answers 403 with the reason. Static files,
    /healthz and the pages of `exempt_names` (signing in and out, the second step, the language) always pass.
    A subclass says where a request's user is held, if anywhere, and why."""

    exempt_names = frozenset(
        {"login", "logout", "two_factor_verify", "two_factor_setup", "set_language", "javascript-catalog"}
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt_prefixes = ("/" + settings.STATIC_URL.lstrip("/"), "/healthz")

    def __call__(self, request):
        return self.get_response(request)

    def held_at(self, request) -> str | None:
        """The URL name of the page the user is held at, or None to let the request through."""
        raise NotImplementedError

    def reason(self, request) -> str:
        raise NotImplementedError

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (match is not None and match.url_name in self.exempt_names) or request.path.startswith(self.exempt_prefixes):
            return None
        target = self.held_at(request)
        if target is None:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": self.reason(request)}, status=403)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
