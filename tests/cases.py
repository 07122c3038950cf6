"""How tests open a case of each of the seven powers: `open_case(code, actor, village, **fields)` calls the power's
opening action with valid fields. A power registers its factory in CASE_FACTORIES (the route walk and the shared
power tests open one case of every registered power)."""

import datetime

from branches import actions
from branches.models import (
    CadreEvaluation,
    EvaluationScheme,
    LeadershipAdjustment,
    OrganizationGuidance,
    PartyMember,
    case_models,
)

__all__ = ["CASE_FACTORIES", "open_case"]


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


CASE_FACTORIES = {
    CadreEvaluation.power: _evaluation,
    LeadershipAdjustment.power: _adjustment,
    OrganizationGuidance.power: _guidance,
}


def open_case(code: str, actor, village, **fields):
    return CASE_FACTORIES[code](actor, village, **fields)


def registered_powers() -> list[str]:
    """The powers that have both a case model and a test factory."""
    return [code for code in case_models() if code in CASE_FACTORIES]
