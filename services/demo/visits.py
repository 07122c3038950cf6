"""The demo of household visits: a register of 20 to 40 households for every village, and the past year of visits
led by the village secretary, the liaison deputies, the general-branch secretary or the town's cadre, reaching 60 to
95 percent of each village's households; a tenth of the visits leave a follow-up, the recent ones still open (some
overdue) on their owners' to-do lists. Idempotent: a village whose register has households is left as it is."""

import datetime
import random

from django.utils import timezone

from branches.choices import OrgKind, Role
from branches.demo.story import TOWN_CODE
from branches.models import Organization, Position

from ..models import Household, HouseholdVisit, VisitTopic

__all__ = ["load"]

SEED = "110115105-visits"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林郑"
GIVEN = "秀英 桂兰 建国 建华 国强 志刚 淑珍 玉兰 海燕 春生 宝山 凤英 德明 振华 丽娟 永利 长顺 福来 金凤 树林".split()
STREETS = ["东街", "西街", "南街", "北街", "中心街", "前街", "后街", "新村路"]
RAISED = {
    "employment": ["家中子女待业，希望推荐就近就业岗位", "想参加电商培训，拓宽销售渠道"],
    "health": ["老人患慢性病，询问门诊报销政策", "希望村卫生室增加常用药品"],
    "elderly": ["独居老人，希望安排定期探访", "询问居家养老服务补贴"],
    "housing": ["房屋墙体开裂，申请危房鉴定", "询问翻建住房审批手续"],
    "land": ["承包地边界与邻户有争议", "询问土地流转收益分配"],
    "social-security": ["询问城乡居民养老保险缴费档次", "医保卡信息有误需要更正"],
    "disputes": ["与邻居因宅基地排水发生矛盾", "家庭赡养问题需要调解"],
    "environment": ["门前排水沟堵塞，雨天积水", "希望增设垃圾分类收集点"],
    "education": ["孩子入学需要开具证明", "询问困难家庭学生资助政策"],
    "other": ["反映村内路灯损坏", "对村务公开工作提出建议"],
}
FOLLOW_UPS = ["联系镇相关科室协调解决", "下周再次入户了解进展", "协助准备申请材料", "组织双方调解"]
CLOSINGS = ["已协调解决，群众满意", "已办结并回访", "已按政策答复，群众认可"]


def load(stdout) -> None:
    town = Organization.objects.filter(code=TOWN_CODE).first()
    if town is None:
        stdout.write("Visits: the demo town is not loaded; nothing done")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    topics = {t.code: t for t in VisitTopic.objects.all()}
    if not topics:
        stdout.write("Visits: no visit topics; nothing done")
        return
    villages = list(Organization.objects.filter(kind=OrgKind.VILLAGE, code__startswith=TOWN_CODE).order_by("code"))
    people = _people(town, villages)
    done = set(Household.objects.filter(village__in=villages).values_list("village", flat=True).distinct())
    fresh = [v for v in villages if v.pk not in done]
    households = []
    for village in fresh:
        households += _households(rng, village)
    Household.objects.bulk_create(households, batch_size=500)
    visits, cadre_links, topic_links = [], [], []
    for village in fresh:
        own = [h for h in households if h.village_id == village.pk]
        visits += _visits(rng, village, own, people[village.pk], today)
    HouseholdVisit.objects.bulk_create([v for v, _c, _t in visits], batch_size=500)
    for visit, cadres, codes in visits:
        cadre_links += [HouseholdVisit.cadres.through(householdvisit_id=visit.pk, user_id=u.pk) for u in cadres]
        topic_links += [
            HouseholdVisit.topics.through(householdvisit_id=visit.pk, visittopic_id=topics[c].pk)
            for c in codes
            if c in topics
        ]
    HouseholdVisit.cadres.through.objects.bulk_create(cadre_links, batch_size=1000)
    HouseholdVisit.topics.through.objects.bulk_create(topic_links, batch_size=1000)
    stdout.write(f"Visits: households {len(households)} and visits {len(visits)} created")


def _people(town, villages) -> dict[int, dict[str, list]]:
    """For each village: its secretary, its liaison deputies, its general branch's secretary, the town's cadres."""
    positions = list(
        Position.objects.active()
        .filter(organization__tree_id=town.tree_id)
        .select_related("user")
        .prefetch_related("liaison_villages")
    )
    people = {}
    for village in villages:
        found = {"secretary": [], "deputies": [], "general": [], "town": []}
        for p in positions:
            if p.role == Role.VILLAGE_SECRETARY and p.organization_id == village.pk:
                found["secretary"].append(p.user)
            elif p.role == Role.DEPUTY_SECRETARY and village in p.liaison_villages.all():
                found["deputies"].append(p.user)
            elif p.role == Role.GENERAL_SECRETARY and p.organization_id == village.parent_id:
                found["general"].append(p.user)
            elif p.role == Role.TOWN_CADRE and p.organization_id == town.pk:
                found["town"].append(p.user)
        people[village.pk] = found
    return people


def _households(rng, village) -> list[Household]:
    short = village.name.removesuffix("村党支部")
    return [
        Household(
            village=village,
            number=f"{n:03d}",
            head_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            address=f"{short}村{rng.choice(STREETS)}{rng.randint(1, 120)}号",
            phone="13" + "".join(rng.choice("0123456789") for _ in range(9)) if rng.random() < 0.7 else "",
            size=rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6]),
            active=rng.random() > 0.03,
        )
        for n in range(1, rng.randint(20, 40) + 1)
    ]


def _visits(rng, village, households, people, today) -> list[tuple]:
    """The visits of the past year to `households`: (visit, cadres who came, topic codes)."""
    leaders = people["secretary"] + people["deputies"] + people["general"] + people["town"]
    if not leaders or not households:
        return []
    owners = people["secretary"] + people["deputies"] or leaders
    reached = rng.sample(households, round(len(households) * rng.uniform(0.6, 0.95)))
    visits = []
    for household in reached:
        for _ in range(1 if rng.random() < 0.75 else 2):
            date = today - datetime.timedelta(days=rng.randint(0, min(364, today.timetuple().tm_yday - 1)))
            leader = rng.choice(leaders)
            cadres = [u for u in rng.sample(leaders, min(2, len(leaders))) if u != leader]
            codes = rng.sample(list(RAISED), rng.choice([1, 1, 2]))
            visit = HouseholdVisit(
                household=household,
                date=date,
                leader=leader,
                raised="；".join(rng.choice(RAISED[c]) for c in codes),
                created_by=leader,
                updated_by=leader,
            )
            if rng.random() < 0.12:
                visit.follow_up = rng.choice(FOLLOW_UPS)
                visit.follow_up_owner = rng.choice(owners)
                visit.follow_up_due = date + datetime.timedelta(days=rng.choice([7, 14, 30]))
                if date < today - datetime.timedelta(days=45) or rng.random() < 0.4:
                    visit.closed_on = min(today, visit.follow_up_due)
                    visit.closing_note = rng.choice(CLOSINGS)
            visits.append((visit, cadres, codes))
    return visits
