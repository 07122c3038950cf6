from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AndingConfig(AppConfig):
    name = "anding"
    default = True
    verbose_name = _("Portal core")

    def ready(self):
        from . import audit, auth, sessions, two_factor  # noqa: F401  (connect the login/logout and user receivers)


class AdminConfig(admin_apps.AdminConfig):
    """The admin, whose site lets in only staff who gave a two-factor code this session."""

    default = False
    default_site = "anding.two_factor.VerifiedAdminSite"
