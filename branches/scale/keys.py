"""The foreign keys of a bulk load checked once, at its end, as one anti-join per key, on PostgreSQL.

Django declares PostgreSQL's foreign keys `DEFERRABLE INITIALLY DEFERRED`: each row written queues a check that runs
at commit, one index probe per row and key. For the city preset (several million rows) that was 134 s of 466, a third
of the generator's time. Inside `checked_at_end()` a superuser's transaction sets `session_replication_role` to
`replica`, which queues none, and the keys are then checked table by table in SQL, which reads each table once: a
missing row raises `IntegrityError`, and the block's savepoint rolls back, the setting with it, as the deferred checks
would have rolled back the transaction. Elsewhere (SQLite, a role that may not set it) the checks run as before.
"""

from contextlib import contextmanager

from django.apps import apps
from django.db import IntegrityError, connection, transaction

__all__ = ["checked_at_end"]


@contextmanager
def checked_at_end():
    """Inside a transaction: the foreign keys of the rows written in the block are checked when it ends, every
    installed model's by one statement per key, instead of row by row at commit."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block or not _superuser():
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: a failure undoes the setting too
        cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        cursor.execute("SET LOCAL session_replication_role = origin")
        for sql, name in _checks():
            cursor.execute(sql)
            if cursor.fetchone() is not None:
                raise IntegrityError(f"{name} refers to a row that does not exist")


def _superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]


def _checks():
    """(statement, name) per foreign key with a constraint: one row when a key names no row of its table."""
    quote = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        for field in opts.local_fields:
            if not field.is_relation or not field.db_constraint:  # a foreign key or a one-to-one
                continue
            target = field.target_field
            table, column = quote(opts.db_table), quote(field.column)
            sql = (
                f"SELECT 1 FROM {table} AS c WHERE c.{column} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {quote(target.model._meta.db_table)} AS p WHERE p.{quote(target.column)} = c.{column})"
                " LIMIT 1"
            )
            yield sql, f"{opts.label}.{field.name}"
