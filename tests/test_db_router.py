"""Reads on replicas, writes on the primary (anding/db_router.py): where each read goes, and a browser that wrote
reading its own writes; Redis for the cache and the sessions."""

import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anding.db_router import COOKIE, ReplicaRouter, _sticky, _wrote
from anding.models import AuditEvent
from anding.sessions import end_sessions_of
from branches.models import PartyMember
from tests.factories import PASSWORD

router = ReplicaRouter()


@pytest.fixture
def replicas(settings):
    settings.READ_REPLICAS = ["replica1"]
    tokens = _sticky.set(False), _wrote.set(False)
    yield settings
    _sticky.reset(tokens[0])
    _wrote.reset(tokens[1])
    connections["replica1"].close()  # else it holds the test database open when the run drops it


def test_without_replicas_everything_is_on_the_primary(settings):
    settings.READ_REPLICAS = []

    assert router.db_for_read(PartyMember) == "default"


def test_reads_go_to_a_replica_writes_to_the_primary(replicas):
    assert router.db_for_read(PartyMember) == "replica1"
    assert router.db_for_write(PartyMember) == "default"
    assert router.allow_migrate("default", "branches") and not router.allow_migrate("replica1", "branches")


def test_after_a_write_the_request_reads_the_primary(replicas):
    router.db_for_write(PartyMember)

    assert router.db_for_read(PartyMember) == "default"


@pytest.mark.django_db
def test_inside_a_transaction_reads_are_on_the_primary(replicas):
    with transaction.atomic():
        assert router.db_for_read(PartyMember) == "default"


def test_sessions_and_the_audit_trail_are_read_on_the_primary_and_writing_them_is_no_write(replicas):
    router.db_for_write(Session)
    router.db_for_write(AuditEvent)

    assert router.db_for_read(Session) == router.db_for_read(AuditEvent) == "default"
    assert router.db_for_read(PartyMember) == "replica1"


@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_a_browser_that_wrote_reads_its_writes_from_the_primary(replicas, tree, village_secretary):
    if connection.vendor != "postgresql":
        pytest.skip("two connections to one test database: PostgreSQL")
    client = Client()
    client.post("/accounts/login/", {"username": "v11", "password": PASSWORD})  # last_login: a write
    assert client.cookies[COOKIE]["max-age"] == replicas.REPLICA_STICKY_SECONDS

    reader = Client()
    reader.force_login(village_secretary)
    with CaptureQueriesContext(connections["replica1"]) as on_replica:
        page = reader.get("/members/")  # a read only: served from the replica, no cookie

    assert page.status_code == 200 and COOKIE not in page.cookies
    assert str(tree.members["v11"][0]) in page.content.decode()
    assert any("branches_partymember" in q["sql"] for q in on_replica.captured_queries)


# Redis: the cache and the sessions of several app servers -----------------------------------------------------


def redis_or_skip(url="redis://127.0.0.1:6379/14"):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return url


def test_redis_url_puts_the_cache_and_sessions_in_redis():
    url = redis_or_skip()
    code = (
        "import django; from django.conf import settings; django.setup(); from django.core.cache import cache; "
        "cache.set('probe', 42); print(settings.SESSION_ENGINE, settings.JOB_QUEUE, cache.get('probe'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "REDIS_URL": url, "DJANGO_SETTINGS_MODULE": "anding.settings"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert done.stdout.split() == ["django.contrib.sessions.backends.cached_db", "rq", "42"]


def test_ending_a_users_sessions_reaches_the_cache(settings, village_secretary):
    url = redis_or_skip()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    client = Client()
    client.force_login(village_secretary)
    key = client.cookies["sessionid"].value
    assert cache.get(KEY_PREFIX + key) is not None

    assert end_sessions_of(village_secretary) == 1

    assert cache.get(KEY_PREFIX + key) is None
    assert client.get("/").status_code == 302
