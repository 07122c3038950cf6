"""`manage.py create_app_role <name> [--password-env VAR]`: the PostgreSQL role the portal connects as.

Run it as the owner of the tables (the role `migrate` runs as), after every `migrate`: it creates the LOGIN role
if it does not exist and grants it SELECT, INSERT, UPDATE and DELETE on the app's tables and USAGE on their
sequences, but only SELECT and INSERT on the audit trail. Not being the owner, the role can neither alter nor
truncate the audit table nor disable its triggers."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql

from anding.models import AuditEvent

# Tables the app role may only read and append to.
APPEND_ONLY = (AuditEvent._meta.db_table,)


class Command(BaseCommand):
    help = "Create (or update) the PostgreSQL LOGIN role the portal connects as: no UPDATE/DELETE on the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The role's name.")
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="Take the role's password from this environment variable (without it the role has no password).",
        )

    def handle(self, *args, name, password_env=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The app role exists on PostgreSQL only.")
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty.")
        role = sql.Identifier(name)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
                self.stdout.write(f"Created role {name}.")
            cursor.execute(sql.SQL("ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(role))
            if password is not None:
                cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(role, sql.Literal(password)))
            cursor.execute(
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(connection.settings_dict["NAME"]), role
                )
            )
            cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_has_role(c.relowner, 'USAGE') "
                "ORDER BY c.relname"
            )
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                target = sql.Identifier(table)
                cursor.execute(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(target, role))
                privileges = "SELECT, INSERT" if table in APPEND_ONLY else "SELECT, INSERT, UPDATE, DELETE"
                cursor.execute(sql.SQL(f"GRANT {privileges} ON TABLE {{}} TO {{}}").format(target, role))
            cursor.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role))
        self.stdout.write(
            f"Role {name}: SELECT, INSERT, UPDATE, DELETE on {len(tables) - len(APPEND_ONLY)} tables; "
            f"SELECT, INSERT on {', '.join(APPEND_ONLY)}. Run this again after every migrate."
        )
