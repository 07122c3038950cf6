"""How tests open a case of each of the seven powers: `open_case(code, actor, village, **fields)` calls the power's
opening action with valid fields. A power registers its factory in CASE_FACTORIES (the route walk and the shared
power tests open one case of every registered power)."""

import datetime

from django.utils import timezone

from branches import actions
from branches.models import (
    AffairsInspection,
    CadreEvaluation,
    EmergencyIncident,
    EvaluationScheme,
    LeadershipAdjustment,
    MajorMatter,
    OrganizationGuidance,
    PartyMember,
    RecruitmentPreReview,
    case_models,
)
from branches.validators import id_check_char

__all__ = ["CASE_FACTORIES", "RECRUITMENT_DATES", "id_number", "open_case", "recruit"]


def _guidance(actor, village, **fields):
    data = {
        "title": "指导支部规范三会一课",
        "subject": OrganizationGuidance.Subject.ORG_LIFE,
        "method": OrganizationGuidance.Method.ON_SITE,
        "guidance": "支委会每月召开，记录要完整。",
        "requirements": "补齐上季度会议记录。",
        "due_on": datetime.date.today() + datetime.timedelta(days=30),
        **fields,
    }
    return actions.case_open(actor=actor, model=OrganizationGuidance, village=village, **data)


# Valid dates for the 25 steps of a recruitment (fixed, in the past), by step number.
RECRUITMENT_DATES = {
    n: datetime.date.fromisoformat(d)
    for n, d in enumerate(
        [
            "2022-01-10", "2022-01-25", "2022-03-01", "2022-03-05", "2022-03-05",
            "2022-09-01", "2023-03-02", "2023-03-10", "2023-03-15", "2023-04-01",
            "2023-05-10", "2023-06-01", "2023-06-10", "2023-06-20", "2023-07-01",
            "2023-07-15", "2023-08-01", "2023-08-10", "2023-08-15", "2023-09-01",
            "2024-03-01", "2024-06-01", "2024-07-02", "2024-08-01", "2024-08-15",
        ],
        start=1,
    )
}  # fmt: skip
VOTES = {12: (5, 5, 4), 15: (20, 15, 14), 23: (20, 16, 15)}


def id_number(birth: datetime.date = datetime.date(1995, 3, 10), seq: int = 11) -> str:
    """A valid ID number of Daxing for someone born on `birth` (male for an odd `seq`)."""
    first = f"110115{birth:%Y%m%d}{seq:03d}"
    return first + id_check_char(first)


def recruit(actor, village, upto: int = 1, *, name="张志远", seq: int = 11, dates=None, approver=None):
    """A recruitment case of `village` opened by `actor` and recorded up to step `upto` with valid dates (the
    pre-review opened, submitted and approved by `approver`, default `actor`, before step 13)."""
    dates = dates or RECRUITMENT_DATES
    birth = datetime.date(1995, 3, 10)
    case = actions.recruitment_open(
        actor=actor,
        village=village,
        name=name,
        gender="male" if seq % 2 else "female",
        birth_date=birth,
        id_number=id_number(birth, seq),
        applied_on=dates[1],
    )
    for number in range(2, upto + 1):
        if number == 13:
            approve_prereview(actor, case, approver or actor)
        vote = dict(zip(("expected", "present", "in_favour"), VOTES.get(number, (None, None, None)), strict=True))
        actions.recruitment_record_step(actor=actor, case=case, number=number, done_on=dates[number], **vote)
        case.refresh_from_db()
    return case


def approve_prereview(actor, case, approver):
    review = getattr(case, "prereview", None) or open_prereview(actor, case)
    actions.case_transition(actor=actor, case=review, name="submit")
    actions.case_transition(actor=approver, case=review, name="approve")
    return review


def open_prereview(actor, case, **fields):
    return actions.case_open(
        actor=actor,
        model=RecruitmentPreReview,
        village=case.village,
        recruitment=case,
        title=fields.pop("title", f"预审：{case.name}"),
        summary=fields.pop("summary", "条件具备，培训合格。"),
        **fields,
    )


