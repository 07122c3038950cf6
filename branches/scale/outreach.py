"""The services and development apps' records, town by town, in the demo's shapes (services/demo,
development/demo) thinned to what a city keeps over the years: a household register per village with about eight
visits a year; one service centre per town holding two half-days a month, three departments present, one or two
villagers served by each; in every general branch a pairing every three years, a lead village helping two others,
with progress twice a year. Phones are encrypted through the models' fields, as in people.py."""

import datetime
import random

from development.models import Pairing, PairingProgress
from services.choices import Half, Outcome
from services.models import (
    Department,
    Household,
    HouseholdVisit,
    ServiceCentre,
    ServiceItem,
    ServiceRecord,
    ServiceSession,
    VisitTopic,
)

from .bulk import insert
from .people import person_name, phone
from .plan import Node

__all__ = ["insert_outreach"]

STREETS = ["东街", "西街", "南街", "北街", "中心街", "前街", "后街", "新村路"]
RAISED = [
    "家中子女待业，希望推荐就近就业岗位",
    "老人患慢性病，询问门诊报销政策",
    "独居老人，希望安排定期探访",
    "门前排水沟堵塞，雨天积水",
]
INDUSTRIES = ["设施蔬菜", "西瓜种植", "梨园", "乡村民宿", "食用菌", "中药材"]


def insert_outreach(towns: list[Node], users: dict, prefix: str, seed: int, months: list, progress) -> dict:
    counts = dict.fromkeys(
        ["households", "visits", "service centres", "service half-days", "service records", "pairings"], 0
    )
    topics = list(VisitTopic.objects.order_by("order", "code").values_list("pk", flat=True))
    items = {}
    for item in ServiceItem.objects.order_by("order", "code"):
        items.setdefault(item.department_id, []).append(item.pk)
    departments = [d for d in Department.objects.order_by("order", "code").values_list("pk", flat=True) if d in items]
    progress.stage("households, visits, services, pairings", len(towns))
    for town in towns:
        rng = random.Random(f"{seed}-outreach-{town.index}")
        villages = [v for g in town.children for v in g.children]
        households, visits = _households_and_visits(rng, villages, users, topics, months)
        counts["households"] += households
        counts["visits"] += visits
        if departments:
            sessions, records = _services(rng, town, villages, users, prefix, departments, items, months)
            counts["service centres"] += 1
            counts["service half-days"] += sessions
            counts["service records"] += records
        counts["pairings"] += _pairings(rng, town, users, months)
        progress.advance(1)
    return counts


def _households_and_visits(rng, villages, users, topics, months) -> tuple[int, int]:
    households = []
    for village in villages:
        short = village.name.removesuffix("村党支部")
        households += [
            dict(
                village_id=village.pk,
                number=f"{n:03d}",
                head_name=person_name(rng),
                address=f"{short}村{rng.choice(STREETS)}{rng.randint(1, 120)}号",
                phone=phone(rng) if rng.random() < 0.7 else "",
                size=rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6]),
                active=rng.random() > 0.03,
            )
            for n in range(1, rng.randint(20, 40) + 1)
        ]
    by_village = {}
    for h, pk in zip(households, insert(Household, households), strict=True):
        by_village.setdefault(h["village_id"], []).append(pk)
    visits = []
    for village in villages:
        leader = users[village.pk]
        for month in months:
            for _ in range(rng.choice([0, 0, 1, 1, 1, 2])):  # about eight a year
                visits.append(
                    dict(
                        household_id=rng.choice(by_village[village.pk]),
                        date=month.replace(day=rng.randint(1, 28)),
                        leader_id=leader,
                        raised=rng.choice(RAISED),
                        created_by_id=leader,
                        updated_by_id=leader,
                    )
                )
    pks = insert(HouseholdVisit, visits)
    if topics:
        insert(
            HouseholdVisit.topics.through, (dict(householdvisit_id=pk, visittopic_id=rng.choice(topics)) for pk in pks)
        )
    return len(households), len(visits)


