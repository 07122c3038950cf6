"""The demo of the tailored assessment plans: last year's plan of every village approved and measured in full; this
year's mostly approved and partly measured, a few submitted, one returned, one still a draft and a few villages
without a plan. Written straight to the tables (the figures are then what the pages compute); made only when no
plan exists."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from branches.choices import OrgKind, Role
from branches.demo.story import TOWN_CODE
from branches.models import Organization, Position

from ..choices import Direction, PlanStatus
from ..models import AssessmentPlan, PlanIndicator

__all__ = ["load"]

SEED = "110115105-plans"
# Weak points and the indicators that answer them: (name, unit, direction, target, weight).
WEAK_POINTS = [
    (
        "集体经济收入偏低，增收渠道单一",
        [
            ("村集体经营性收入", "万元", Direction.AT_LEAST, 30, 30),
            ("新增增收项目", "个", Direction.AT_LEAST, 2, 20),
        ],
    ),
    (
        "人居环境整治不到位，垃圾分类参与率低",
        [
            ("垃圾分类入户参与率", "%", Direction.AT_LEAST, 90, 25),
            ("人居环境检查问题", "处", Direction.AT_MOST, 5, 15),
        ],
    ),
    (
        "党员队伍老化，发展党员后继乏人",
        [
            ("发展入党积极分子", "名", Direction.AT_LEAST, 3, 20),
            ("党员参加组织生活率", "%", Direction.AT_LEAST, 95, 20),
        ],
    ),
    (
        "矛盾纠纷较多，信访化解不及时",
        [
            ("矛盾纠纷调处化解率", "%", Direction.AT_LEAST, 98, 20),
            ("越级信访", "件", Direction.AT_MOST, 0, 20),
        ],
    ),
]
RETURN_REASON = "指标“新增增收项目”目标偏低，请结合本村资源重新测算后再报。"


def load(stdout) -> None:
    if AssessmentPlan.objects.exists():
        stdout.write("Plans: already loaded")
        return
    villages = list(
        Organization.objects.filter(kind=OrgKind.VILLAGE, code__startswith=TOWN_CODE).select_related("parent")
    )
    if not villages:
        stdout.write("Plans: the demo town is not loaded; nothing done")
        return
    officers = _officers()
    rng = random.Random(SEED)
    today = timezone.localdate()
    plans, indicators = [], []
    villages.sort(key=lambda v: v.code)
    for n, village in enumerate(villages):
        author = officers["general"].get(village.parent_id)
        if author is None:
            continue
        for year in (today.year - 1, today.year):
            status = _status(n, len(villages)) if year == today.year else PlanStatus.APPROVED
            if status is None:
                continue
            plan, lines = _plan(rng, village, year, status, author, officers["town"], today)
            plans.append(plan)
            indicators.append(lines)
    AssessmentPlan.objects.bulk_create(plans)
    for plan, lines in zip(plans, indicators, strict=True):
        for line in lines:
            line.plan = plan
    PlanIndicator.objects.bulk_create([line for lines in indicators for line in lines])
    stdout.write(f"Plans: {len(plans)} assessment plans created")


def _officers() -> dict:
    active = Position.objects.active()
    general = {
        p.organization_id: p.user
        for p in active.filter(role=Role.GENERAL_SECRETARY).select_related("user").order_by("start_date")
    }
    town = active.filter(role=Role.TOWN_CADRE).select_related("user").order_by("user__username").first()
    return {"general": general, "town": town.user if town else None}


def _status(n: int, count: int) -> PlanStatus | None:
    """This year's state of the n-th village's plan: the last three have none yet."""
    if n >= count - 3:
        return None
    return {0: PlanStatus.SUBMITTED, 1: PlanStatus.SUBMITTED, 2: PlanStatus.RETURNED, 3: PlanStatus.DRAFT}.get(
        n, PlanStatus.APPROVED
    )


def _plan(rng, village, year, status, author, town, today):
    chosen = rng.sample(WEAK_POINTS, 2)
    # The two weak points' indicators weigh 80 between them; the party-building standing of every plan weighs 20.
    lines = [line for _, group in chosen for line in group]
    scale = Decimal(80) / sum(Decimal(w) for *_, w in lines)
    rows = [
        PlanIndicator(
            order=k,
            name=name,
            unit=unit,
            direction=direction,
            target=Decimal(target),
            weight=(Decimal(weight) * scale).quantize(Decimal("0.01")),
        )
        for k, (name, unit, direction, target, weight) in enumerate(lines, start=1)
    ]
    rows[0].weight += Decimal(80) - sum(r.weight for r in rows)  # rounding lands on the first
    rows.append(
        PlanIndicator(
            order=len(rows) + 1,
            name="“三会一课”按时召开率",
            unit="%",
            direction=Direction.AT_LEAST,
            target=Decimal(100),
            weight=Decimal(20),
        )
    )
    finished = year < today.year
    for k, row in enumerate(rows):
        if status == PlanStatus.APPROVED and (finished or k % 2 == 0):
            row.actual = _actual(rng, row)
    submitted = datetime.date(year, 2, 10 + rng.randint(0, 15))
    if not finished:
        submitted = min(submitted, today)
    plan = AssessmentPlan(
        village=village,
        year=year,
        weak_points="；".join(point for point, _ in chosen) + "。",
        status=status,
        submitted_on=None if status == PlanStatus.DRAFT else submitted,
        created_by=author,
        updated_by=author,
    )
    if status in (PlanStatus.APPROVED, PlanStatus.RETURNED) and town is not None:
        plan.decided_by, plan.decided_on = town, min(submitted + datetime.timedelta(days=7), today)
    if status == PlanStatus.RETURNED:
        plan.return_reason = RETURN_REASON
    return plan, rows


def _actual(rng, row: PlanIndicator) -> Decimal:
    if row.direction == Direction.AT_MOST:
        return Decimal(max(0, int(row.target) + rng.randint(-2, 2)))
    value = row.target * Decimal(rng.uniform(0.7, 1.05))
    if row.unit == "%":
        value = min(value, Decimal(100))
    return value.quantize(Decimal("1") if row.unit in ("个", "名") else Decimal("0.1"))