def _prereview(actor, village, **fields):
    _prereview.made += 1  # each candidate is another person (another ID number, its sequence kept to 3 digits)
    seq = 90 + 2 * (_prereview.made % 450)
    case = recruit(actor, village, 12, name=f"预审对象{_prereview.made}", seq=seq)
    return open_prereview(actor, case, **fields)


_prereview.made = 0


def _emergency(actor, village, **fields):
    now = timezone.now()
    data = {
        "title": "暴雨致村道塌方",
        "kind": EmergencyIncident.Kind.NATURAL,
        "level": EmergencyIncident.Level.IV,
        "occurred_at": now - datetime.timedelta(hours=2),
        "known_at": now - datetime.timedelta(hours=1, minutes=40),
        "place": "村东路口",
        "description": "暴雨冲毁村道约二十米，无人员伤亡。",
        **fields,
    }
    return actions.case_open(actor=actor, model=EmergencyIncident, village=village, **data)


SCORES = {"score_de": 92, "score_neng": 88, "score_qin": 90, "score_ji": 85, "score_lian": 95}
TALLIES = {"votes_excellent": 20, "votes_competent": 8, "votes_basic": 2, "votes_incompetent": 0}


def _evaluation(actor, village, scores=SCORES, tallies=TALLIES, **fields):
    """A draft evaluation of the village's first member, its scores and votes entered (ready to submit)."""
    data = {
        "title": "2025年度村干部考核",
        "year": 2025,
        "half": CadreEvaluation.Half.YEAR,
        "member": PartyMember.objects.filter(branch=village).order_by("pk").first(),
        "post": "支部书记",
        **fields,
    }
    case = actions.case_open(actor=actor, model=CadreEvaluation, village=village, **data)
    scheme = EvaluationScheme.objects.get(is_default=True)
    return actions.evaluation_score(actor=actor, case=case, scheme=scheme, **scores, **tallies)


def _adjustment(actor, village, **fields):
    data = {
        "title": "调整组织委员",
        "member": PartyMember.objects.filter(branch=village).order_by("pk").first(),
        "kind": LeadershipAdjustment.Kind.CHANGE,
        "from_post": "组织委员",
        "to_post": "支部副书记",
        "reason": "考核优秀，群众认可。",
        **fields,
    }
    return actions.case_open(actor=actor, model=LeadershipAdjustment, village=village, **data)


def _major_matter(actor, village, **fields):
    data = {
        "title": "村集体鱼塘承包",
        "kind": MajorMatter.Kind.LAND,
        "description": "村集体鱼塘对外承包五年。",
        "amount": "50000.00",
        **fields,
    }
    return actions.case_open(actor=actor, model=MajorMatter, village=village, **data)


def _inspection(actor, village, **fields):
    data = {
        "title": "村级财产管理检查",
        "area": AffairsInspection.Area.PROPERTY,
        "inspected_on": datetime.date.today() - datetime.timedelta(days=3),
        "inspectors": "总支监督小组",
        "findings": "固定资产台账未及时更新。",
        **fields,
    }
    return actions.case_open(actor=actor, model=AffairsInspection, village=village, **data)


CASE_FACTORIES = {
    CadreEvaluation.power: _evaluation,
    LeadershipAdjustment.power: _adjustment,
    OrganizationGuidance.power: _guidance,
    RecruitmentPreReview.power: _prereview,
    EmergencyIncident.power: _emergency,
    MajorMatter.power: _major_matter,
    AffairsInspection.power: _inspection,
}


def open_case(code: str, actor, village, **fields):
    return CASE_FACTORIES[code](actor, village, **fields)


def registered_powers() -> list[str]:
    """The powers that have both a case model and a test factory."""
    return [code for code in case_models() if code in CASE_FACTORIES]
