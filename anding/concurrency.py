"""Optimistic locking: a `version` column that each save must match, so a stale page cannot overwrite newer work."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

__all__ = ["StaleObjectError", "VersionedModel", "claim_version"]


class StaleObjectError(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Someone else saved this record after you opened it. Your changes were not saved: "
                "reload the page to see the current version, then make your changes again."
            ),
            code="stale",
        )


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def claim_version(obj: VersionedModel, expected: int | None) -> None:
    """Bump the stored version if it still equals `expected`; raise StaleObjectError otherwise.

    Call inside the transaction that saves `obj`; afterwards `obj.version` is the new version.
    """
    if obj.pk is None:
        return
    if expected is None:
        expected = obj.version
    with transaction.atomic():
        updated = type(obj)._base_manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1)
        if not updated:
            raise StaleObjectError()
    obj.version = expected + 1
