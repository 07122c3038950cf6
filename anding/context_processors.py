"""Template context shared by every page: the portal's name and the user's positions for the header."""

from django.conf import settings

from . import registry

__all__ = ["portal"]


def portal(request):
    user = getattr(request, "user", None)
    context = {"portal_name": settings.PORTAL_NAME, "user_positions": []}
    if user is not None and user.is_authenticated:
        for provider in registry.providers("user_positions"):
            context["user_positions"] = provider(user)
    return context
