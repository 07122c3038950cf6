"""The hash chain over the events written so far (in id order), and on PostgreSQL a database that refuses to
change an event, to delete one younger than 180 days, or to empty the table."""

from django.db import migrations

from anding import audit_chain

RETENTION_DAYS = 180  # also in docs/SECURITY.md and OPERATIONS.md

PROTECT = f"""
CREATE OR REPLACE FUNCTION anding_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '{RETENTION_DAYS} days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only; only events older than {RETENTION_DAYS} days may be deleted';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER anding_auditevent_append_only
    BEFORE UPDATE OR DELETE ON anding_auditevent
    FOR EACH ROW EXECUTE FUNCTION anding_auditevent_append_only();

-- A superuser may (Django's test runner empties tables so, and a superuser can drop any trigger anyway).
CREATE OR REPLACE FUNCTION anding_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events cannot be truncated';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER anding_auditevent_no_truncate
    BEFORE TRUNCATE ON anding_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION anding_auditevent_no_truncate();
"""
UNPROTECT = """
DROP TRIGGER IF EXISTS anding_auditevent_no_truncate ON anding_auditevent;
DROP FUNCTION IF EXISTS anding_auditevent_no_truncate();
DROP TRIGGER IF EXISTS anding_auditevent_append_only ON anding_auditevent;
"""
# The trigger of migration 0002: no update, no delete.
OLD_PROTECT = """
CREATE OR REPLACE FUNCTION anding_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER anding_auditevent_append_only
    BEFORE UPDATE OR DELETE ON anding_auditevent
    FOR EACH ROW EXECUTE FUNCTION anding_auditevent_append_only();
"""


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("anding", "AuditEvent")
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s"
    prev_hash, batch = audit_chain.GENESIS, []
    rows = AuditEvent.objects.order_by("id").values("id", *audit_chain.FIELDS)
    with connection.cursor() as cursor:
        for row in rows.iterator(chunk_size=2000):
            digest = audit_chain.event_hash(row, prev_hash)
            batch.append((prev_hash, digest, row["id"]))
            prev_hash = digest
            if len(batch) >= 2000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        schema_editor.execute(PROTECT)


def unchain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNPROTECT)
        schema_editor.execute(OLD_PROTECT)


class Migration(migrations.Migration):
    dependencies = [("anding", "0006_audit_hash_chain")]
    operations = [migrations.RunPython(chain_existing, unchain)]
