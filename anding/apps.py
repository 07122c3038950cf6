from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AndingConfig(AppConfig):
    name = "anding"
    verbose_name = _("Portal core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit, auth, duties  # noqa: F401  (connect the login/logout receivers)

        # After every app's permissions exist: each app's post_migrate puts back what it can, the last one all.
        post_migrate.connect(duties.sync_groups, dispatch_uid="anding.duties.sync_groups")
