"""What the cache keeps for a town-wide or narrower user until its data changes: the read-only pages of lists and
summaries (`KeptPageMixin`), the API's lists (`KeptListMixin`) and the dashboard's figures (anding.views).

They are kept under the versions of the subtrees of the user's organizations (`anding.freshness`), which a write to
anything such a page shows bumps, with the user, the language, the day and the release (`release`). A page adds its
address, the session, the CSRF cookie (a page holds a CSRF token in its forms) and the media type asked for, and is
kept with its headers. So a page is read afresh after any change in those subtrees, and served to the session that
read it, never to another.

Not kept: a user with a wider scope (a district's, the city's: they change every minute somewhere), a page with a
message waiting, an export, anything but a 200 read with GET, and everything without a shared cache (`freshness.
enabled`). What is kept is read on the primary, whose commits the versions follow, lasts no longer than an idle
session (SESSION_COOKIE_AGE), and is held compressed and encrypted (`crypto.seal`): a list shows names and dates of
birth, which the cache never holds in clear.
"""

import functools
import hashlib
import pickle
import zlib
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from . import crypto, freshness, registry

__all__ = ["KeptListMixin", "KeptPageMixin", "get", "key", "put"]

LONGEST_QUERY = 500  # characters of a query string: longer ones are not kept (no cache filled by made-up filters)


@functools.cache
def release() -> str:
    """A digest of the code, templates and translations this process serves, of Django's version and of the plain
    settings (numbers, words: a report's due day): a page kept by one release of the portal, or under other
    settings, is not served by the next, which may show it otherwise."""
    roots = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == settings.BASE_DIR]
    roots += [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(d) for d in settings.LOCALE_PATHS]
    plain = [(name, getattr(settings, name)) for name in dir(settings) if name.isupper()]
    plain = [(name, value) for name, value in plain if isinstance(value, int | float | str)]  # bool is an int
    digest = hashlib.sha256(repr((django.get_version(), plain)).encode())
    for path in sorted({f for root in roots for f in root.rglob("*") if f.suffix in {".py", ".html", ".mo"}}):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key(user, *parts) -> str | None:
    """The key of what `user` reads, with `parts`, while their organizations' subtrees are unchanged; None when
    nothing is kept for them (a wide scope, no shared cache)."""
    if not freshness.enabled():
        return None
    nodes = next((n for provider in registry.providers("fresh_nodes") if (n := provider(user))), None)
    if not nodes:
        return None
    text = "|".join(
        map(str, (release(), user.pk, get_language(), timezone.localdate(), freshness.versions(nodes), *parts))
    )
    return "kept:" + hashlib.sha256(text.encode()).hexdigest()


def page_key(request) -> str | None:
    """The key of a page read with GET (`request`: Django's), or None when it is not kept."""
    if request.method != "GET" or "export" in request.GET or len(request.META.get("QUERY_STRING", "")) > LONGEST_QUERY:
        return None
    # The page's forms hold a token of the CSRF cookie's secret: a request without the cookie gets it with the page.
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf or not request.user.is_authenticated or len(get_messages(request)):  # a message shows once
        return None
    address = request.build_absolute_uri()  # the API's links to its other pages name the host
    return key(request.user, address, request.session.session_key, csrf, request.META.get("HTTP_ACCEPT", ""))


def get(name: str):
    """What `put` kept under `name`, or None."""
    token = cache.get(name)
    data = crypto.unseal(token) if token is not None else None
    return pickle.loads(zlib.decompress(data)) if data is not None else None


def put(name: str, value, seconds: int) -> None:
    """Keep `value` under `name` for `seconds`, compressed and encrypted (crypto.seal): a kept page shows names and
    dates of birth, which the cache then holds only as ciphertext."""
    cache.set(name, crypto.seal(zlib.compress(pickle.dumps(value), 1)), seconds)


def _served(name):
    found = get(name)
    if found is None:
        return None
    headers, content = found
    return HttpResponse(content, headers=headers)


def _keep(name, request, response) -> None:
    """Keep a 200 page that is not a file, and that said nothing only once (a message the view left)."""
    if response.status_code != 200 or response.streaming or response.has_header("Content-Disposition"):
        return
    if not len(get_messages(request)):
        put(name, (dict(response.items()), response.content), settings.SESSION_COOKIE_AGE)


class KeptPageMixin:
    """A Django view whose GET page is kept, placed after the mixins that refuse access (its `dispatch` runs once
    they let the request through). `kept = False` on a page that shows more than the database holds in the user's
    scope: what the session holds, an upload in progress."""

    kept = True

    def dispatch(self, request, *args, **kwargs):
        name = page_key(request) if self.kept else None
        if name is None:
            return super().dispatch(request, *args, **kwargs)
        response = _served(name)
        if response is None:
            with transaction.atomic():  # read on the primary, which the versions follow; a replica may lag behind
                response = super().dispatch(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
            _keep(name, request, response)
        return response


class KeptListMixin:
    """A DRF viewset whose list is kept, after its authentication, permissions and throttles."""

    def list(self, request, *args, **kwargs):
        name = page_key(request._request)
        if name is None:
            return super().list(request, *args, **kwargs)
        response = _served(name)
        if response is None:
            with transaction.atomic():  # read on the primary, as a page is
                response = super().list(request, *args, **kwargs)
            self._kept_as = name
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        name = getattr(self, "_kept_as", None)
        if name is not None:
            response.render()
            _keep(name, request._request, response)
        return response
