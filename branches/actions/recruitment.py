"""Writes of the recruitment (发展党员): open a case with the application (step 1), record the next step, end a case
short of membership. Each checks the permission (the village secretary and the levels above, `CHANGE_ROLES`), the
order of the steps, the timing rules in force (a refusal names the rule), the votes' quorum and majority, and
before step 13 the general branch's approved pre-review; it saves in one transaction and writes an audit event.

The roster follows the case through its own action (`member_save`, audited): the person goes on the roster as a
probationary member when the committee above approves (step 17), joined on the day of the branch assembly's vote
(step 15: the probation counts from it); and becomes a full member with the approval of step 24, full member from
the day the year of probation ended (党龄 counts from then).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anding import audit
from anding.concurrency import claim_version

from ..choices import MemberStatus, OrgKind
from ..models import (
    Organization,
    PartyMember,
    RecruitmentCase,
    RecruitmentPreReview,
    RecruitmentRule,
    RecruitmentStep,
    Stage,
)
from ..models.recruitment import BRANCH_ASSEMBLY_VOTES, STAGE_AFTER, VOTE_STEPS, shift_date
from ..permissions import has_role_over
from ..roles import CHANGE_ROLES
from ..selectors.recruitment import step_window
from .common import require
from .organization import member_save

__all__ = [
    "can_record_recruitment",
    "check_vote",
    "recruitment_end",
    "recruitment_open",
    "recruitment_record_step",
]

PROBATION_MONTHS = 12


def can_record_recruitment(user, village: Organization) -> bool:
    """The village secretary and the levels above record; deputies and department staff only see."""
    return has_role_over(user, village, CHANGE_ROLES)


def _rules():
    return list(RecruitmentRule.objects.filter(active=True))


def _check_timing(number, done_on, birth_date, dates, rules) -> None:
    for rule, earliest, latest in step_window(number, birth_date, dates, rules).checks:
        if earliest and done_on < earliest:
            detail = _("step %(step)d can be recorded on %(date)s at the earliest") % {
                "step": number,
                "date": date_format(earliest),
            }
        elif latest and done_on > latest:
            detail = _("step %(step)d had to be recorded by %(date)s") % {"step": number, "date": date_format(latest)}
        else:
            continue
        raise ValidationError(
            {"done_on": _("This breaks the rule “%(rule)s”: %(detail)s.") % {"rule": rule.name, "detail": detail}},
            code="rule",
        )


def check_vote(number: int, expected, present, in_favour) -> None:
    """The vote of a step: counts given and consistent; more than half of those with a vote present (the quorum);
    in favour more than half of those expected (written opinions of the absent count, so in favour may exceed
    those present). The branch committee's examination (step 12) follows the same rule for its members."""
    if number not in VOTE_STEPS:
        return
    missing = {
        name: _("Give the count of this vote.")
        for name, value in (("expected", expected), ("present", present), ("in_favour", in_favour))
        if value is None
    }
    if missing:
        raise ValidationError(missing, code="vote")
    if expected < 1:
        raise ValidationError({"expected": _("At least one member has a vote.")}, code="vote")
    if present > expected:
        raise ValidationError({"present": _("More present than expected.")}, code="vote")
    if in_favour > expected:
        raise ValidationError({"in_favour": _("More in favour than expected.")}, code="vote")
    body = _("branch assembly") if number in BRANCH_ASSEMBLY_VOTES else _("branch committee")
    if present * 2 <= expected:
        raise ValidationError(
            {
                "present": _(
                    "No quorum: more than half of the %(body)s's %(expected)d members with a vote must attend "
                    "(%(present)d did)."
                )
                % {"body": body, "expected": expected, "present": present}
            },
            code="quorum",
        )
    if in_favour * 2 <= expected:
        raise ValidationError(
            {
                "in_favour": _(
                    "Not passed: more than half of the %(expected)d members expected must vote in favour "
                    "(%(in_favour)d did)."
                )
                % {"expected": expected, "in_favour": in_favour}
            },
            code="majority",
        )


def recruitment_open(
    *,
    actor,
    village: Organization,
    name: str,
    gender: str,
    birth_date: datetime.date,
    id_number: str,
    applied_on: datetime.date,
    people: str = "",
    note: str = "",
) -> RecruitmentCase:
    """Open a case with its application (step 1), checked against the rules of step 1 (the age at application)."""
    if village.kind != OrgKind.VILLAGE:
        raise ValidationError({"village": _("Choose a village branch.")})
    require(can_record_recruitment(actor, village))
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("This date is in the future.")})
    case = RecruitmentCase(
        village=village,
        name=(name or "").strip(),
        gender=gender,
        birth_date=birth_date,
        id_number=id_number,
        opened_on=applied_on,
    )
    case.sync_digest()
    case.full_clean()
    try:
        _check_timing(1, applied_on, birth_date, {}, _rules())
    except ValidationError as exc:
        raise ValidationError({"applied_on": exc.message_dict["done_on"]}) from exc
    with transaction.atomic():
        case.last_step = 1
        case.stamp(actor)
        case.save()
        step = RecruitmentStep(case=case, number=1, done_on=applied_on, people=people.strip(), note=note.strip())
        step.stamp(actor)
        step.save()
        audit.record("recruitment_open", actor=actor, obj=case, detail={"village": village.pk})
    return case


