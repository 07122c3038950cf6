from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AndingConfig(AppConfig):
    name = "anding"
    verbose_name = _("Portal core")

    def ready(self):
        from . import audit, auth  # noqa: F401  (connect the login/logout receivers)
