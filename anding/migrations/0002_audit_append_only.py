"""On PostgreSQL, the database itself refuses UPDATE and DELETE of audit events."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION anding_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER anding_auditevent_append_only
    BEFORE UPDATE OR DELETE ON anding_auditevent
    FOR EACH ROW EXECUTE FUNCTION anding_auditevent_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS anding_auditevent_append_only ON anding_auditevent;
DROP FUNCTION IF EXISTS anding_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("anding", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
