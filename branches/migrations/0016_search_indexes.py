"""On PostgreSQL, a trigram index for the member search: the search is `name__icontains`, which PostgreSQL runs as
`UPPER(name::text) LIKE UPPER('%…%')`, so the index is on `UPPER(name)` (docs/PERFORMANCE.md, "Search"). The index
is not in the model's state: SQLite has no GIN, and its table rebuilds would try to create it from there."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS branches_member_name_trgm ON branches_partymember USING gin (UPPER(name) gin_trgm_ops);
"""
BACKWARD = "DROP INDEX IF EXISTS branches_member_name_trgm;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("branches", "0015_dashboard_indexes")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
