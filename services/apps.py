from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services")

    def ready(self):
        from anding import registry

        from . import demo, selectors, todo

        registry.register("todo", todo.todo_items)
        registry.register("todo", todo.visit_todo_items)
        registry.register("report_figures", selectors.village_record_figures)
        registry.register("report_figures", selectors.village_visit_figures)
        registry.register("demo", demo.load)
