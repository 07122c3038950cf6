"""Monthly report workflow: draft → submitted → (returned → submitted)* → approved.

For a village with a liaison deputy, the deputy reviews first (passes it on as "checked", or returns it), then
the general-branch secretary approves or returns it. Without a liaison deputy the secretary reviews directly.
Figures are computed from the records already kept and frozen at each submission.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anding import audit, registry
from anding.concurrency import claim_version

from ..choices import MeetingStatus, ReportStatus, Role
from ..models import (
    Meeting,
    MeetingAttendance,
    MonthlyReport,
    Organization,
    PartyMember,
    ReportTransition,
    submission_opens,
)
from ..months import month_range
from ..permissions import can_review_report, can_write_report, has_role_over, liaison_deputy_ids
from ..selectors.powers import power_case_counts
from .common import require, require_state
from .meetings import general_branch_of

__all__ = [
    "can_review_report",
    "can_write_report",
    "liaison_deputy_ids",
    "report_approve",
    "report_check",
    "report_figures",
    "report_return",
    "report_save",
    "report_start",
    "report_submit",
]


def report_figures(village: Organization, month: datetime.date) -> dict:
    """The figures of a village's month, from the records already kept: nothing is typed twice."""
    first, last = month_range(month)
    held = Meeting.objects.filter(
        organization=village, status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED], held_on__range=(first, last)
    )
    meetings = dict(held.values_list("kind").annotate(n=Count("id")).order_by())
    attendance = MeetingAttendance.objects.filter(meeting__in=held).aggregate(
        total=Count("id"), present=Count("id", filter=Q(present=True))
    )
    members = dict(PartyMember.objects.filter(branch=village).values_list("status").annotate(n=Count("id")).order_by())
    figures = {
        "meetings": meetings,
        "attendance": {"present": attendance["present"], "total": attendance["total"]},
        "members": members,
        "powers": power_case_counts(village, first, last),
    }
    # Later apps (recruitment, visits, service records) lend their figures through the registry.
    for provider in registry.providers("report_figures"):
        figures.update(provider(village, first, last))
    return figures


def _transition(report: MonthlyReport, actor, to_status: str, comment: str = "") -> None:
    ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=to_status, actor=actor, comment=comment
    )
    audit.record(
        f"report_{to_status}",
        actor=actor,
        obj=report,
        detail={"from": report.status, "to": to_status, **({"comment": comment} if comment else {})},
    )
    report.status = to_status


@audit.refusable("report_start", obj="village")
def report_start(*, actor, village: Organization, month: datetime.date) -> MonthlyReport:
    """The village's report for a month: the existing one, or a new draft. Idempotent under concurrency.
    `just_created` on the answer tells which."""
    require(can_write_report(actor, village))
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("A report cannot be written for a month that has not begun.")})
    existing = MonthlyReport.objects.filter(village=village, month=month).first()
    if existing:
        existing.just_created = False
        return existing
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                village=village,
                general_branch=general_branch_of(village),
                month=month,
                created_by=actor,
                updated_by=actor,
            )
            audit.record("report_start", actor=actor, obj=report)
        report.just_created = True
    except IntegrityError:
        report = MonthlyReport.objects.get(village=village, month=month)
        report.just_created = False  # a concurrent request created it
    return report


@audit.refusable("report_save", obj="report")
def report_save(
    *, actor, report: MonthlyReport, version: int | None, narrative: str, problems: str, requests: str
) -> MonthlyReport:
    """Save the secretary's text as a draft (no completeness check)."""
    require(can_write_report(actor, report.village))
    require_state(report, [ReportStatus.DRAFT, ReportStatus.RETURNED], _("A submitted report cannot be changed."))
    report.narrative, report.problems, report.requests = narrative, problems, requests
    report.full_clean()
    with transaction.atomic():
        claim_version(report, version)
        report.stamp(actor)
        report.save()
        audit.record("report_save", actor=actor, obj=report)
    return report


@audit.refusable("report_submit", obj="report")
def report_submit(*, actor, report: MonthlyReport, version: int | None = None) -> MonthlyReport:
    """Submit (or resubmit) the report, freezing its figures. Submitting a submitted report changes nothing."""
    require(can_write_report(actor, report.village))
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == ReportStatus.SUBMITTED:
            return locked  # a double click: the first request did the work
        require_state(locked, [ReportStatus.DRAFT, ReportStatus.RETURNED])
        opens = submission_opens(locked.month)
        if timezone.localdate() < opens:
            raise ValidationError(
                _(
                    "The report of %(month)s can be submitted from %(date)s, when the month is over, so that its "
                    "figures are complete. Save it as a draft until then."
                )
                % {"month": date_format(locked.month, "YEAR_MONTH_FORMAT"), "date": date_format(opens)},
                code="too_early",
            )
        if not locked.narrative.strip():
            raise ValidationError({"narrative": _("Describe the work done this month before submitting.")})
        claim_version(locked, version if version is not None else locked.version)
        now = timezone.now()
        locked.figures = report_figures(locked.village, locked.month)
        locked.first_submitted_at = locked.first_submitted_at or now
        locked.submitted_at = now
        locked.submitted_by = actor
        _transition(locked, actor, ReportStatus.SUBMITTED)
        locked.stamp(actor)
        locked.save()
    return locked


def _review(report: MonthlyReport, actor, to_status: str, comment: str) -> MonthlyReport:
    with transaction.atomic():
        locked = MonthlyReport.objects.select_for_update().select_related("village").get(pk=report.pk)
        if locked.status == to_status:
            # A repeated click of the person who just did it changes nothing; anyone else is refused as before.
            last = locked.transitions.order_by("-at", "-id").first()
            require(last is not None and last.actor_id == actor.pk)
            return locked
        require_state(locked, [ReportStatus.SUBMITTED, ReportStatus.CHECKED])
        deputies = liaison_deputy_ids(locked.village)
        require(can_review_report(actor, locked, deputies))
        if to_status == ReportStatus.CHECKED:
            require(actor.pk in deputies)  # only a liaison deputy passes the first review
        claim_version(locked, locked.version)
        if to_status == ReportStatus.CHECKED:
            locked.checked_by = actor
        elif to_status == ReportStatus.APPROVED:
            locked.approved_by = actor
            locked.approved_at = timezone.now()
        _transition(locked, actor, to_status, comment)
        locked.stamp(actor)
        locked.save()
    return locked


@audit.refusable("report_check", obj="report")
def report_check(*, actor, report: MonthlyReport, comment: str = "") -> MonthlyReport:
    """The liaison deputy's first review passes the report on to the secretary."""
    return _review(report, actor, ReportStatus.CHECKED, (comment or "").strip())


@audit.refusable("report_return", obj="report")
def report_return(*, actor, report: MonthlyReport, reason: str) -> MonthlyReport:
    """Return the report to the village with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the report.")})
    return _review(report, actor, ReportStatus.RETURNED, reason)


@audit.refusable("report_approve", obj="report")
def report_approve(*, actor, report: MonthlyReport, comment: str = "") -> MonthlyReport:
    """The general-branch secretary approves the report."""
    if not has_role_over(actor, report.village, {Role.GENERAL_SECRETARY}):
        require(False)
    return _review(report, actor, ReportStatus.APPROVED, (comment or "").strip())
