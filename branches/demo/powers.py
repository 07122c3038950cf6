"""Demo cases of the seven powers (issue 9): for each general branch, a few cases of every power over its villages,
opened by its officers and taken through their workflows by the actions, some closed, some open, one overdue.

Each power lends a function `(life, general branch, villages, rng) -> Counts` in POWER_DEMOS. A case whose village
and title exist already is skipped, so a second load adds nothing.
"""

import datetime

from .. import actions
from ..models import CadreEvaluation, LeadershipAdjustment, OrganizationGuidance
from .common import Counts, Life, backdate_case, seeded
from .emergency import emergency_demo
from .powers_evaluation import adjustment_demo, evaluation_demo
from .powers_matter import inspection_demo, major_matter_demo

__all__ = ["POWER_DEMOS", "load_powers"]

GUIDANCE = [
    # (title, subject, guidance, requirements, days ago opened, how far it got)
    (
        "规范支委会会议记录",
        "org_life",
        "支委会每月召开，会议记录写明议题、表决结果和缺席原因。",
        "补齐近三个月的记录。",
        70,
        "closed",
    ),
    (
        "党小组划分与活动",
        "members",
        "按居住片区调整党小组，组长每月组织一次活动。",
        "报送新的党小组名单。",
        25,
        "given",
    ),
    ("党员活动室建设", "facilities", "活动室制度上墙，配齐学习资料。", "", 5, "draft"),
]


def _guidance(life: Life, branch, villages, rng) -> Counts:
    counts = Counts()
    secretary = life.secretary.get(branch.pk)
    if secretary is None:
        return counts
    for n, (title, subject, text, requirements, days_ago, state) in enumerate(GUIDANCE):
        village = villages[(n + rng.randrange(len(villages))) % len(villages)]
        if OrganizationGuidance.objects.filter(village=village, title=title).exists():
            continue
        opened = life.today - datetime.timedelta(days=days_ago)
        case = actions.case_open(
            actor=life.deputy.get(village.pk) or secretary,
            model=OrganizationGuidance,
            village=village,
            title=title,
            subject=subject,
            guidance=text,
            requirements=requirements,
            opened_on=opened,
            due_on=opened + datetime.timedelta(days=30) if requirements else None,
        )
        counts.add("guidance")
        if state in ("given", "closed"):
            actions.case_transition(actor=secretary, case=case, name="give")
        if state == "closed":
            village_secretary = life.secretary.get(village.pk)
            if village_secretary is not None:
                actions.case_transition(actor=village_secretary, case=case, name="respond", comment="已按要求整改。")
                actions.case_transition(actor=secretary, case=case, name="accept", comment="整改到位。")
            else:
                actions.case_transition(actor=secretary, case=case, name="close", comment="当面检查已整改。")
            life.stamp(case, closed_on=opened + datetime.timedelta(days=28))
            counts.add("closed")
        backdate_case(life, case, opened, opened + datetime.timedelta(days=28 if state == "closed" else days_ago // 2))
    return counts


POWER_DEMOS = {
    CadreEvaluation.power: evaluation_demo,
    LeadershipAdjustment.power: adjustment_demo,  # after the evaluations it names
    OrganizationGuidance.power: _guidance,
    "emergency_response": emergency_demo,
    "major_matter_review": major_matter_demo,
    "affairs_inspection": inspection_demo,
}


def load_powers(life: Life) -> dict:
    made = Counts()
    for branch in life.generals:
        villages = life.villages_of.get(branch.pk) or []
        if not villages:
            continue
        for code, demo in POWER_DEMOS.items():
            made.made.update(demo(life, branch, villages, seeded("powers", code, branch.code)).made)
    return made.made
