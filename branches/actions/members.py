"""Writes of the roster in bulk: the import of a checked Excel file, in the request or, for a large file, as a
background job (anding.jobs)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anding import audit, duties, jobs
from anding.models import AuditEvent
from anding.scoping import in_scope

from ..choices import OrgKind
from ..models import Organization, PartyMember
from ..roster_import import ImportCheck, check_rows, read_rows

__all__ = ["id_number_reveal", "may_import_members", "member_import", "member_import_job"]

CHUNK = 500


def id_number_reveal(*, actor, member: PartyMember, reason: str) -> str:
    """The full ID number of `member`, for someone with the permission (anding.duties.REVEAL_ID_NUMBER) and the
    member in scope, for a reason: audited with the reason, never the number. A refusal is audited too."""
    reason = (reason or "").strip()
    if not actor.has_perm(duties.REVEAL_ID_NUMBER) or not in_scope(actor, member):
        audit.record(
            "id_number_reveal", actor=actor, obj=member, result=AuditEvent.Result.FAILURE, detail={"reason": reason}
        )
        raise PermissionDenied
    if len(reason) < 4:
        raise ValidationError({"reason": _("Give the reason why you need the full number.")})
    audit.record("id_number_reveal", actor=actor, obj=member, detail={"reason": reason})
    return member.id_number


def may_import_members(user) -> bool:
    """Whoever may change the roster of at least one village (not deputies, not department staff)."""
    return Organization.objects.restrict(user, "change").filter(kind=OrgKind.VILLAGE).exists()


def member_import(*, actor, rows: list[dict], previewed: bool = False, progress=None) -> ImportCheck:
    """Add the members of `rows` (from `roster_import.read_rows`) in one transaction, or nothing while any row is
    wrong (ValidationError carrying the check as `.check`). Rows whose ID number is already on the roster are
    skipped, so a second import of the same file adds none. Audited with the row counts, never the numbers.
    The rows that match or resemble a member spend the actor's ID-number lookups, unless `previewed` (the file the
    actor has just checked, whose preview spent them)."""
    if not may_import_members(actor):
        raise PermissionDenied
    check = check_rows(actor, rows, count_lookups=not previewed, progress=progress)
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


def member_import_job(job) -> dict:
    """The background job (kind "member_import") importing a previewed file kept at `job.result["upload"]`: what
    it did, or why nothing was imported, is the job's result; the kept file is deleted either way."""
    name = job.result["upload"]
    try:
        with default_storage.open(name, "rb") as kept:
            rows = read_rows(kept)
        check = member_import(actor=job.user, rows=rows, previewed=True, progress=lambda n: jobs.progress(job, n))
    except ValidationError as exc:
        refused = getattr(exc, "check", None)
        return {"result": {"refused": exc.code, "rows": len({e.row for e in refused.errors}) if refused else 0}}
    finally:
        default_storage.delete(name)
    return {"done": check.read, "result": {"created": len(check.new), "skipped": len(check.skipped)}}
