import pytest
from django.db import connection


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left(django_db_setup, django_db_blocker):
    """A request thread of the live server can end with its connection still open (seen: one idle session whose last
    statement was a request's COMMIT), and PostgreSQL then refuses to drop the test database at the end of the run
    ("being accessed by other users"). Set up before the live server, this is torn down after it has stopped: it ends
    whatever session is left on the test database, before the database is dropped."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
