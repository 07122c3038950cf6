"""Request context for the audit trail, and the security headers every response carries."""

import uuid
from contextvars import ContextVar

from django.conf import settings

__all__ = ["RequestContextMiddleware", "SecurityHeadersMiddleware", "current_request"]

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


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response (Django 5.2 has no CSP of its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.SECURE_CSP)
        return response
