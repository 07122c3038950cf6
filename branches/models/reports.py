"""Monthly reports of village branches: figures computed from the records already kept, the secretary's narrative,
and the review by the general branch (the liaison deputy first, then the secretary)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.concurrency import VersionedModel
from anding.history import Tracked
from anding.links import record_url
from anding.models import ChangeTrackedModel
from anding.scoping import ScopedQuerySet

from ..choices import OrgKind, ReportStatus
from ..months import add_months
from .organization import Organization

__all__ = ["MonthlyReport", "ReportTransition", "report_due_date", "submission_opens"]


def report_due_date(month: datetime.date) -> datetime.date:
    """The day by which the report for `month` is due: REPORT_DUE_DAY of the next month."""
    return add_months(month, 1).replace(day=settings.REPORT_DUE_DAY)


def submission_opens(month: datetime.date) -> datetime.date:
    """The first day the report for `month` can be submitted: REPORT_SUBMIT_DAYS_BEFORE_MONTH_END days before the
    month's last day."""
    last_day = add_months(month, 1) - datetime.timedelta(days=1)
    return last_day - datetime.timedelta(days=settings.REPORT_SUBMIT_DAYS_BEFORE_MONTH_END)


class MonthlyReport(Tracked, VersionedModel, ChangeTrackedModel):
    """A village branch's report for one month."""

    village = models.ForeignKey(
        Organization,
        verbose_name=_("village branch"),
        on_delete=models.PROTECT,
        related_name="monthly_reports",
        limit_choices_to={"kind": OrgKind.VILLAGE},
    )
    general_branch = models.ForeignKey(
        Organization,
        verbose_name=_("general branch at the time"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    narrative = models.TextField(_("work done this month"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    requests = models.TextField(_("requests to the general branch"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first review by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("village", "general_branch")

    class Meta:
        ordering = ["-month", "village__tree_id", "village__lft"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        indexes = [
            models.Index(fields=["month", "status"], name="branches_report_month_status"),
            # a general branch's reports over some months (the scope's second path, bounded by the month)
            models.Index(fields=["general_branch", "month"], name="branches_report_gb_month"),
            # the list's order (month, newest first, then key): a wide scope's first page stops after 50 rows in scope
            # instead of reading whole months (docs/PERFORMANCE.md, "Scope and paging")
            models.Index(fields=["-month", "id"], name="branches_report_month_id"),
            # the same holding the scope's keys, for a wide scope's deep page, whose walk then reads no row; partial on
            # a condition always true that only that walk writes (anding.scoping `walked`, as the meetings' index)
            models.Index(
                fields=["-month", "id"],
                include=["village", "general_branch"],
                condition=Q(village__isnull=False),
                name="branches_report_month_keys",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "month"],
                name="%(app_label)s_%(class)s_one_per_village_month",
                violation_error_message=_("This village already has a report for this month."),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="%(app_label)s_%(class)s_month_first_day",
                violation_error_message=_("The month is stored as its first day."),
            ),
        ]

    def __str__(self):
        return f"{self.village} · {self.month:%Y-%m}"

    def get_absolute_url(self):
        return record_url("branches:report_detail", self.pk)

    @property
    def due_date(self) -> datetime.date:
        return report_due_date(self.month)

    @property
    def is_late(self) -> bool:
        """Submitted after the due date, or not yet submitted and past it."""
        if self.first_submitted_at:
            return timezone.localdate(self.first_submitted_at) > self.due_date
        return timezone.localdate() > self.due_date

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportTransition(models.Model):
    """One step of a report's workflow: who moved it from which status to which, when, and why."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("monthly report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=10, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = ("report__village", "report__general_branch")  # in scope with its report

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")

    def __str__(self):
        return f"{self.report}: {self.get_from_status_display()} → {self.get_to_status_display()}"

    def get_absolute_url(self):
        return self.report.get_absolute_url()
