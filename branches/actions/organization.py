"""Writes of the branches app: one function per business action, each in a transaction, checking permission and
state, and writing its audit event."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anding import audit, history
from anding.concurrency import claim_version

from ..choices import MeetingStatus, OrgChangeKind, OrgKind, ReportStatus, Role
from ..models import Meeting, MonthlyReport, Organization, OrgChange, PartyMember, Position
from ..tree import tree_lock

__all__ = [
    "MoveConsequences",
    "member_save",
    "move_consequences",
    "organization_create",
    "organization_move",
    "organization_update",
]

# Records of a village still waiting for work or review: they follow the village to its new general branch. Records
# that are done (approved reports, reviewed meetings) keep the general branch of their time.
OPEN_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.RETURNED)
OPEN_MEETING_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.HELD)


@dataclass
class MoveConsequences:
    """What moving a village to another general branch changes besides its parent (shown before the move)."""

    old_general: Organization | None
    new_general: Organization | None
    ending_liaisons: list[Position]
    open_reports: list[MonthlyReport]
    open_meetings: list[Meeting]
    deputy_choices: list[Position]


def _general_of(node: Organization | None) -> Organization | None:
    return node if node is not None and node.kind == OrgKind.GENERAL else None


def move_consequences(organization: Organization, new_parent: Organization) -> MoveConsequences:
    """The liaison assignments that end, the open reports and meetings that go to the new general branch's
    reviewers, and the deputies of the new general branch who may take the village over."""
    old_general, new_general = _general_of(organization.parent), _general_of(new_parent)
    moving = old_general != new_general and organization.kind == OrgKind.VILLAGE
    deputies = Position.objects.active().filter(role=Role.DEPUTY_SECRETARY).select_related("user", "organization")
    return MoveConsequences(
        old_general=old_general,
        new_general=new_general,
        ending_liaisons=list(deputies.filter(liaison_villages=organization)) if moving else [],
        open_reports=list(MonthlyReport.objects.filter(village=organization, status__in=OPEN_REPORT_STATUSES))
        if moving
        else [],
        open_meetings=list(Meeting.objects.filter(organization=organization, status__in=OPEN_MEETING_STATUSES))
        if moving
        else [],
        deputy_choices=list(deputies.filter(organization=new_general)) if moving and new_general else [],
    )


def _can_restructure(user) -> bool:
    return user.is_superuser or user.has_perm("branches.change_organization")


def organization_move(
    *,
    actor,
    organization: Organization,
    new_parent: Organization,
    effective_date: datetime.date,
    reason: str,
    liaison_deputy: Position | None = None,
) -> OrgChange:
    """Move a node (typically a village) under another parent, effective on a date, for a reason.

    A village moving to another general branch carries its consequences in the same transaction: the old general
    branch's deputies stop liaising with it, `liaison_deputy` (a deputy of the new general branch, or None to
    leave it to its secretary) starts, and its open reports and meetings go to the new general branch's reviewers.
    """
    if not _can_restructure(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for this change.")
    if effective_date is None:
        errors["effective_date"] = _("Give the date from which this change takes effect.")
    if errors:
        raise ValidationError(errors)
    with tree_lock(), history.acting_as(actor):
        node = Organization.objects.select_for_update().get(pk=organization.pk)
        old_parent = node.parent
        if new_parent is None or old_parent == new_parent:
            raise ValidationError({"parent": _("Choose a parent different from the current one.")})
        node.parent = Organization.objects.get(pk=new_parent.pk)
        node.full_clean()
        consequences = move_consequences(Organization.objects.get(pk=node.pk), node.parent)
        if liaison_deputy is not None and liaison_deputy not in consequences.deputy_choices:
            raise ValidationError(
                {"liaison_deputy": _("Choose a deputy secretary of %(org)s.") % {"org": node.parent.name}}
            )
        node.save()
        for position in consequences.ending_liaisons:
            position.liaison_villages.remove(node)
        if liaison_deputy is not None:
            liaison_deputy.liaison_villages.add(node)
        if consequences.new_general is not None:
            MonthlyReport.objects.filter(pk__in=[r.pk for r in consequences.open_reports]).update(
                general_branch=consequences.new_general
            )
            for report in consequences.open_reports:  # the bulk update's history (anding.history)
                report.village, report.general_branch = node, consequences.new_general
                history.record_change(report)
            Meeting.objects.filter(pk__in=[m.pk for m in consequences.open_meetings]).update(
                general_branch=consequences.new_general
            )
        change = OrgChange.objects.create(
            organization=node,
            kind=OrgChangeKind.MOVE,
            old_parent=old_parent,
            new_parent=node.parent,
            effective_date=effective_date,
            reason=reason,
            actor=actor,
        )
        audit.record(
            "org_move",
            actor=actor,
            obj=node,
            detail={
                "from": old_parent.name if old_parent else None,
                "to": node.parent.name,
                "effective_date": effective_date.isoformat(),
                "reason": reason,
                "liaisons_ended": [str(p.user) for p in consequences.ending_liaisons],
                "liaison_deputy": str(liaison_deputy.user) if liaison_deputy else None,
                "open_reports": len(consequences.open_reports),
                "open_meetings": len(consequences.open_meetings),
            },
        )
    organization.refresh_from_db()
    return change


def organization_create(*, actor, organization: Organization, reason: str = "") -> Organization:
    """Add a node to the tree."""
    if not _can_restructure(actor):
        raise PermissionDenied
    with tree_lock(), history.acting_as(actor):
        organization.full_clean()
        organization.save()
        OrgChange.objects.create(
            organization=organization,
            kind=OrgChangeKind.CREATE,
            new_parent=organization.parent,
            effective_date=organization.valid_from or datetime.date.today(),
            reason=reason or _("Created"),
            actor=actor,
        )
        audit.record("org_create", actor=actor, obj=organization)
    return organization


def organization_update(*, actor, organization: Organization, changed: list[str]) -> Organization:
    """Save changes to a node's own attributes (not its place in the tree: that is `organization_move`)."""
    if not _can_restructure(actor):
        raise PermissionDenied
    with tree_lock(), history.acting_as(actor):
        stored = Organization.objects.select_for_update().get(pk=organization.pk)
        if stored.parent_id != organization.parent_id:
            raise ValidationError({"parent": _("Use the move form to change the parent organization.")})
        organization.full_clean()
        organization.save()
        if stored.name != organization.name:
            OrgChange.objects.create(
                organization=organization,
                kind=OrgChangeKind.RENAME,
                effective_date=datetime.date.today(),
                reason=_("Renamed from %(old)s to %(new)s") % {"old": stored.name, "new": organization.name},
                actor=actor,
            )
        audit.record("org_update", actor=actor, obj=organization, detail={"fields": sorted(changed)})
    return organization


def member_save(
    *, actor, member: PartyMember, changed: list[str] | None = None, version: int | None = None
) -> PartyMember:
    """Add a member to the roster or save changes to one, within the actor's scope.

    `version` is the version the editor started from; a newer stored version means a conflict (nothing saved).
    """
    creating = member.pk is None
    allowed = Organization.objects.restrict(actor, "change").filter(pk=member.branch_id).exists()
    if not allowed:
        raise PermissionDenied
    if not creating and not PartyMember.objects.restrict(actor, "change").filter(pk=member.pk).exists():
        raise PermissionDenied
    member.sync_digest()
    member.full_clean()
    try:
        with transaction.atomic():
            claim_version(member, version)
            member.stamp(actor)
            member.save()
            audit.record(
                "member_create" if creating else "member_update",
                actor=actor,
                obj=member,
                detail={"fields": sorted(changed or [])},
            )
    except IntegrityError as exc:
        raise ValidationError({"id_number": _("A member with this ID number is already on the roster.")}) from exc
    return member
