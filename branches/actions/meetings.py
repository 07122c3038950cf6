"""Meeting workflow: planned → held (minutes, attendance, decisions) → reviewed by the level above."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anding import audit
from anding.attachments import delete_attachment, store_attachment
from anding.concurrency import claim_version

from ..choices import MEETING_KINDS_BY_ORG, MeetingKind, MeetingStatus, OrgKind
from ..models import (
    AgendaItem,
    Meeting,
    MeetingAttachment,
    MeetingAttendance,
    Organization,
    PartyGroup,
    PartyMember,
    Position,
    Task,
)
from ..permissions import can_record_meeting, can_review_meeting
from ..selectors.meetings import meeting_people
from ..tree import is_within, subtree_q
from .common import require, require_state

__all__ = [
    "AgendaLine",
    "AttendanceLine",
    "can_record_meeting",
    "can_review_meeting",
    "general_branch_of",
    "meeting_attach",
    "meeting_detach",
    "meeting_plan",
    "meeting_record",
    "meeting_review",
    "meeting_set_agenda",
]


@dataclass
class AttendanceLine:
    member: PartyMember | None = None
    user: object = None
    present: bool = True
    absence_reason: str = ""


@dataclass
class AgendaLine:
    title: str
    task: Task | None = None
    village: Organization | None = None
    outcome: str = ""


def general_branch_of(node: Organization) -> Organization | None:
    """The general branch a node belongs to now (itself for a general branch)."""
    if node.kind == OrgKind.GENERAL:
        return node
    parent = node.parent
    if parent is not None and parent.kind == OrgKind.GENERAL:
        return parent
    return None


def meeting_plan(
    *,
    actor,
    organization: Organization,
    kind: str,
    title: str,
    planned_for: datetime.date,
    topics: str = "",
    party_group: PartyGroup | None = None,
) -> Meeting:
    """Put a meeting on an organization's calendar (a 党小组会 names the party group that meets)."""
    require(can_record_meeting(actor, organization))
    if kind not in MEETING_KINDS_BY_ORG.get(organization.kind, []):
        raise ValidationError(
            {
                "kind": _("A %(org_kind)s does not hold a %(kind)s.")
                % {"org_kind": organization.get_kind_display(), "kind": MeetingKind(kind).label}
            }
        )
    if party_group is not None and kind != MeetingKind.PARTY_GROUP:
        party_group = None  # only a party group meeting belongs to a group
    if party_group is None and kind == MeetingKind.PARTY_GROUP:
        raise ValidationError(
            {"party_group": _("Choose the party group that meets: its members are the attendance list.")}
        )
    if party_group is not None and party_group.village_id != organization.pk:
        raise ValidationError(
            {
                "party_group": _("%(group)s is not a party group of %(org)s.")
                % {"group": party_group.name, "org": organization.name}
            }
        )
    meeting = Meeting(
        organization=organization,
        general_branch=general_branch_of(organization),
        kind=kind,
        party_group=party_group,
        title=(title or "").strip(),
        planned_for=planned_for,
        topics=topics,
        created_by=actor,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.stamp(actor)
        meeting.save()
        audit.record("meeting_plan", actor=actor, obj=meeting)
    return meeting


def _attendance_errors(meeting: Meeting, lines: list[AttendanceLine]) -> list[str]:
    errors = []
    org = meeting.organization
    seen = set()
    member_ids = [line.member.pk for line in lines if line.member is not None]
    user_ids = [line.user.pk for line in lines if line.user is not None]
    if member_ids:
        # The same list the record page shows (selectors.meeting_people): the committee for a 支委会, the group for
        # a 党小组会, every current member otherwise, and whoever is already on the stored record.
        listed = meeting_people(meeting)
        valid = {p["member"].pk for p in listed if p["member"] is not None}
        for line in lines:
            if line.member is None or line.member.pk in valid:
                continue
            if listed.basis == "committee":
                message = _("%(name)s has no seat on the branch committee of %(org)s.")
            elif listed.basis == "group":
                message = _("%(name)s is not in the party group of this meeting.")
            else:
                message = _("%(name)s is not a member of %(org)s.")
            errors.append(message % {"name": line.member.name, "org": org.name})
    if user_ids:
        valid = set(
            Position.objects.active(meeting.held_on or meeting.planned_for)
            .filter(subtree_q(org, "organization"), user_id__in=user_ids)
            .values_list("user_id", flat=True)
        )
        for line in lines:
            if line.user is not None and line.user.pk not in valid:
                errors.append(_("%(name)s holds no position in %(org)s.") % {"name": line.user, "org": org.name})
    for line in lines:
        key = ("m", line.member.pk) if line.member is not None else ("u", line.user.pk)
        if key in seen:
            errors.append(_("%(name)s is listed twice.") % {"name": line.member or line.user})
        seen.add(key)
        if not line.present and not (line.absence_reason or "").strip():
            errors.append(_("Give the reason why %(name)s was absent.") % {"name": line.member or line.user})
    return errors


@audit.refusable("meeting_record", obj="meeting")
def meeting_record(
    *,
    actor,
    meeting: Meeting,
    version: int | None,
    held_on: datetime.date,
    attendance: list[AttendanceLine],
    **fields,
) -> Meeting:
    """Record that a meeting was held: date, place, chair, recorder, topics, minutes, decisions and attendance.

    A held meeting may be corrected until it is reviewed.
    """
    require(can_record_meeting(actor, meeting.organization))
    require_state(meeting, [MeetingStatus.PLANNED, MeetingStatus.HELD])
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Give the date the meeting was held.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("A meeting cannot be recorded as held on a date in the future.")
    allowed = {"place", "host", "recorder", "observers", "topics", "minutes", "decisions", "title"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"unexpected field {name}")
        setattr(meeting, name, value)
    meeting.held_on = held_on
    attendance_errors = _attendance_errors(meeting, attendance) if held_on else []
    if attendance_errors:
        errors["attendance"] = attendance_errors
    if errors:
        raise ValidationError(errors)
    meeting.status = MeetingStatus.HELD
    meeting.full_clean()
    with transaction.atomic():
        claim_version(meeting, version)
        meeting.stamp(actor)
        meeting.save()
        meeting.attendance.all().delete()
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(
                meeting=meeting,
                member=line.member,
                user=line.user,
                present=line.present,
                absence_reason="" if line.present else line.absence_reason.strip(),
            )
            for line in attendance
        )
        audit.record(
            "meeting_record",
            actor=actor,
            obj=meeting,
            detail={"held_on": held_on.isoformat(), "present": sum(1 for a in attendance if a.present)},
        )
    return meeting


