from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organization")

    def ready(self):
        from anding import registry, status

        from . import actions, dashboard, dashboard_sections, models, scoping, todo, todo_recruitment
        from .views.status import BADGE_BUILDERS, case_badges

        registry.register("scope", scoping.user_scope_ranges)
        registry.register("user_positions", dashboard.user_positions)
        registry.register("dashboard_cache", dashboard.figures_cache_scope)
        registry.register("fresh_nodes", dashboard.fresh_nodes)
        registry.register("dashboard", dashboard.attention_panel)
        registry.register("dashboard", dashboard.answers_to_panel)
        registry.register("dashboard", dashboard.dashboard_panel)
        registry.register("dashboard", dashboard_sections.branch_sections)
        registry.register("todo", todo.todo_items)
        registry.register("todo", todo_recruitment.recruitment_todos)
        registry.register("report_figures", todo_recruitment.recruitment_report_figures)
        registry.register("job:member_import", actions.member_import_job)
        for model, builder in BADGE_BUILDERS.items():
            status.register_badges(model, builder)
        for model in models.case_models().values():
            status.register_badges(model, case_badges)
