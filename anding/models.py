"""Core models: the portal's user, the append-only audit trail, and the records that make a repeated create
(a double-clicked form, a retried API call) create nothing."""

import unicodedata
import uuid

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit_chain

__all__ = [
    "AuditEvent",
    "ChangeTrackedModel",
    "FormSubmission",
    "IdempotencyKey",
    "Job",
    "User",
    "user_name",
    "validate_not_reserved_username",
]


def validate_not_reserved_username(value) -> None:
    """等保: no default or shared accounts. The names of settings.RESERVED_USERNAMES (admin, root, test ...) are
    refused for a new or renamed account, in any spelling (compared normalized)."""
    reserved = {User.normalize_username(name) for name in settings.RESERVED_USERNAMES}
    if User.normalize_username(value) in reserved:
        raise ValidationError(
            _("“%(name)s” is a default or shared account name: give every person an account of their own."),
            code="reserved_username",
            params={"name": value},
        )


def user_name(path: str) -> Coalesce:
    """`str()` of the user at `path` (a foreign key), in SQL: the full name, else the user name. A list that shows who
    did something reads this one column instead of joining and building the user's whole row (the report API's
    history names each step's actor so)."""
    return Coalesce(NullIf(models.F(f"{path}__full_name"), models.Value("")), models.F(f"{path}__username"))


class User(AbstractUser):
    """A person who logs in to the portal; what they see follows from their positions."""

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
        validators=[UnicodeUsernameValidator(), validate_not_reserved_username],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # 等保's periodic change: when the password was last set (anding.accounts sends an expired one to be changed).
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="%(app_label)s_%(class)s_unique_username_ci",
                violation_error_message=_("A user with that user name already exists."),
            )
        ]

    def __str__(self):
        return self.full_name or self.username  # user_name() says the same in SQL

    @classmethod
    def normalize_username(cls, username) -> str:
        """The one spelling of a user name, for storing, counting and logging in: NFKC, no whitespace anywhere,
        lower case. So " V32", "v 32" and "V32" are all the account `v32`."""
        text = unicodedata.normalize("NFKC", str(username or ""))
        return "".join(text.split()).lower()[:150]

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password):
        """Django's check, whose upgrade of an old hash at login (same password) keeps the date of the change."""

        def rehash(raw):
            changed_at = self.password_changed_at
            self.set_password(raw)
            self.password_changed_at = changed_at
            self._password = None
            self.save(update_fields=["password"])

        return check_password(raw_password, self.password, rehash)


class ChangeTrackedModel(models.Model):
    """The fields every record of the portal has: who created and last changed it, and when. The services call
    `stamp(actor)` before saving. What changed is kept by the audit trail: the actions always, the fields before
    and after for the models that mix in `anding.history.Tracked`."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    def stamp(self, actor) -> None:
        """Record `actor` as the one changing this record now (and creating it, when it is new)."""
        if self.pk is None and self.created_by_id is None:
            self.created_by = actor
        self.updated_by = actor


class AuditEvent(models.Model):
    """One thing that happened: who did what, when, from where, to which object, with what result."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")

    # Set when the event is appended (under the chain's lock), so times follow the order of the chain.
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=50, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="anding_audit_object_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name or '-'} {self.action} {self.object_repr}".strip()

    def save(self, *args, **kwargs):
        """Append the event to the hash chain. Appends are serialized: on PostgreSQL by an advisory lock held to the
        end of the transaction (taken before the last hash is read), on SQLite by its single writer. Inside a
        caller's transaction no savepoint is made: an event that cannot be written fails the caller's work."""
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        connection = connections[using]
        with transaction.atomic(using=using, savepoint=False):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [audit_chain.LOCK_KEY])
            last = type(self)._base_manager.using(using).order_by("-id").values_list("hash", flat=True).first()
            self.at = timezone.now()
            self.ip_address = self._meta.get_field("ip_address").get_prep_value(self.ip_address) or None
            self.prev_hash = last if last is not None else audit_chain.GENESIS
            self.hash = audit_chain.event_hash(self.chain_values(), self.prev_hash)
            super().save(*args, **kwargs)

    def chain_values(self) -> dict:
        return {name: getattr(self, name) for name in audit_chain.FIELDS}

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class FormSubmission(models.Model):
    """A create form's one-time token, spent once: a second submit of the same form lands on the first result."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(_("result page"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return str(self.token)


class IdempotencyKey(models.Model):
    """An API call's Idempotency-Key, spent once per user: a repeat gets the first answer and creates nothing.

    A sibling of FormSubmission rather than a generalization: the client chooses the key (any string, unique per
    user, not a server-made UUID), and a repeat must get the same status and body, not a redirect.
    """

    key = models.CharField(_("key"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    request = models.CharField(_("request"), max_length=300, help_text=_("Method and path of the first request."))
    fingerprint = models.CharField(
        _("request fingerprint"), max_length=64, help_text=_("SHA-256 of the method, path and body.")
    )
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response = models.TextField(_("response body"), blank=True, help_text=_("The first answer, as JSON."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="anding_idempotency_key_once_per_user",
                violation_error_message=_("This idempotency key has been used already."),
            )
        ]

    def __str__(self):
        return f"{self.key} ({self.request})"


class Job(models.Model):
    """Long work done in the background for one user (a large export, a large roster import), with its progress and
    its outcome: a file to download, or what it did (`result`).

    `anding.jobs` runs it; the user follows it on its page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    EXPORT = "export"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=40, default=EXPORT, help_text=_("What the job does."))
    title = models.CharField(_("title"), max_length=200)
    path = models.CharField(_("page"), max_length=2000, help_text=_("The list and its filters, as the user asked."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.CharField(_("file"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True, help_text=_("What the job did, for its page."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("job", args=[self.pk])

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