@audit.refusable("meeting_review", obj="meeting")
def meeting_review(*, actor, meeting: Meeting, comment: str) -> Meeting:
    """The level above reviews a held meeting, with a comment."""
    require_state(meeting, [MeetingStatus.HELD])
    require(can_review_meeting(actor, meeting))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"review_comment": _("Write a review comment.")})
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require_state(locked, [MeetingStatus.HELD])
        meeting.status = MeetingStatus.REVIEWED
        meeting.review_comment = comment
        meeting.reviewed_by = actor
        meeting.reviewed_at = timezone.now()
        claim_version(meeting, locked.version)
        meeting.stamp(actor)
        meeting.save()
        audit.record("meeting_review", actor=actor, obj=meeting)
    return meeting


@audit.refusable("meeting_set_agenda", obj="meeting")
def meeting_set_agenda(*, actor, meeting: Meeting, items: list[AgendaLine]) -> Meeting:
    """Set the agenda of a general branch's monthly work meeting (tasks and village matters of that branch)."""
    require(can_record_meeting(actor, meeting.organization))
    require_state(meeting, [MeetingStatus.PLANNED, MeetingStatus.HELD])
    if meeting.kind != MeetingKind.WORK_MEETING:
        raise ValidationError(_("Only a monthly work meeting has agenda items."))
    org = meeting.organization
    errors = []
    for item in items:
        if not (item.title or "").strip():
            errors.append(_("Every agenda item needs a title."))
        if item.village is not None and not is_within(item.village, org, strict=True):
            errors.append(_("%(village)s is not a village of %(org)s.") % {"village": item.village, "org": org})
        if item.task is not None:
            assigned = item.task.assignments.filter(subtree_q(org, "assignee")).exists()
            if not assigned and item.task.issued_by_id != org.pk:
                errors.append(_("The task “%(task)s” is not assigned to %(org)s.") % {"task": item.task, "org": org})
    if errors:
        raise ValidationError({"agenda": errors})
    with transaction.atomic():
        meeting.agenda.all().delete()
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                order=n,
                title=item.title.strip(),
                task=item.task,
                village=item.village,
                outcome=item.outcome,
            )
            for n, item in enumerate(items, start=1)
        )
        audit.record("meeting_agenda", actor=actor, obj=meeting, detail={"items": len(items)})
    return meeting


def meeting_attach(*, actor, meeting: Meeting, upload) -> MeetingAttachment:
    """Attach a file (signed minutes, sign-in sheet, photos) to a meeting not yet reviewed."""
    require(can_record_meeting(actor, meeting.organization))
    require_state(meeting, [MeetingStatus.PLANNED, MeetingStatus.HELD])
    with transaction.atomic():
        attachment = store_attachment(MeetingAttachment, upload, actor, meeting=meeting)
        audit.record("meeting_attach", actor=actor, obj=meeting, detail={"file": attachment.original_name})
    return attachment


def meeting_detach(*, actor, attachment: MeetingAttachment) -> None:
    """Remove a file attached by mistake, while the meeting is not yet reviewed."""
    meeting = attachment.meeting
    require(can_record_meeting(actor, meeting.organization))
    require_state(meeting, [MeetingStatus.PLANNED, MeetingStatus.HELD])
    with transaction.atomic():
        audit.record("meeting_detach", actor=actor, obj=meeting, detail={"file": attachment.original_name})
        delete_attachment(attachment)
