"""A service record keeps its half-day's date (issue 13): the record list sorts by it on the record's own index."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_dates(apps, schema_editor):
    ServiceRecord = apps.get_model("services", "ServiceRecord")
    ServiceSession = apps.get_model("services", "ServiceSession")
    ServiceRecord.objects.update(date=Subquery(ServiceSession.objects.filter(pk=OuterRef("session")).values("date")))


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0006_scale_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerecord",
            name="date",
            field=models.DateField(editable=False, null=True, verbose_name="date"),
        ),
        migrations.RunPython(copy_dates, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="servicerecord",
            name="date",
            field=models.DateField(editable=False, verbose_name="date"),
        ),
        migrations.AlterModelOptions(
            name="servicerecord",
            options={
                "ordering": ["-date", "id"],
                "verbose_name": "service record",
                "verbose_name_plural": "service records",
            },
        ),
        migrations.AddIndex(
            model_name="servicerecord",
            index=models.Index(fields=["-date", "id"], name="services_record_date"),
        ),
    ]
