"""The audit trail's integrity (checklist items 18-20 and 22 of ../shared/reference/security.md): a hash chain that
`verify_audit` walks, a database role that can only append to it, retention, and a backup that restores to the same
rows and a valid chain."""

import contextlib
import datetime
import io
import os
import subprocess
import sys
import threading
import types
import uuid
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anding import audit, audit_chain
from anding.management.commands.verify_audit import first_broken_link
from anding.models import AuditEvent
from branches import actions
from branches.choices import ReportStatus
from branches.models import MonthlyReport

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = uuid.uuid4().hex  # of the app roles made here
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def events(n):
    return [audit.record("test", detail={"n": i, "nested": {"b": [1, 2.0], "a": "甲"}}) for i in range(n)]


def raw(sql, params=()):
    """Run SQL past the model and the database's triggers (a hand edit by the table's owner or a superuser)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def verify():
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_each_event_links_to_the_one_before(db):
    first, second, third = events(3)

    assert first.prev_hash == audit_chain.GENESIS
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    stored = AuditEvent.objects.get(pk=second.pk)
    assert audit_chain.event_hash(stored.chain_values(), stored.prev_hash) == stored.hash == second.hash


def test_appending_reads_the_last_hash_and_inserts_nothing_more(db):
    events(1)
    with CaptureQueriesContext(connection) as queries:
        audit.record("test")

    expected = 3 if connection.vendor == "postgresql" else 2  # (the advisory lock), the last hash, the insert
    assert len(queries) == expected, [q["sql"] for q in queries]


def test_19_verify_audit_prints_ok_and_the_count(db):
    events(3)

    assert verify().startswith("OK: 3 audit events")


def test_19_verify_audit_names_first_broken_link(db):
    """A row edited by hand (as the owner or superuser, past the trigger) is named by id and time."""
    _first, second, third = events(3)
    raw("UPDATE anding_auditevent SET action = %s WHERE id = %s", ["rewritten", second.pk])
    raw("UPDATE anding_auditevent SET actor_name = %s WHERE id = %s", ["someone", third.pk])

    with pytest.raises(CommandError) as error:
        verify()

    stored = AuditEvent.objects.get(pk=second.pk)
    assert f"event {second.pk} ({stored.at:%Y-%m-%d %H:%M:%S}" in str(error.value)
    assert "edited" in str(error.value)


def test_19_verify_audit_names_an_edit_whose_hash_was_recomputed(db):
    """Rewriting an event together with its hash breaks the link of the next one."""
    _first, second, third = events(3)
    values = second.chain_values() | {"action": "rewritten"}
    raw(
        "UPDATE anding_auditevent SET action = %s, hash = %s WHERE id = %s",
        ["rewritten", audit_chain.event_hash(values, second.prev_hash), second.pk],
    )

    assert first_broken_link()[2][0] == third.pk


def test_19_verify_audit_names_the_event_after_a_deleted_one(db):
    first, second, third = events(3)
    raw("DELETE FROM anding_auditevent WHERE id = %s", [second.pk])

    with pytest.raises(CommandError, match=f"event {third.pk} .*link to event {first.pk} is broken"):
        verify()


def test_19_verify_audit_names_an_inserted_event(db):
    first, second = events(2)
    raw(
        "INSERT INTO anding_auditevent (id, at, actor_name, action, object_type, object_id, object_repr, result, "
        "detail, prev_hash, hash) VALUES (%s, %s, '', 'forged', '', '', '', 'success', '{}', %s, %s)",
        [second.pk + 100, timezone.now(), "1" * 64, "2" * 64],
    )

    assert first_broken_link()[2][0] == second.pk + 100


def test_the_hash_survives_what_the_database_gives_back(db):
    """Times, IPv6 addresses and JSON as stored give the hash computed before the insert."""
    event = audit.record(
        "test",
        detail={"z": 1, "a": [1.5, 2.0, None, True], "s": '引号"\n', "big": 10**20},
        request=type("R", (), {"META": {"REMOTE_ADDR": "2001:0DB8:0000::0001"}, "user": None})(),
    )

    assert event.ip_address == "2001:db8::1"
    assert first_broken_link()[2] is None


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    barrier, errors = threading.Barrier(8), []

    def write():
        try:
            barrier.wait()
            for i in range(5):
                with transaction.atomic():
                    audit.record("test", detail={"i": i})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    count, _last, problem = first_broken_link()
    assert (count, problem) == (40, None)
    assert len(set(AuditEvent.objects.values_list("prev_hash", flat=True))) == 40


def pg_url(name=None, user=None):
    db = settings.DATABASES["default"]
    auth = f"{user}:{PASSWORD}" if user else db["USER"]
    if db.get("PASSWORD") and user is None:
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


def refused(cursor, statement, match):
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        cursor.execute(statement)


@on_postgresql
def test_18_the_database_refuses_to_rewrite_or_empty_the_trail_even_for_its_owner(db):
    """Migration 0007: as the tables' owner (not a superuser), no UPDATE, no DELETE of an event younger than 180
    days, no TRUNCATE; an event older than 180 days may be deleted (retention)."""
    owner = f"audit_owner_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {owner}")
        cursor.execute(f"ALTER TABLE anding_auditevent OWNER TO {owner}")  # before any row: no pending FK checks
    young = audit.record("test")
    old = audit.record("test")
    raw("UPDATE anding_auditevent SET at = %s WHERE id = %s", [timezone.now() - datetime.timedelta(days=181), old.pk])
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks to stop a TRUNCATE
        cursor.execute(f"SET LOCAL ROLE {owner}")
        refused(cursor, f"UPDATE anding_auditevent SET action = 'x' WHERE id = {young.pk}", "append-only")
        refused(cursor, f"DELETE FROM anding_auditevent WHERE id = {young.pk}", "append-only")
        refused(cursor, "TRUNCATE anding_auditevent CASCADE", "cannot be truncated")
        refused(cursor, f"UPDATE anding_auditevent SET action = 'x' WHERE id = {old.pk}", "append-only")
        cursor.execute(f"DELETE FROM anding_auditevent WHERE id = {old.pk}")
        cursor.execute("RESET ROLE")

    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [young.pk]


def test_20_events_181_days_old_are_still_queryable(db):
    event = audit.record("test")
    raw("UPDATE anding_auditevent SET at = %s WHERE id = %s", [timezone.now() - datetime.timedelta(days=181), event.pk])

    assert AuditEvent.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=180)).get() == event


@pytest.fixture
def app_role(transactional_db, monkeypatch):
    """A LOGIN role made by `create_app_role` on the test database (committed, so another connection sees it)."""
    name = f"anding_app_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("TEST_APP_ROLE_PASSWORD", PASSWORD)
    call_command("create_app_role", name, "--password-env", "TEST_APP_ROLE_PASSWORD", stdout=io.StringIO())
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {name}")
        cursor.execute(f"DROP ROLE {name}")


@on_postgresql
def test_18_app_role_cannot_update_delete_truncate_audit(app_role):
    event = audit.record("test")
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, dbname=db["NAME"], user=app_role, password=PASSWORD
    )
    try:
        cursor = conn.cursor()
        cursor.execute("SELECT current_user, count(*) FROM anding_auditevent")
        assert cursor.fetchone() == (app_role, 1)
        for statement in (
            f"UPDATE anding_auditevent SET action = 'x' WHERE id = {event.pk}",
            f"DELETE FROM anding_auditevent WHERE id = {event.pk}",
            "TRUNCATE anding_auditevent",
            "ALTER TABLE anding_auditevent DISABLE TRIGGER ALL",
            "ALTER TABLE anding_auditevent DISABLE TRIGGER anding_auditevent_append_only",
            "DROP TRIGGER anding_auditevent_append_only ON anding_auditevent",
            "ALTER TABLE anding_auditevent OWNER TO CURRENT_USER",
        ):
            with pytest.raises(psycopg2.Error, match="permission denied|must be owner"):
                cursor.execute(statement)
            conn.rollback()
        cursor.execute(
            "INSERT INTO anding_auditevent (at, actor_name, action, object_type, object_id, object_repr, result, "
            "detail, prev_hash, hash) VALUES (now(), '', 'probe', '', '', '', 'success', '{}', '', '')"
        )
        cursor.execute("UPDATE anding_user SET last_login = now() WHERE false")  # other tables: read and write
        conn.commit()
    finally:
        conn.close()
    assert AuditEvent.objects.filter(action="probe").exists()
    assert AuditEvent.objects.filter(pk=event.pk, action="test").exists()


@on_postgresql
def test_create_app_role_can_run_again_after_a_migrate(app_role):
    out = io.StringIO()
    call_command("create_app_role", app_role, stdout=out)

    assert "Created" not in out.getvalue()
    assert f"SELECT, INSERT on {AuditEvent._meta.db_table}" in out.getvalue()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no roles")
def test_create_app_role_is_for_postgresql_only(db):
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("create_app_role", "anding_app")


@on_postgresql
def test_18_the_portal_runs_as_the_app_role(app_role):
    """The app's own writes (an audit event appended to the chain) and `verify_audit` work as the app role."""
    audit.record("test")
    script = "from anding import audit; audit.record('as_app_role')"
    env = {**os.environ, "DATABASE_URL": pg_url(user=app_role)}

    def run(*args):
        command = [sys.executable, "manage.py", *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)

    assert run("shell", "-c", script).returncode == 0
    result = run("verify_audit")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 2 audit events")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_20_backup_restores_the_same_rows_and_a_valid_chain(tree, village_secretary, tmp_path):
    """`make backup` dumps the database; `make restore` loads it into an empty one and verifies the chain."""
    from branches.models import Organization, PartyMember

    audit.record("login", actor=village_secretary)
    events(5)
    tables = ["anding_auditevent", "anding_user", Organization._meta.db_table, PartyMember._meta.db_table]
    scratch = f"{settings.DATABASES['default']['NAME']}_restore_{uuid.uuid4().hex[:6]}"

    def counts(url):
        with psycopg2.connect(url) as conn, conn.cursor() as cursor:
            result = {}
            for table in tables:
                cursor.execute(f"SELECT count(*) FROM {table}")
                result[table] = cursor.fetchone()[0]
            return result

    def make(*args, url):
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.run(
            ["make", "--no-print-directory", *args, f"BACKUP_DIR={tmp_path}", f"PY={sys.executable}"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip

    backup = make("backup", url=pg_url())
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.parent == tmp_path and dump.suffix == ".dump" and dump.stat().st_size > 0

    admin = psycopg2.connect(pg_url("postgres"))
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{scratch}"')
    try:
        restore = make("restore", f"FILE={dump}", url=pg_url(scratch))
        assert restore.returncode == 0, restore.stderr
        # The 6 events above and the tree's history (tests/test_history.py).
        assert f"OK: {AuditEvent.objects.count()} audit events, chain intact" in restore.stdout
        assert AuditEvent.objects.exclude(action__startswith="history_").count() == 6
        assert counts(pg_url(scratch)) == counts(pg_url())
        assert counts(pg_url())[PartyMember._meta.db_table] > 0
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()


def events_ago(n, days):
    """`n` events written `days` ago."""
    with mock.patch.object(timezone, "now", return_value=timezone.now() - datetime.timedelta(days=days)):
        return events(n)


def test_20_purge_audit_deletes_only_events_older_than_180_days_and_the_chain_still_verifies(db):
    old = events_ago(3, 200)
    kept = events_ago(1, 179) + events(1)

    with pytest.raises(CommandError, match="180 days at least"):
        call_command("purge_audit", "--days", "90")
    call_command("purge_audit", stdout=io.StringIO())

    remaining = list(AuditEvent.objects.order_by("id"))
    assert remaining[:2] == kept
    purge = remaining[2]
    assert purge.action == audit_chain.PURGE_ACTION
    assert purge.detail == {
        "deleted": 3,
        "days": 180,
        "first_kept_id": kept[0].pk,
        "first_kept_prev_hash": old[-1].hash,
    }
    assert verify().startswith("OK: 3 audit events")


def test_19_a_gap_at_the_start_without_a_purge_record_is_named(db):
    first, second, third = events(3)
    raw("DELETE FROM anding_auditevent WHERE id IN (%s, %s)", [first.pk, second.pk])

    with pytest.raises(CommandError, match=f"event {third.pk} .*link to the start of the trail is broken"):
        verify()


def test_the_chain_of_existing_events_is_computed_by_the_migration(db):
    """Migration 0007 chains the events written before it, in id order."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    written = events(3)
    raw("UPDATE anding_auditevent SET prev_hash = '', hash = ''")
    migration = MigrationLoader(connection).get_migration("anding", "0007_audit_chain_and_protections")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks to stop DROP TRIGGER
    schema_editor = types.SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    migration.operations[0].code(apps, schema_editor)

    stored = list(AuditEvent.objects.order_by("id"))
    assert [(e.prev_hash, e.hash) for e in stored] == [(e.prev_hash, e.hash) for e in written]
    assert verify().startswith("OK: 3 audit events")


@contextlib.contextmanager
def audit_insert_revoked():
    """The app's writes, with INSERT on the audit table refused (a PostgreSQL role without it; elsewhere a refusal
    that looks the same)."""
    if connection.vendor != "postgresql":
        refusal = DatabaseError("permission denied for table anding_auditevent")
        with mock.patch.object(AuditEvent, "save", side_effect=refusal):
            yield
        return
    role = f"no_audit_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"REVOKE INSERT ON anding_auditevent FROM {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_22_report_submit_fails_closed_when_the_audit_trail_refuses_the_event(tree, village_secretary):
    """No audit event, no change: a report is neither started nor submitted when its event cannot be written."""
    month = timezone.localdate().replace(day=1)
    with audit_insert_revoked(), pytest.raises(DatabaseError, match="permission denied"):
        actions.report_start(actor=village_secretary, village=tree.v11, month=month)
    assert not MonthlyReport.objects.exists()

    report = actions.report_start(actor=village_secretary, village=tree.v11, month=month)
    report = actions.report_save(
        actor=village_secretary, report=report, version=report.version, narrative="开展工作", problems="", requests=""
    )
    with audit_insert_revoked(), pytest.raises(DatabaseError, match="permission denied"):
        actions.report_submit(actor=village_secretary, report=report)

    report.refresh_from_db()
    assert (report.status, report.submitted_at) == (ReportStatus.DRAFT, None)
    assert not AuditEvent.objects.filter(action="report_submitted").exists()
