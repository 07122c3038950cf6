"""Demo cadre evaluations and leadership-adjustment proposals (issue 9): in each general branch, last year's rounds of
some villages' secretaries finalized with their grades (one still rectifying), a half-year round returned to the
draft for its votes, one scored and waiting for the secretary; in the first two general branches a proposal, one of
them decided by the town. All through the actions; a case whose village and title exist already is skipped."""

import datetime

from .. import actions
from ..models import CadreEvaluation, EvaluationScheme, LeadershipAdjustment
from .common import Counts, Life, backdate_case

__all__ = ["adjustment_demo", "evaluation_demo"]

# (state, period, days ago opened, rectification items)
ROUNDS = [
    ("final", "year", 80, ["村务公开栏按月更新", "补齐民主评议记录"]),
    ("closed", "year", 75, []),
    ("returned", "h1", 20, []),
    ("scored", "h1", 10, []),
]


def _scores(rng, level):
    """Scores and tallies around `level` (a village's cadre doing well or less well)."""
    scores = {f"score_{d}": min(100, max(40, level + rng.randint(-6, 6))) for d in ("de", "neng", "qin", "ji", "lian")}
    voters = rng.randint(25, 45)
    good = round(voters * (level - 55) / 45)
    tallies = {
        "votes_excellent": max(0, good - rng.randint(5, 10)),
        "votes_competent": 0,
        "votes_basic": rng.randint(0, 3),
        "votes_incompetent": rng.randint(0, 1),
    }
    tallies["votes_competent"] = max(0, voters - sum(tallies.values()))
    return {**scores, **tallies}


def evaluation_demo(life: Life, branch, villages, rng) -> Counts:
    counts = Counts()
    secretary = life.secretary.get(branch.pk)
    scheme = EvaluationScheme.objects.filter(is_default=True).first()
    if secretary is None or scheme is None:
        return counts
    for n, (state, half, days_ago, items) in enumerate(ROUNDS):
        village = villages[n % len(villages)]
        members = life.members.get(village.pk) or []
        if not members:
            continue
        member = members[0]
        year = life.today.year - 1 if half == "year" else life.today.year
        title = f"{year}年{'度' if half == 'year' else '上半年'}村干部考核评议 · {member.name}"
        if CadreEvaluation.objects.filter(village=village, title=title).exists():
            continue
        opened = life.today - datetime.timedelta(days=days_ago)
        actor = life.deputy.get(village.pk) or secretary
        case = actions.case_open(
            actor=actor,
            model=CadreEvaluation,
            village=village,
            title=title,
            year=year,
            half=half,
            member=member,
            post="支部书记",
            opened_on=opened,
            due_on=opened + datetime.timedelta(days=30),
        )
        level = rng.choice([93, 86, 78])
        case = actions.evaluation_score(actor=actor, case=case, scheme=scheme, **_scores(rng, level))
        counts.add("evaluations")
        actions.case_transition(actor=actor, case=case, name="score")
        if state == "returned":
            actions.case_transition(
                actor=secretary, case=case, name="return", comment="民主测评票数与到会人数不符，请核对。"
            )
        if state in ("returned", "scored"):
            backdate_case(life, case, opened, opened + datetime.timedelta(days=days_ago // 2))
            continue
        for text in items:
            actions.rectification_add(actor=actor, case=case, text=text, deadline=opened + datetime.timedelta(days=60))
        feedback = "履职尽责，群众认可；" + ("村务公开要及时，记录要完整。" if items else "继续保持。")
        actions.case_transition(
            actor=secretary, case=case, name="finalize" if items else "finalize_close", comment=feedback
        )
        if items:
            first = case.items.order_by("pk").first()
            actions.rectification_done(
                actor=actor, item=first, done_on=opened + datetime.timedelta(days=20), note="已整改"
            )
        else:
            life.stamp(case, closed_on=opened + datetime.timedelta(days=14))
            counts.add("closed")
        backdate_case(life, case, opened, opened + datetime.timedelta(days=20 if items else 14))
    return counts


def adjustment_demo(life: Life, branch, villages, rng) -> Counts:
    counts = Counts()
    secretary = life.secretary.get(branch.pk)
    position = life.generals.index(branch) if branch in life.generals else 99
    if secretary is None or position > 1:
        return counts  # a couple of proposals, in the first two general branches
    village = villages[1 % len(villages)]
    members = life.members.get(village.pk) or []
    if len(members) < 2:
        return counts
    title = "建议调整村党支部组织委员"
    if LeadershipAdjustment.objects.filter(village=village, title=title).exists():
        return counts
    opened = life.today - datetime.timedelta(days=40 if position == 0 else 8)
    case = actions.case_open(
        actor=life.deputy.get(village.pk) or secretary,
        model=LeadershipAdjustment,
        village=village,
        title=title,
        member=members[1],
        kind=LeadershipAdjustment.Kind.CHANGE,
        from_post="组织委员",
        to_post="支部副书记",
        reason="该同志年度考核称职以上，工作扎实，群众基础好，建议调整为支部副书记。",
        opened_on=opened,
    )
    counts.add("proposals")
    support = CadreEvaluation.objects.filter(village=village, status__in=["final", "closed"])
    actions.adjustment_support(actor=secretary, case=case, evaluations=support)
    actions.case_transition(actor=secretary, case=case, name="propose")
    if position == 0 and life.town_user is not None:
        actions.case_transition(actor=life.town_user, case=case, name="approve", comment="同意，按程序办理。")
        life.stamp(case, closed_on=opened + datetime.timedelta(days=12))
        counts.add("decided")
    backdate_case(life, case, opened, opened + datetime.timedelta(days=12 if position == 0 else 4))
    return counts
