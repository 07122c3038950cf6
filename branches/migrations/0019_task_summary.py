"""A deployed task stores the progress summary of its assignees (issue 13), counted here from the assignments."""

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_assignees(apps, schema_editor):
    Task = apps.get_model("branches", "Task")
    TaskAssignment = apps.get_model("branches", "TaskAssignment")

    def counted(status=None):
        rows = TaskAssignment.objects.filter(task=OuterRef("pk"))
        if status is not None:
            rows = rows.filter(Q(status=status))
        rows = rows.order_by().values("task").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    Task.objects.update(
        assignees_total=counted(), assignees_done=counted("done"), assignees_in_progress=counted("in_progress")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0018_report_list_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="assignees_total",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="assignees"),
        ),
        migrations.AddField(
            model_name="task",
            name="assignees_done",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="assignees done"),
        ),
        migrations.AddField(
            model_name="task",
            name="assignees_in_progress",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="assignees in progress"),
        ),
        migrations.RunPython(count_assignees, migrations.RunPython.noop, elidable=False),
    ]
