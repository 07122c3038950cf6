"""干部考核评议: draft (scores and tallies entered) → scored → final (the secretary fixes the grade and gives the
feedback) → closed once the rectification items are done; finalized with no item, the case closes at once. The
secretary may return a scored case to the draft with the reason.

The sub-records have their own actions: `evaluation_score` (scores, tallies and the scheme, while a draft),
`rectification_add`, `rectification_done` (the last item done closes the case) and `rectification_remove`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding import audit
from anding.concurrency import claim_version

from ...models import CadreEvaluation, EvaluationScheme, RectificationItem
from ...permissions import has_role_over
from ...roles import POWER_DECIDE_ROLES, POWER_ROLES
from ..common import require, require_state
from .base import Transition, Workflow, case_transition, register_workflow

__all__ = [
    "evaluation_score",
    "rectification_add",
    "rectification_done",
    "rectification_remove",
]

S = CadreEvaluation.Status
ITEMS_EDITABLE = (S.DRAFT, S.SCORED, S.FINAL)


def _scored(case):
    if case.total is None:
        raise ValidationError(_("Enter the five scores and the democratic vote's tallies first."), code="incomplete")


def _with_items(case):
    if not case.items.exists():
        raise ValidationError(
            _("There is no rectification item: use “Finalize and close”, or add the items first."), code="no_items"
        )


def _without_items(case):
    if case.items.exists():
        raise ValidationError(_("The case has rectification items: finalize it and follow them up."), code="items")


def _all_done(case):
    if case.items.filter(done_on__isnull=True).exists():
        raise ValidationError(_("Some rectification items are not done yet."), code="items_open")


register_workflow(
    Workflow(
        model=CadreEvaluation,
        initial=S.DRAFT,
        editable=(S.DRAFT,),
        main_path=(S.DRAFT, S.SCORED, S.FINAL, S.CLOSED),
        transitions=[
            Transition("score", gettext_lazy("Submit the scores"), (S.DRAFT,), S.SCORED, POWER_ROLES, check=_scored),
            Transition(
                "finalize",
                gettext_lazy("Finalize, rectification to follow"),
                (S.SCORED,),
                S.FINAL,
                POWER_DECIDE_ROLES,
                comment="required",
                stores="feedback",
                check=_with_items,
                style="success",
            ),
            Transition(
                "finalize_close",
                gettext_lazy("Finalize and close"),
                (S.SCORED,),
                S.CLOSED,
                POWER_DECIDE_ROLES,
                comment="required",
                stores="feedback",
                check=_without_items,
                closes=True,
                style="success",
            ),
            Transition(
                "return",
                gettext_lazy("Return to the draft"),
                (S.SCORED,),
                S.DRAFT,
                POWER_DECIDE_ROLES,
                comment="required",
                style="danger",
            ),
            Transition(
                "close",
                gettext_lazy("Close: rectification done"),
                (S.FINAL,),
                S.CLOSED,
                POWER_ROLES,
                comment="optional",
                check=_all_done,
                closes=True,
                style="success",
            ),
        ],
    )
)

SCORE_FIELDS = [f"score_{code}" for code in ("de", "neng", "qin", "ji", "lian")]
VOTE_FIELDS = [f"votes_{g}" for g in ("excellent", "competent", "basic", "incompetent")]


@audit.refusable("evaluation_score", obj="case")
def evaluation_score(
    *, actor, case: CadreEvaluation, scheme: EvaluationScheme, version: int | None = None, **values
) -> CadreEvaluation:
    """Enter the scores and the vote tallies of a draft, scored with `scheme`: its numbers are copied onto the case
    (a later edit of the scheme leaves this case as it is), and the total and grade computed by `evaluate`."""
    require(has_role_over(actor, case.village, POWER_ROLES))
    require_state(case, (S.DRAFT,))
    unknown = set(values) - {*SCORE_FIELDS, *VOTE_FIELDS}
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if scheme is None:
        raise ValidationError({"scheme": _("Choose the scheme to score with.")})
    for name, value in values.items():
        if value is not None and not 0 <= value <= (100 if name.startswith("score_") else 100000):
            message = (
                _("A score is between 0 and 100.")
                if name.startswith("score_")
                else _("A number of votes is between 0 and 100,000.")
            )
            raise ValidationError({name: message})
        setattr(case, name, value if value is not None or name.startswith("score_") else 0)
    case.scheme = scheme
    for name in CadreEvaluation.weighting_fields():
        setattr(case, name, getattr(scheme, name))
    _compute(case)
    case.full_clean()
    with transaction.atomic():
        claim_version(case, version)
        case.stamp(actor)
        case.save()
        audit.record(
            f"{case.power}_score",
            actor=actor,
            obj=case,
            detail={"scheme": scheme.pk, "total": str(case.total) if case.total is not None else None},
        )
    return case


def _compute(case: CadreEvaluation) -> None:
    result = case.result()
    case.dimension_score, case.vote_score = result.dimension_score, result.vote_score
    case.total, case.grade = result.total, result.grade


def _item_text(text: str, deadline) -> str:
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Say what is to be put right.")
    elif len(text) > 200:
        errors["text"] = _("At most 200 characters.")
    if deadline is None:
        errors["deadline"] = _("Give the deadline.")
    if errors:
        raise ValidationError(errors)
    return text


@audit.refusable("rectification_add", obj="case")
def rectification_add(*, actor, case: CadreEvaluation, text: str, deadline: datetime.date) -> RectificationItem:
    """Add an item to the rectification list of an open evaluation."""
    require(has_role_over(actor, case.village, POWER_ROLES))
    require_state(case, ITEMS_EDITABLE)
    text = _item_text(text, deadline)
    if deadline < case.opened_on:
        raise ValidationError({"deadline": _("The deadline cannot be before the case was opened.")})
    with transaction.atomic():
        item = RectificationItem.objects.create(evaluation=case, village=case.village, text=text, deadline=deadline)
        audit.record(f"{case.power}_item_add", actor=actor, obj=case, detail={"item": item.pk, "text": text[:100]})
    return item


@audit.refusable("rectification_done", obj="item")
def rectification_done(*, actor, item: RectificationItem, done_on: datetime.date, note: str = "") -> RectificationItem:
    """Record an item of a final evaluation done; when it is the last one, the case closes."""
    case = item.evaluation
    require(has_role_over(actor, case.village, POWER_ROLES))
    require_state(case, (S.FINAL,))
    note = (note or "").strip()
    if item.done_on is not None:
        raise ValidationError({"item": _("This item is already done.")})
    if done_on is None:
        raise ValidationError({"done_on": _("Give the date it was done.")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date it was done cannot be in the future.")})
    if done_on < case.opened_on:
        raise ValidationError({"done_on": _("The date it was done cannot be before the case was opened.")})
    if len(note) > 200:
        raise ValidationError({"note": _("At most 200 characters.")})
    with transaction.atomic():
        item.done_on, item.note = done_on, note
        item.save(update_fields=["done_on", "note"])
        audit.record(f"{case.power}_item_done", actor=actor, obj=case, detail={"item": item.pk})
        if not case.items.filter(done_on__isnull=True).exists():
            case_transition(actor=actor, case=case, name="close", comment=_("Every rectification item is done."))
    return item


@audit.refusable("rectification_remove", obj="item")
def rectification_remove(*, actor, item: RectificationItem) -> None:
    """Remove an item entered by mistake, before the evaluation is final."""
    case = item.evaluation
    require(has_role_over(actor, case.village, POWER_ROLES))
    require_state(case, (S.DRAFT, S.SCORED))
    with transaction.atomic():
        audit.record(
            f"{case.power}_item_remove", actor=actor, obj=case, detail={"item": item.pk, "text": item.text[:100]}
        )
        item.delete()
