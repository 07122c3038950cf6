"""The demo (`manage.py load_demo`), loaded once per test worker for this package's modules: loading it takes half a
minute, and each module loading its own was the test suite's longest setup. It is loaded in a transaction rolled back
when the package's last test on the worker is done; each test runs in a savepoint of its own on top of it."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once (its files under a temporary media root); returns what the command printed."""
    out = io.StringIO()
    media = override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
