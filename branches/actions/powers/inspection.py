"""村务监督检查: draft → findings issued (the village sees the case) → rectifying (the village reports on each item)
→ closed once the general branch has verified every item; an inspection that found nothing to rectify is closed
directly. The case's deadline (`due_on`) is the earliest deadline of the items not done yet, kept by the actions
on the items."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding import audit, history

from ...models import AffairsInspection, InspectionItem
from ...permissions import has_role_over
from ...roles import POWER_DECIDE_ROLES, POWER_ROLES, VILLAGE_ROLES
from ..common import require, require_state
from .base import Transition, Workflow, case_transition, register_workflow

__all__ = ["inspection_add_item", "inspection_report_item", "inspection_verify_item"]

S = AffairsInspection.Status


def _has_findings(case):
    if not case.findings.strip():
        raise ValidationError(_("Write the findings before issuing them."))


def _has_items(case):
    if not case.items.exists():
        raise ValidationError(_("List the rectification items first."))


def _all_verified(case):
    left = case.items.filter(verified_on__isnull=True).count()
    if left:
        raise ValidationError(
            _("Every rectification item must be verified before the inspection is closed (%(n)d not yet).")
            % {"n": left}
        )


def _no_items(case):
    if case.items.exists():
        raise ValidationError(_("This inspection has rectification items: close it once they are all verified."))


def _sync_due(case) -> None:
    """The case's deadline: the earliest deadline of the items the village has not done yet."""
    due = case.items.filter(done_on__isnull=True).aggregate(d=Min("deadline"))["d"]
    if due != case.due_on:
        case.due_on = due
        type(case).objects.filter(pk=case.pk).update(due_on=due)
        history.record_change(case)  # the bulk update bypasses save()


@audit.refusable("inspection_add_item", obj="case")
def inspection_add_item(*, actor, case: AffairsInspection, what: str, deadline) -> InspectionItem:
    """Add a rectification item to an open inspection (the general branch's officers)."""
    require(has_role_over(actor, case.village, POWER_ROLES))
    require_state(case, (S.DRAFT, S.ISSUED, S.RECTIFYING))
    item = InspectionItem(inspection=case, what=(what or "").strip(), deadline=deadline)
    item.full_clean(exclude=["inspection"])
    if deadline < case.inspected_on:
        raise ValidationError(
            {"deadline": _("The deadline cannot come before the inspection (%(date)s).") % {"date": case.inspected_on}}
        )
    with transaction.atomic():
        item.save()
        _sync_due(case)
        audit.record(f"{case.power}_add_item", actor=actor, obj=case, detail={"item": item.pk, "what": item.what[:100]})
    return item


@audit.refusable("inspection_report_item", obj="item")
def inspection_report_item(*, actor, item: InspectionItem, follow_up: str, done_on=None) -> InspectionItem:
    """The village says what it did about an item (and when it was done). The first report starts the
    rectification."""
    case = item.inspection
    require(has_role_over(actor, case.village, VILLAGE_ROLES))
    require_state(case, (S.ISSUED, S.RECTIFYING))
    if item.is_verified:
        raise ValidationError(_("This item has been verified already."), code="state")
    follow_up = (follow_up or "").strip()
    errors = {}
    if not follow_up:
        errors["follow_up"] = _("Say what the village did.")
    if done_on is not None and done_on > timezone.localdate():
        errors["done_on"] = _("The date cannot be in the future.")
    elif done_on is not None and done_on < case.inspected_on:
        errors["done_on"] = _("The item cannot be done before the inspection (%(date)s).") % {"date": case.inspected_on}
    if errors:
        raise ValidationError(errors)
    item.follow_up, item.done_on = follow_up, done_on
    item.full_clean(exclude=["inspection"])
    with transaction.atomic():
        if case.status == S.ISSUED:
            case_transition(actor=actor, case=case, name="rectify")
        item.save(update_fields=["follow_up", "done_on"])
        _sync_due(case)
        audit.record(
            f"{case.power}_report_item",
            actor=actor,
            obj=case,
            detail={"item": item.pk, "done_on": done_on.isoformat() if done_on else None},
        )
    return item


@audit.refusable("inspection_verify_item", obj="item")
def inspection_verify_item(*, actor, item: InspectionItem) -> InspectionItem:
    """The general branch verifies an item the village reported done."""
    case = item.inspection
    require(has_role_over(actor, case.village, POWER_ROLES))
    require_state(case, (S.RECTIFYING,))
    if item.is_verified:
        raise ValidationError(_("This item has been verified already."), code="state")
    if item.done_on is None:
        raise ValidationError(_("The village has not reported this item done yet."))
    with transaction.atomic():
        item.verified_on, item.verified_by = timezone.localdate(), actor
        item.save(update_fields=["verified_on", "verified_by"])
        audit.record(f"{case.power}_verify_item", actor=actor, obj=case, detail={"item": item.pk})
    return item


register_workflow(
    Workflow(
        model=AffairsInspection,
        initial=S.DRAFT,
        editable=(S.DRAFT, S.ISSUED),
        main_path=(S.DRAFT, S.ISSUED, S.RECTIFYING, S.CLOSED),
        transitions=[
            Transition(
                "issue", gettext_lazy("Issue the findings"), (S.DRAFT,), S.ISSUED, POWER_ROLES, check=_has_findings
            ),
            Transition(
                "rectify",
                gettext_lazy("Begin the rectification"),
                (S.ISSUED,),
                S.RECTIFYING,
                VILLAGE_ROLES,
                comment="optional",
                check=_has_items,
            ),
            Transition(
                "progress",
                gettext_lazy("Report on the rectification"),
                (S.RECTIFYING,),
                S.RECTIFYING,
                VILLAGE_ROLES,
                comment="required",
                style="outline-primary",
            ),
            Transition(
                "close",
                gettext_lazy("Close: every item verified"),
                (S.RECTIFYING,),
                S.CLOSED,
                POWER_DECIDE_ROLES,
                comment="optional",
                check=_all_verified,
                closes=True,
                style="success",
            ),
            Transition(
                "close_clean",
                gettext_lazy("Close: nothing to rectify"),
                (S.DRAFT, S.ISSUED),
                S.CLOSED,
                POWER_DECIDE_ROLES,
                comment="optional",
                check=_no_items,
                closes=True,
                style="outline-success",
                todo=False,
            ),
        ],
    )
)
