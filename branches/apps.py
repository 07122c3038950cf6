from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organization")

    def ready(self):
        from anding import registry

        from . import dashboard, scoping, todo

        registry.register("scope", scoping.user_scope_ranges)
        registry.register("user_positions", dashboard.user_positions)
        registry.register("dashboard", dashboard.dashboard_panel)
        registry.register("todo", todo.todo_items)
