"""Writes of the roster in bulk: the import of a checked Excel file."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anding import audit

from ..choices import OrgKind
from ..models import Organization, PartyMember
from ..roster_import import ImportCheck, check_rows

__all__ = ["may_import_members", "member_import"]

CHUNK = 500


def may_import_members(user) -> bool:
    """Whoever may change the roster of at least one village (not deputies, not department staff)."""
    return Organization.objects.restrict(user, "change").filter(kind=OrgKind.VILLAGE).exists()


def member_import(*, actor, rows: list[dict], previewed: bool = False) -> ImportCheck:
    """Add the members of `rows` (from `roster_import.read_rows`) in one transaction, or nothing while any row is
    wrong (ValidationError carrying the check as `.check`). Rows whose ID number is already on the roster are
    skipped, so a second import of the same file adds none. Audited with the row counts, never the numbers.
    The rows that match or resemble a member spend the actor's ID-number lookups, unless `previewed` (the file the
    actor has just checked, whose preview spent them)."""
    if not may_import_members(actor):
        raise PermissionDenied
    check = check_rows(actor, rows, count_lookups=not previewed)
    if check.errors:
        refused = ValidationError(
            _("Nothing was imported: %(n)d rows have errors.") % {"n": len({e.row for e in check.errors})},
            code="import_errors",
        )
        refused.check = check
        raise refused
    try:
        with transaction.atomic():
            for member in check.new:
                member.stamp(actor)
            PartyMember.objects.bulk_create(check.new, batch_size=CHUNK)
            audit.record(
                "member_import",
                actor=actor,
                detail={"rows": check.read, "created": len(check.new), "skipped": len(check.skipped)},
            )
    except IntegrityError as exc:  # someone added one of these members meanwhile
        raise ValidationError(_("The roster changed while importing; check the file again."), code="stale") from exc
    return check
