from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AndingConfig(AppConfig):
    name = "anding"
    default = True
    verbose_name = _("Portal core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit, auth, duties, sessions, two_factor  # noqa: F401  (connect the login/logout and user receivers)

        # After every app's permissions exist: each app's post_migrate puts back what it can, the last one all.
        post_migrate.connect(duties.sync_groups, dispatch_uid="anding.duties.sync_groups")


class AdminConfig(admin_apps.AdminConfig):
    """The admin, whose site lets in only staff who gave a two-factor code this session."""

    default = False
    default_site = "anding.two_factor.VerifiedAdminSite"
