"""Reads on PostgreSQL streaming replicas, writes on the primary (docs/DEPLOYMENT.md).

`DATABASE_REPLICA_URLS` names the replicas (aliases ``replica1``, ``replica2`` ... in `DATABASES`, listed in
`READ_REPLICAS`); without it everything stays on ``default``. A read goes to a replica unless it must see the
latest writes:

- inside a transaction (a service's `atomic` block reads what it is about to change, and what it wrote);
- after the request wrote something, and for `REPLICA_STICKY_SECONDS` after that on the same browser (a cookie
  set by `ReplicaMiddleware`), so that the page after a saved form shows what was saved;
- for the records whose lag would matter: sessions, the audit trail (the lockout counts failures there, the chain
  reads its last link), API tokens, the one-time form and idempotency records, background jobs.

Writes always go to ``default``; migrations run there only (a replica follows by streaming).
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

__all__ = ["ReplicaMiddleware", "ReplicaRouter"]

COOKIE = "primary"
_sticky: ContextVar[bool] = ContextVar("anding_sticky", default=False)  # this browser wrote a moment ago
_wrote: ContextVar[bool] = ContextVar("anding_wrote", default=False)  # this request wrote
# Read on the primary always; writing them does not make the request read from the primary.
PRIMARY_ONLY = {
    "sessions.session",
    "anding.auditevent",
    "anding.formsubmission",
    "anding.idempotencykey",
    "anding.job",
    "authtoken.token",
    "otp_totp.totpdevice",
}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = settings.READ_REPLICAS
        if not replicas or model._meta.label_lower in PRIMARY_ONLY or _sticky.get() or _wrote.get():
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        if model._meta.label_lower not in PRIMARY_ONLY:
            _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: a record read on a replica relates to one on the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Per request: start on the replicas (or on the primary if this browser wrote a moment ago); after a request
    that wrote, keep this browser on the primary for REPLICA_STICKY_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tokens = _sticky.set(COOKIE in request.COOKIES), _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() and settings.READ_REPLICAS:
                response.set_cookie(
                    COOKIE, "1", max_age=settings.REPLICA_STICKY_SECONDS, httponly=True, samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )  # fmt: skip
            return response
        finally:
            _sticky.reset(tokens[0])
            _wrote.reset(tokens[1])