def _prereview_approved(case: RecruitmentCase) -> bool:
    return RecruitmentPreReview.objects.filter(recruitment=case, status=RecruitmentPreReview.Status.APPROVED).exists()


@audit.refusable("recruitment_record_step", obj="case")
def recruitment_record_step(
    *,
    actor,
    case: RecruitmentCase,
    number: int,
    done_on: datetime.date,
    people: str = "",
    expected: int | None = None,
    present: int | None = None,
    in_favour: int | None = None,
    note: str = "",
    version: int | None = None,
) -> RecruitmentStep:
    """Record step `number` of `case`: it must be the next one, dated on or after the step before and not in the
    future, within the timing rules; a vote needs its quorum and majority; step 13 needs the approved pre-review.
    The same step on the same date again (a double submit, a retry) changes nothing and returns the record."""
    require(can_record_recruitment(actor, case.village))
    if 0 < number <= case.last_step:
        repeated = case.steps.filter(number=number, done_on=done_on).first()
        if repeated is not None:
            return repeated  # a double submit or a retry: the step was just recorded
    if not case.is_open or case.next_step is None:
        raise ValidationError(_("This case is closed: no step can be recorded."), code="state")
    if number != case.next_step:
        raise ValidationError(
            {"number": _("The next step is “%(step)s”: steps are recorded in order.") % {"step": case.next_step_label}},
            code="order",
        )
    previous = {s.number: s.done_on for s in case.steps.all()}
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("This date is in the future.")})
    last = previous.get(number - 1)
    if last and done_on < last:
        raise ValidationError(
            {"done_on": _("This step cannot come before the step before it (%(date)s).") % {"date": date_format(last)}}
        )
    _check_timing(number, done_on, case.birth_date, previous, _rules())
    if number not in VOTE_STEPS:
        expected = present = in_favour = None
    check_vote(number, expected, present, in_favour)
    if number == 13 and not _prereview_approved(case):
        raise ValidationError(
            _("The general branch's pre-review of this candidate must be approved before step 13."),
            code="prereview",
        )
    step = RecruitmentStep(
        case=case,
        number=number,
        done_on=done_on,
        people=(people or "").strip(),
        expected=expected,
        present=present,
        in_favour=in_favour,
        note=(note or "").strip(),
    )
    step.full_clean(exclude=["case"])
    with transaction.atomic():
        claim_version(case, version)
        step.stamp(actor)
        step.save()
        case.last_step = number
        if number in STAGE_AFTER:
            case.stage = STAGE_AFTER[number]
        if number == 17:
            case.member = _roster_add(actor, case, joined_on=previous[15])
        elif number == 24:
            _roster_full(actor, case, full_on=shift_date(case.member.joined_on, months=PROBATION_MONTHS))
        if number == 25:
            case.closed_on = done_on
        case.stamp(actor)
        case.save()
        audit.record(
            "recruitment_step",
            actor=actor,
            obj=case,
            detail={"step": number, "on": done_on.isoformat(), "stage": case.stage},
        )
    return step


def _roster_add(actor, case: RecruitmentCase, joined_on: datetime.date) -> PartyMember:
    member = PartyMember(
        name=case.name,
        gender=case.gender,
        birth_date=case.birth_date,
        id_number=case.id_number,
        branch=case.village,
        status=MemberStatus.PROBATIONARY,
        joined_on=joined_on,
    )
    return member_save(actor=actor, member=member, changed=["recruitment"])


def _roster_full(actor, case: RecruitmentCase, full_on: datetime.date) -> PartyMember:
    member = PartyMember.objects.select_for_update().get(pk=case.member_id)
    member.status = MemberStatus.FULL
    member.full_member_on = full_on
    return member_save(actor=actor, member=member, changed=["status", "full_member_on"])


@audit.refusable("recruitment_end", obj="case")
def recruitment_end(
    *, actor, case: RecruitmentCase, stage: str, on: datetime.date, reason: str, version: int | None = None
) -> RecruitmentCase:
    """End a case short of membership: the person withdrew, or the branch cancelled it (before the approval of
    step 17; ending a probation is a decision of the branch assembly not built here)."""
    require(can_record_recruitment(actor, case.village))
    if stage not in (Stage.WITHDRAWN, Stage.CANCELLED):
        raise ValidationError({"stage": _("Choose withdrawn or cancelled.")})
    if not case.is_open or case.stage in (Stage.PROBATIONARY, Stage.FULL):
        raise ValidationError(_("Only a case before the approval of membership can end here."), code="state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("This date is in the future.")})
    with transaction.atomic():
        claim_version(case, version)
        case.stage, case.closed_on, case.end_reason = stage, on, reason[:200]
        case.stamp(actor)
        case.save()
        audit.record("recruitment_end", actor=actor, obj=case, detail={"stage": stage, "step": case.last_step})
    return case
