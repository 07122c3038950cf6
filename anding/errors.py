"""The error pages (400, 403, 404, 500): translated, and showing nothing of the request or the exception.

400 and 500 are answered here (`handler400`, `handler500` in the root URLconf); 403 and 404 are Django's own views
rendering templates/403.html and 404.html. Under /api/ a 400 or 500 is JSON, as the rest of the API. A post larger
than DATA_UPLOAD_MAX_MEMORY_SIZE is a 400 that says so (the limit is set above any form's text limits, so a form
with too long a text reaches its form and comes back with the message at the field; see docs/decisions.md).
"""

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

__all__ = ["bad_request", "server_error"]

logger = logging.getLogger(__name__)


def _api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    too_big = isinstance(exception, RequestDataTooBig)
    if _api(request):
        message = _("What you sent is larger than the portal accepts.") if too_big else _("Bad request.")
        return JsonResponse({"detail": message}, status=400)
    try:
        return render(request, "400.html", {"too_big": too_big}, status=400)
    except Exception:  # the page of an error must not fail: fall back to the plain one
        logger.exception("The 400 page failed")
        return HttpResponseBadRequest(loader.get_template("500.html").render({"status": 400}))


def server_error(request):
    if _api(request):
        return JsonResponse({"detail": _("A server error occurred. It has been logged; try again later.")}, status=500)
    # No request context: the page must render even when the database or a context processor is what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({}))
