"""紧急情况处置: reported → responding (the first report filed) → final report filed → closed by the general branch's
secretary; an emergency reported in error is withdrawn with the reason. The village secretary and the general
branch's officers open the case, file its reports and log its actions (the village acts first, then reports).

Filing a report is this module's action (`emergency_report_add`): the first report takes the case to "responding",
the final one to "final report filed", through the workflow's steps, which check that the report exists (so the
steps cannot be taken on their own).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding import audit
from anding.concurrency import claim_version

from ...models import EmergencyAction, EmergencyIncident, EmergencyReport
from ...models.powers.emergency import first_report_deadline, next_report_deadline, not_in_future
from ...permissions import has_role_over
from ...roles import POWER_DECIDE_ROLES, POWER_ROLES, VILLAGE_ROLES
from ..common import require, require_state
from .base import Transition, Workflow, case_transition, register_workflow

__all__ = ["REPORT_ROLES", "can_log_action", "emergency_action_add", "emergency_report_add", "report_kinds_for"]

S = EmergencyIncident.Status
R = EmergencyReport.Kind
# Who opens an emergency, files its reports and logs its actions: the village secretary and the general branch.
REPORT_ROLES = POWER_ROLES | VILLAGE_ROLES
# The reports each state takes.
REPORT_STATES = {R.FIRST: (S.REPORTED,), R.FOLLOW_UP: (S.RESPONDING,), R.FINAL: (S.RESPONDING,)}
ACTION_STATES = (S.REPORTED, S.RESPONDING, S.FINAL)


def _needs(kind, message):
    def check(case):
        if not case.reports.filter(kind=kind).exists():
            raise ValidationError(str(message))

    return check


NEEDS_FIRST = _needs(R.FIRST, gettext_lazy("File the first report: the step follows from it."))
NEEDS_FINAL = _needs(R.FINAL, gettext_lazy("The final report is not filed yet."))

WORKFLOW = register_workflow(
    Workflow(
        model=EmergencyIncident,
        initial=S.REPORTED,
        editable=(S.REPORTED, S.RESPONDING),
        open_roles=REPORT_ROLES,
        edit_roles=REPORT_ROLES,
        main_path=(S.REPORTED, S.RESPONDING, S.FINAL, S.CLOSED),
        transitions=[
            Transition(
                "withdraw",
                gettext_lazy("Withdraw: reported in error"),
                (S.REPORTED, S.RESPONDING),
                S.WITHDRAWN,
                POWER_DECIDE_ROLES,
                comment="required",
                closes=True,
                style="outline-secondary",
                todo=False,
            ),
            # Taken by filing the report (emergency_report_add), not on their own.
            Transition(
                "first_report",
                gettext_lazy("First report filed"),
                (S.REPORTED,),
                S.RESPONDING,
                REPORT_ROLES,
                check=NEEDS_FIRST,
            ),
            Transition(
                "final_report",
                gettext_lazy("Final report filed"),
                (S.RESPONDING,),
                S.FINAL,
                REPORT_ROLES,
                check=NEEDS_FINAL,
            ),
            Transition(
                "close",
                gettext_lazy("Close the case"),
                (S.FINAL,),
                S.CLOSED,
                POWER_DECIDE_ROLES,
                comment="optional",
                check=NEEDS_FINAL,
                closes=True,
                style="success",
            ),
        ],
    )
)
REPORT_STEPS = {R.FIRST: "first_report", R.FINAL: "final_report"}


def report_kinds_for(user, incident: EmergencyIncident) -> list[str]:
    """The reports `user` may file on `incident` now (no query)."""
    if not has_role_over(user, incident.village, REPORT_ROLES):
        return []
    return [kind for kind, states in REPORT_STATES.items() if incident.status in states]


def can_log_action(user, incident: EmergencyIncident) -> bool:
    return incident.status in ACTION_STATES and has_role_over(user, incident.village, REPORT_ROLES)


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


@audit.refusable("emergency_report_add", obj="incident")
def emergency_report_add(
    *,
    actor,
    incident: EmergencyIncident,
    kind: str,
    reported_at,
    content: str,
    reporter: str,
    recipient: str,
    version: int | None = None,
) -> EmergencyReport:
    """File a report of the timeline: the first one while the emergency is reported, follow-ups and the final one
    while responding. Its deadline: EMERGENCY_FIRST_REPORT_MINUTES after the emergency was known for the first,
    EMERGENCY_FOLLOW_UP_HOURS after the last report for the others; a later report is recorded, marked late."""
    require(has_role_over(actor, incident.village, REPORT_ROLES))
    if kind not in REPORT_STATES:
        raise ValidationError({"kind": _("Choose the kind of report.")})
    require_state(incident, REPORT_STATES[kind])
    last = incident.reports.order_by("-reported_at", "-id").first()
    errors = {}
    not_in_future(reported_at, "reported_at", errors)
    if "reported_at" not in errors and reported_at is not None:
        if reported_at < incident.known_at:
            errors["reported_at"] = _("A report cannot come before the emergency was known (%(at)s).") % {
                "at": _when(incident.known_at)
            }
        elif last is not None and reported_at < last.reported_at:
            errors["reported_at"] = _("A report cannot come before the last one (%(at)s).") % {
                "at": _when(last.reported_at)
            }
    report = EmergencyReport(
        incident=incident,
        kind=kind,
        reported_at=reported_at,
        content=(content or "").strip(),
        reporter=(reporter or "").strip(),
        recipient=(recipient or "").strip(),
    )
    try:
        report.full_clean(exclude=["incident", *errors])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    report.due_at = first_report_deadline(incident.known_at) if last is None else next_report_deadline(last.reported_at)
    report.late = reported_at > report.due_at
    if kind == R.FOLLOW_UP:
        report.number = incident.reports.filter(kind=R.FOLLOW_UP).count() + 1
    with transaction.atomic():
        claim_version(incident, version)
        report.stamp(actor)
        report.save()
        incident.set_next_report_due(None if kind == R.FINAL else next_report_deadline(reported_at))
        audit.record(
            f"{incident.power}_report",
            actor=actor,
            obj=incident,
            detail={"report": kind, "number": report.number, "late": report.late},
        )
        if kind in REPORT_STEPS:
            case_transition(actor=actor, case=incident, name=REPORT_STEPS[kind])
        else:
            incident.stamp(actor)
            incident.save()
    return report


@audit.refusable("emergency_action_add", obj="incident")
def emergency_action_add(*, actor, incident: EmergencyIncident, at, action: str, taken_by: str) -> EmergencyAction:
    """Log an action taken (when, what, by whom) while the emergency is open."""
    require(has_role_over(actor, incident.village, REPORT_ROLES))
    require_state(incident, ACTION_STATES)
    errors = {}
    not_in_future(at, "at", errors)
    if "at" not in errors and at is not None and at < incident.occurred_at:
        errors["at"] = _("An action cannot come before the emergency happened (%(at)s).") % {
            "at": _when(incident.occurred_at)
        }
    entry = EmergencyAction(incident=incident, at=at, action=(action or "").strip(), taken_by=(taken_by or "").strip())
    try:
        entry.full_clean(exclude=["incident", *errors])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry.stamp(actor)
        entry.save()
        audit.record(f"{incident.power}_action", actor=actor, obj=incident, detail={"action": entry.action[:200]})
    return entry
