"""重要事务初审: a village's major matter through the six steps of 四议两公开. The village secretary records each step
(`matter_record_step`: in order, dates not going back, the votes of steps 3 and 4 checked against their quorum and
majority rules); recording a step moves the case on through its workflow. Between step 2 and step 3 the general
branch reviews the matter: its deputy drafts an opinion, its secretary approves it or sends it back with the reason.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding import audit
from anding.concurrency import claim_version

from ...models import MajorMatter, MatterStep
from ...permissions import has_role_over
from ...roles import POWER_DECIDE_ROLES, POWER_ROLES, VILLAGE_ROLES
from ..common import require
from .base import Transition, Workflow, case_transition, register_workflow

__all__ = ["matter_next_step", "matter_record_step"]

S = MajorMatter.Status
N = MatterStep.Number
Body = MatterStep.Body

# The step the village records next, by the state of the case; the state each step leads to.
NEXT_STEP = {S.DRAFT: 1, S.PROPOSED: 2, S.APPROVED: 3, S.DELIBERATED: 4, S.RESOLVED: 5, S.PUBLISHED: 6}
STEP_TARGET = {1: S.PROPOSED, 2: S.REVIEWING, 3: S.DELIBERATED, 4: S.RESOLVED, 5: S.PUBLISHED, 6: S.CLOSED}
STEP_LABELS = {
    1: gettext_lazy("Record step 1: the proposal"),
    2: gettext_lazy("Record step 2: the two committees"),
    3: gettext_lazy("Record step 3: the members' vote"),
    4: gettext_lazy("Record step 4: the villagers' resolution"),
    5: gettext_lazy("Record step 5: the resolution published"),
    6: gettext_lazy("Record step 6: the results published"),
}


def matter_next_step(case: MajorMatter) -> int | None:
    """The number of the step the village records next (None while the general branch reviews, or once closed)."""
    return NEXT_STEP.get(case.status)


def _recorded(number):
    def check(case):
        if not case.steps.filter(number=number).exists():
            raise ValidationError(_("Record step %(n)d with its date on the step's own page.") % {"n": number})

    return check


def _vote_errors(step: MatterStep) -> dict:
    """The quorum and majority of a vote (domain.md section 3), as errors by field; {} when the vote stands."""
    entitled, present, yes = step.entitled, step.present, step.in_favour
    figures = {"present": present, "entitled": entitled, "for": yes}
    if step.number == N.MEMBERS:
        if present * 3 < entitled * 2:
            return {
                "present": _(
                    "The party members' meeting lacks its quorum: at least two thirds of the members entitled to "
                    "attend must be present (%(present)d of %(entitled)d)."
                )
                % figures
            }
        if yes * 2 <= entitled:
            return {
                "in_favour": _(
                    "The members' meeting did not pass the matter: more than half of the members entitled to attend "
                    "must vote for it (%(for)d of %(entitled)d)."
                )
                % figures
            }
        return {}
    if step.body == Body.VILLAGERS and present * 2 <= entitled:
        rule = _(
            "The villagers' meeting lacks its quorum: more than half of the adult villagers must be present "
            "(%(present)d of %(entitled)d)."
        )
        return {"present": rule % figures}
    if step.body == Body.HOUSEHOLDS and present * 3 < entitled * 2:
        rule = _(
            "The villagers' meeting lacks its quorum: at least two thirds of the households must be represented "
            "(%(present)d of %(entitled)d)."
        )
        return {"present": rule % figures}
    if step.body == Body.REPRESENTATIVES and present * 3 < entitled * 2:
        rule = _(
            "The villagers' representatives meeting lacks its quorum: at least two thirds of the representatives "
            "must be present (%(present)d of %(entitled)d)."
        )
        return {"present": rule % figures}
    if yes * 2 <= present:
        return {
            "in_favour": _(
                "The resolution did not pass: more than half of those present must vote for it (%(for)d of "
                "%(present)d)."
            )
            % figures
        }
    return {}


def _step_errors(case: MajorMatter, step: MatterStep) -> dict:
    """What is wrong with the step as recorded, by field."""
    errors = {}
    today = timezone.localdate()
    if step.held_on > today:
        errors["held_on"] = _("The date cannot be in the future.")
    previous = case.steps.order_by("-number").first()
    if previous is not None and step.held_on < previous.held_on:
        errors["held_on"] = _("Step %(n)d was held on %(date)s: a later step cannot be dated before it.") % {
            "n": previous.number,
            "date": previous.held_on,
        }
    if step.number == N.MEMBERS:
        approved = case.events.filter(transition="approve").order_by("-at").values_list("at", flat=True).first()
        if approved is not None and step.held_on < timezone.localdate(approved):
            errors["held_on"] = _(
                "The members' meeting comes after the general branch's preliminary review (passed on %(date)s)."
            ) % {"date": timezone.localdate(approved)}
    if step.number in MatterStep.VOTES:
        if step.number == N.VILLAGERS and not step.body:
            errors["body"] = _("Say which meeting resolved it.")
        counts = {f: getattr(step, f) for f in ("entitled", "present", "in_favour", "against", "abstained")}
        for name, value in counts.items():
            if value is None:
                errors[name] = _("Give the count.")
        if errors.keys() & counts.keys() or "body" in errors:
            return errors
        if step.entitled < 1:
            errors["entitled"] = _("At least one person is entitled to vote.")
        elif step.present > step.entitled:
            errors["present"] = _("More are present than are entitled to attend.")
        elif step.in_favour + step.against + step.abstained > step.present:
            errors["in_favour"] = _("For, against and abstained add up to more than those present.")
        else:
            errors.update(_vote_errors(step))
    elif step.number in MatterStep.PUBLICATIONS and not step.published_how.strip():
        errors["published_how"] = _("Say how it was published (the notice board, a loudspeaker, a group chat …).")
    return errors


VOTE_FIELDS = ("body", "entitled", "present", "in_favour", "against", "abstained")


@audit.refusable("matter_record_step", obj="case")
def matter_record_step(*, actor, case: MajorMatter, number, version=None, **fields) -> MatterStep:
    """Record step `number` of the matter as it was held, and move the case on. Refused (nothing saved) when the
    step is not the next one, its date goes back, or its vote lacks its quorum or majority."""
    require(has_role_over(actor, case.village, VILLAGE_ROLES))
    expected = matter_next_step(case)
    if expected is None:
        message = (
            _("The general branch's preliminary review comes before step 3.")
            if case.status in (S.REVIEWING, S.RETURNED)
            else _("This cannot be done while the record is “%(status)s”.") % {"status": case.get_status_display()}
        )
        raise ValidationError({"number": message}, code="state")
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = None
    if number != expected:
        raise ValidationError(
            {"number": _("The steps are recorded in order: the next one is step %(n)d.") % {"n": expected}},
            code="order",
        )
    if number not in MatterStep.VOTES:
        fields = {k: v for k, v in fields.items() if k not in VOTE_FIELDS}
    if number != N.VILLAGERS:
        fields.pop("body", None)
    if number not in MatterStep.PUBLICATIONS:
        fields.pop("published_how", None)
    fields["note"] = (fields.get("note") or "").strip()
    fields["published_how"] = (fields.get("published_how") or "").strip()
    step = MatterStep(matter=case, number=number, recorded_by=actor, **fields)
    if step.held_on is None:
        raise ValidationError({"held_on": _("Give the date.")})
    step.full_clean(exclude=["matter", "recorded_by"])
    errors = _step_errors(case, step)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim_version(case, version)  # first: a second submit of the same step waits here, then finds it stale
        step.save()
        audit.record(
            f"{case.power}_record_step"[:50],
            actor=actor,
            obj=case,
            detail={
                "step": number,
                "date": step.held_on.isoformat(),
                **{f: getattr(step, f) for f in VOTE_FIELDS[1:] if getattr(step, f) is not None},
            },
        )
        case_transition(actor=actor, case=case, name=f"step{number}", comment=step.note)
    return step


def _step(number, source):
    return Transition(
        f"step{number}",
        STEP_LABELS[number],
        (source,),
        STEP_TARGET[number],
        VILLAGE_ROLES,
        check=_recorded(number),
        closes=number == 6,
    )


register_workflow(
    Workflow(
        model=MajorMatter,
        initial=S.DRAFT,
        editable=(S.DRAFT, S.PROPOSED, S.RETURNED),
        open_roles=VILLAGE_ROLES | POWER_ROLES,
        edit_roles=VILLAGE_ROLES | POWER_ROLES,
        main_path=(S.DRAFT, S.PROPOSED, S.REVIEWING, S.APPROVED, S.DELIBERATED, S.RESOLVED, S.PUBLISHED, S.CLOSED),
        transitions=[
            Transition(  # first: the step a general-branch secretary can take on a new matter
                "withdraw",
                gettext_lazy("Withdraw the matter"),
                tuple(s for s in S.values if s not in (S.CLOSED, S.WITHDRAWN)),
                S.WITHDRAWN,
                VILLAGE_ROLES | POWER_DECIDE_ROLES,
                comment="required",
                closes=True,
                style="outline-danger",
                todo=False,
            ),
            _step(1, S.DRAFT),
            _step(2, S.PROPOSED),
            Transition(
                "draft_opinion",
                gettext_lazy("Draft the review opinion"),
                (S.REVIEWING,),
                S.REVIEWING,
                POWER_ROLES,
                comment="required",
                stores="review_opinion",
                style="outline-primary",
            ),
            Transition(
                "approve",
                gettext_lazy("Pass the preliminary review"),
                (S.REVIEWING,),
                S.APPROVED,
                POWER_DECIDE_ROLES,
                comment="optional",
                style="success",
            ),
            Transition(
                "send_back",
                gettext_lazy("Send back to the village"),
                (S.REVIEWING,),
                S.RETURNED,
                POWER_DECIDE_ROLES,
                comment="required",
                stores="return_reason",
                style="danger",
            ),
            Transition(
                "resubmit",
                gettext_lazy("Submit again for review"),
                (S.RETURNED,),
                S.REVIEWING,
                VILLAGE_ROLES,
                comment="required",
            ),
            _step(3, S.APPROVED),
            _step(4, S.DELIBERATED),
            _step(5, S.RESOLVED),
            _step(6, S.PUBLISHED),
        ],
    )
)
