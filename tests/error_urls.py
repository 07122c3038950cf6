"""The portal's URLs plus pages that fail, for the tests of the error pages (tests/test_error_pages.py)."""

from django.urls import path

from anding.urls import handler400, handler500
from anding.urls import urlpatterns as portal_urls

__all__ = ["handler400", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("secret detail of the failure")


urlpatterns = [path("boom/", boom), path("api/boom/", boom), *portal_urls]