def _services(rng, town, villages, users, prefix, departments, items, months) -> tuple[int, int]:
    centre = ServiceCentre.objects.create(
        code=f"{prefix.lower()}-t{town.index:03d}",
        order=town.index,
        name_zh=f"{town.name.removesuffix('党委')}党群服务中心",
        name_en=f"Service centre of town {town.index}",
    )
    centre.general_branches.set([g.pk for g in town.children])
    user = users[town.pk]
    sessions = []
    for month in months:
        for day, half in ((rng.randint(3, 12), Half.MORNING), (rng.randint(15, 26), Half.AFTERNOON)):
            sessions.append(
                dict(
                    centre_id=centre.pk, date=month.replace(day=day), half=half, created_by_id=user, updated_by_id=user
                )
            )
    present, records = [], []
    for session, pk in zip(sessions, insert(ServiceSession, sessions), strict=True):
        for department in rng.sample(departments, min(3, len(departments))):
            present.append(dict(servicesession_id=pk, department_id=department))
            for _ in range(rng.choice([1, 1, 2])):
                records.append(_record(rng, pk, session["date"], department, items, villages, user))
    insert(ServiceSession.departments.through, present)
    insert(ServiceRecord, records)
    return len(sessions), len(records)


def _record(rng, session: int, date, department, items, villages, user) -> dict:
    roll = rng.random()
    outcome = Outcome.FOLLOW_UP if roll < 0.1 else Outcome.REFERRED if roll < 0.2 else Outcome.RESOLVED
    record = dict(
        session_id=session,
        date=date,
        department_id=department,
        service_item_id=rng.choice(items[department]),
        villager_name=person_name(rng),
        village_id=rng.choice(villages).pk,
        phone=phone(rng),
        request=rng.choice(["咨询办理流程", "询问所需材料", "申请办理", "反映困难"]),
        outcome=outcome,
        created_by_id=user,
        updated_by_id=user,
    )
    if outcome == Outcome.FOLLOW_UP:
        due = date + datetime.timedelta(days=14)
        record.update(due_on=due, closed_on=due - datetime.timedelta(days=2), closing_note="已回访，问题已解决")
    return record


def _pairings(rng, town, users, months) -> int:
    pairings, others, helped, progress = [], [], [], []
    for general in town.children:
        if len(general.children) < 2:
            continue
        for start in months[::36]:
            lead, *rest = rng.sample(general.children, min(3, len(general.children)))
            pairings.append(
                dict(
                    lead_village_id=lead.pk,
                    industry=rng.choice(INDUSTRIES),
                    goals="发挥先进村带动作用，带动周边村发展特色产业、增加集体收入。",
                    start_date=start,
                    end_date=start + datetime.timedelta(days=3 * 365 - 1),
                    created_by_id=users[lead.pk],
                    updated_by_id=users[lead.pk],
                )
            )
            others.append(rest)
    pks = insert(Pairing, pairings)
    for pairing, pk, rest in zip(pairings, pks, others, strict=True):
        helped += [dict(pairing_id=pk, organization_id=v.pk) for v in rest]
        income = rng.randint(12000, 20000)
        halves = [m for m in months if pairing["start_date"] <= m <= pairing["end_date"] and m.month in (6, 12)]
        for n, month in enumerate(halves):
            progress.append(
                dict(
                    pairing_id=pk,
                    date=month.replace(day=28),
                    area_mu=rng.randint(50, 400),
                    households=rng.randint(10, 80),
                    income_before=income,
                    income_after=income + 600 * (n + 1) + rng.randint(0, 500),
                    created_by_id=pairing["created_by_id"],
                    updated_by_id=pairing["created_by_id"],
                )
            )
    insert(Pairing.helped_villages.through, helped)
    insert(PairingProgress, progress)
    return len(pairings)
