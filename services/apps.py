from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services")

    def ready(self):
        from anding import registry, status

        from . import dashboard, demo, selectors, todo
        from .models import AssessmentPlan
        from .views.plans import plan_badges

        registry.register("todo", todo.todo_items)
        registry.register("todo", todo.plan_todos)
        registry.register("todo", todo.visit_todo_items)
        registry.register("dashboard", dashboard.service_sections)
        registry.register("report_figures", selectors.village_record_figures)
        registry.register("report_figures", selectors.village_visit_figures)
        registry.register("demo", demo.load)
        status.register_badges(AssessmentPlan, plan_badges)
