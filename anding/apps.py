from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.db import connections
from django.utils.translation import gettext_lazy as _


class AndingConfig(AppConfig):
    name = "anding"
    default = True
    verbose_name = _("Portal core")

    def ready(self):
        from django.db.models.signals import post_migrate, pre_migrate

        from . import audit, auth, duties, freshness, sessions, two_factor  # noqa: F401  (connect their receivers)

        # After every app's permissions exist: each app's post_migrate puts back what it can, the last one all.
        post_migrate.connect(duties.sync_groups, dispatch_uid="anding.duties.sync_groups")
        pre_migrate.connect(_limit_lock_waits, dispatch_uid="anding.apps.limit_lock_waits")
        post_migrate.connect(_end_lock_limit, dispatch_uid="anding.apps.end_lock_limit")


def _limit_lock_waits(using="default", **kwargs):
    """A migration waiting for a lock gives up after MIGRATION_LOCK_TIMEOUT instead of queueing every request
    behind it (PostgreSQL; the migration is retried when the table is quiet). See docs/OPERATIONS.md."""
    _set_lock_timeout(using, settings.MIGRATION_LOCK_TIMEOUT)


def _end_lock_limit(using="default", **kwargs):
    _set_lock_timeout(using, None)


def _set_lock_timeout(using, value):
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = %s" if value else "RESET lock_timeout", [value] if value else [])


class AdminConfig(admin_apps.AdminConfig):
    """The admin, whose site lets in only staff who gave a two-factor code this session."""

    default = False
    default_site = "anding.two_factor.VerifiedAdminSite"
