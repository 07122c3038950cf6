from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "development"
    verbose_name = _("Development")

    def ready(self):
        from anding import registry

        from . import dashboard, demo, todo

        registry.register("todo", todo.pairing_todos)
        registry.register("dashboard", dashboard.development_section)
        registry.register("demo", demo.load)
