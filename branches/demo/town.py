"""Demo data: the town of the source (DESIGN 1 and 4.5), recreated by `manage.py load_demo`.

安定镇党委 with its 6 joint general branches and 33 real villages, 1,619 synthetic party members with fictitious
but valid-format ID numbers, and the officers of the source: 6 general-branch secretaries, 25 deputy secretaries
(village-liaison chiefs) and 33 village branch secretaries who sit on their general branch's committee.

Where the source is silent the demo makes a plausible choice, and says so here: which village is in which general
branch (the source only places 徐柏 in the 3rd with 6 neighbouring vegetable villages, and 后安定 in the 2nd), the
village codes, households, population, industries, locations and incomes, the names of all people. All of it is
ordinary editable data.

The load is idempotent: tree nodes are keyed by code, users by username, positions by user, node and role, and
members by the blind index of their ID number. Everything is generated from fixed seeds and a fixed reference
date, so a second run (on any day) finds every row already there and changes no count. Rows that exist are left
as they are, so edits made in the demo (a village moved, a liaison changed) survive a reload.
"""

import datetime
import random
import sys
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import OutputWrapper
from django.db import transaction

from anding import duties, registry

from ..choices import Gender, MemberStatus, OrgKind, Role
from ..models import Organization, PartyMember, Position
from ..tree import subtree_q
from ..validators import id_check_char, id_number_birth_date, id_number_is_male
from . import life
from .story import TOWN_CODE

__all__ = ["MEMBER_TOTAL", "TOWN_CODE", "VILLAGES", "load"]

SEED = 110115105
# Ages and joining dates of full members are computed from this fixed date, never from today, so that the ID
# numbers (and hence the members' keys) are the same whenever the demo is loaded.
REFERENCE_DATE = datetime.date(2026, 7, 1)
POSITIONS_START = datetime.date(2024, 1, 1)
GENERAL_BRANCHES_CREATED = datetime.date(2010, 1, 1)

TOWN_NAME = "安定镇党委"
AREA_PREFIX = "110115"  # 北京市大兴区
MEMBER_TOTAL = 1619
PROBATIONARY_SHARE = 0.05

NUMERALS = "一二三四五六"
# Part of the town each general branch covers (a plausible layout; the source does not say).
REGIONS = {
    1: "安定镇中部，镇政府驻地周边",
    2: "安定镇西部，桑椹种植带",
    3: "安定镇东部，蔬菜种植区",
    4: "安定镇南部",
    5: "安定镇北部，邻近北京经济技术开发区方向",
    6: "安定镇东南部",
}
# Deputy secretaries (包村科长) per general branch: 25 in all, roughly one per 1.3 villages.
DEPUTIES_PER_BRANCH = {1: 4, 2: 4, 3: 5, 4: 4, 5: 4, 6: 4}

# The 33 villages in the order of the administrative division list (domain.md 1), which gives their codes
# 110115105201 .. 110115105233: (name, general branch, main industries, variant names).
VILLAGES = [
    ("堡林庄", 1, "粮食作物、林果", ()),
    ("后安定", 2, "果树、桑椹", ("後安定",)),
    ("前安定", 1, "粮食作物、商贸服务", ()),
    ("沙河", 2, "桑椹、林果", ()),
    ("站上", 1, "物流仓储、粮食作物", ()),
    ("高店", 2, "桑椹", ()),
    ("后野厂", 2, "桑椹", ("后野廠", "後野廠")),
    ("前野厂", 2, "桑椹、古桑园观光", ("前野廠",)),
    ("杜庄屯", 4, "粮食作物、畜禽养殖", ()),
    ("洪士庄", 4, "林果、粮食作物", ()),
    ("潘家马房", 4, "苗木花卉、粮食作物", ()),
    ("郑福庄", 4, "粮食作物", ()),
    ("驴房", 4, "畜禽养殖、粮食作物", ()),
    ("兴安营", 5, "劳务输出、粮食作物", ()),
    ("善台子", 5, "苗木花卉", ()),
    ("西芦各庄", 5, "粮食作物、林果", ()),
    ("东芦各庄", 5, "林果、粮食作物", ()),
    ("安定车站", 1, "商贸物流", ("车站村", "车站")),
    ("汤营", 1, "西甜瓜、粮食作物", ()),
    ("伙达营", 6, "粮食作物", ()),
    ("通州马房", 2, "桑椹、林果", ("通洲马坊",)),
    ("于家务", 5, "劳务输出、物流仓储", ("於家務",)),
    ("后辛房", 6, "林果、粮食作物", ()),
    ("前辛房", 6, "林果、桑椹", ()),
    ("西白塔", 6, "粮食作物、苗木", ()),
    ("东白塔", 6, "畜禽养殖、粮食作物", ()),
    ("周园子", 3, "蔬菜、桑椹", ()),
    ("徐柏", 3, "蔬菜（设施种植、统一销售）", ()),
    ("皋营", 3, "蔬菜", ()),
    ("马各庄", 3, "蔬菜、桑椹", ()),
    ("佟家务", 3, "蔬菜", ()),
    ("大渠", 3, "蔬菜、桑椹", ()),
    ("佟营", 3, "蔬菜、桑椹", ()),
]

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔向汤佟常边"
)
GIVEN = {
    # (gender, born before 1970): characters of given names typical of the generation.
    (Gender.MALE, True): "德福贵宝国建军文明永金春长志海振庆树山占全成玉福顺利生荣旺立祥有忠学义",
    (Gender.MALE, False): "浩宇轩博涛鹏磊晨杰伟强勇超亮斌波辉鑫俊峰帅健龙飞明旭东阳凯林宁",
    (Gender.FEMALE, True): "秀桂兰英芳凤玉淑珍霞翠华荣琴梅春云香莲素凤娥金",
    (Gender.FEMALE, False): "婷静丽娜敏雪颖琳欣悦洁璐佳莉倩楠晶月娟燕蕾薇红艳",
}
PHONE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 173 176 177 180 181 185 186 187 "
    "188 189 191 199"
).split()
# Age bands of rural party members at the reference date, with weights (older members predominate).
AGE_BANDS = [((21, 35), 14), ((36, 50), 20), ((51, 60), 22), ((61, 70), 23), ((71, 80), 15), ((81, 88), 6)]


def load(stdout=None) -> None:
    """Load (or complete) the demo town, then run the demo providers of the other apps, in one transaction."""
    if not isinstance(stdout, OutputWrapper):
        stdout = OutputWrapper(stdout or sys.stdout)
    with transaction.atomic():
        town, generals, villages = _load_tree(stdout)
        _load_members(stdout, villages)
        accounts = _load_users(stdout, town, generals, villages)
        providers = registry.providers("demo")
        for provider in providers:
            provider(stdout)
        stdout.write(f"Demo providers of other apps: {len(providers)} run")
        life.load(stdout)
        _print_summary(stdout, town, accounts)


# The tree ----------------------------------------------------------------------------------------------------


def _node(code: str, **fields) -> tuple[Organization, bool]:
    """The node with `code`, created (validated, through the locked `save()`) if it does not exist."""
    node = Organization.objects.filter(code=code).first()
    if node is not None:
        return node, False
    node = Organization(code=code, **fields)
    node.full_clean()
    node.save()
    return node, True


def _village_code(index: int) -> str:
    return f"{TOWN_CODE}{201 + index}"


def _village_attributes(index: int, name: str, branch: int, industries: str) -> dict:
    rng = random.Random(f"{SEED}-village-{index}")
    households = rng.randint(230, 880)
    if name == "徐柏":
        households = 960  # the strong village of the 3rd general branch
    population = round(households * rng.uniform(2.45, 2.95))
    income = rng.randint(35, 480) * 10_000
    if name == "徐柏":
        income = 8_650_000
    elif name == "后安定":
        income = max(income, 3_200_000)
    distance = rng.uniform(0.8, 3.0) if branch == 1 else rng.uniform(3.0, 9.5)
    return {
        "households": households,
        "population": population,
        "main_industries": industries,
        "location": f"{REGIONS[branch]}；距镇政府约{distance:.1f}公里",
        "collective_income_yuan": Decimal(income),
    }


def _load_tree(stdout):
    town, created = _node(
        TOWN_CODE,
        kind=OrgKind.TOWN,
        name=TOWN_NAME,
        parent=None,
        aliases="中共北京市大兴区安定镇委员会、安定镇",
        location="北京市大兴区安定镇",
    )
    stdout.write(f"Town: {town.name} ({'created' if created else 'already there'})")

    generals = {}
    made = 0
    for number in range(1, 7):
        node, created = _node(
            f"{TOWN_CODE}-G{number}",
            kind=OrgKind.GENERAL,
            name=f"第{NUMERALS[number - 1]}联村党总支",
            parent=town,
            aliases=f"第{NUMERALS[number - 1]}联村总支、{number}总支",
            location=REGIONS[number],
            valid_from=GENERAL_BRANCHES_CREATED,
        )
        generals[number] = node
        made += created
    stdout.write(f"General branches: {len(generals)} ({made} created)")

    villages = []
    made = 0
    for index, (name, branch, industries, variants) in enumerate(VILLAGES):
        node, created = _node(
            _village_code(index),
            kind=OrgKind.VILLAGE,
            name=f"{name}村党支部",
            parent=generals[branch],
            aliases="、".join([f"{name}村", name, *variants]),
            **_village_attributes(index, name, branch, industries),
        )
        villages.append(node)
        made += created
    stdout.write(f"Villages: {len(villages)} ({made} created)")
    return town, generals, villages


# Members -----------------------------------------------------------------------------------------------------


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _member_counts(rng: random.Random) -> list[int]:
    """1,619 members over the villages, roughly in proportion to population (largest remainder)."""
    populations = [
        _village_attributes(index, name, branch, industries)["population"]
        for index, (name, branch, industries, _) in enumerate(VILLAGES)
    ]
    weights = [population * rng.uniform(0.65, 1.35) for population in populations]
    total = sum(weights)
    shares = [MEMBER_TOTAL * w / total for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: MEMBER_TOTAL - sum(counts)]:
        counts[i] += 1
    return counts


def _clan_surnames(rng: random.Random, village_name: str) -> list[str]:
    """The big families of a village: the one the village is named after (佟家务: 佟), and two common ones."""
    clans = [ch for ch in village_name[:1] if ch in SURNAMES]
    clans += rng.sample("王李张刘赵杨孙马高郭", 2)
    return clans


def _name(rng: random.Random, gender: str, birth_year: int, clans: list[str] | None = None) -> str:
    surname = rng.choice(clans) if clans and rng.random() < 0.35 else rng.choice(SURNAMES)
    chars = GIVEN[(gender, birth_year < 1970)]
    given = rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
    return surname + given


def _id_number(rng: random.Random, birth: datetime.date, gender: str, used: set[str]) -> str:
    while True:
        sequence = rng.randint(0, 99)
        sex_digit = rng.randrange(1, 10, 2) if gender == Gender.MALE else rng.randrange(0, 10, 2)
        first17 = f"{AREA_PREFIX}{birth:%Y%m%d}{sequence:02d}{sex_digit}"
        if first17 not in used:
            used.add(first17)
            return first17 + id_check_char(first17)


def _generate_members(villages: list[Organization], today: datetime.date) -> list[PartyMember]:
    """The 1,619 demo members, the same on every run (only a probationary member's dates follow today).

    Everything is drawn from constants, never from the stored villages (which people may edit), so that the ID
    numbers, the members' keys, do not change between runs. `villages` are in the order of VILLAGES.
    """
    rng = random.Random(SEED)
    counts = _member_counts(rng)
    used_ids, used_phones = set(), set()
    bands, band_weights = zip(*AGE_BANDS, strict=True)
    members = []
    for village, (village_name, *_), count in zip(villages, VILLAGES, counts, strict=True):
        clans = _clan_surnames(rng, village_name)
        for _ in range(count):
            probationary = rng.random() < PROBATIONARY_SHARE
            gender = Gender.MALE if rng.random() < (0.6 if probationary else 0.72) else Gender.FEMALE
            low, high = (21, 45) if probationary else rng.choices(bands, band_weights)[0]
            age = rng.randint(low, high)
            birth = REFERENCE_DATE - datetime.timedelta(days=age * 365 + rng.randint(0, 364) + age // 4)
            id_number = _id_number(rng, birth, gender, used_ids)
            while True:
                phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
                if phone not in used_phones:
                    used_phones.add(phone)
                    break
            join_age = rng.randint(18, min(age - 2, 55))
            join_days = rng.randint(0, 300)
            probation_days = rng.randint(20, 340)
            if probationary:
                joined_on, full_member_on = today - datetime.timedelta(days=probation_days), None
            else:
                joined_on = _add_years(birth, join_age) + datetime.timedelta(days=join_days)
                full_member_on = _add_years(joined_on, 1)
            member = PartyMember(
                name=_name(rng, gender, birth.year, clans),
                gender=gender,
                birth_date=birth,
                id_number=id_number,
                phone=phone,
                branch=village,
                status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                joined_on=joined_on,
                full_member_on=full_member_on,
            )
            member.sync_digest()
            members.append(member)
    return members


def _check_member(member: PartyMember) -> None:
    member.clean_fields(exclude=["branch"])
    if id_number_birth_date(member.id_number) != member.birth_date:
        raise ValueError(f"The birth date inside {member.id_number} differs from {member.birth_date}.")
    if id_number_is_male(member.id_number) != (member.gender == Gender.MALE):
        raise ValueError(f"The gender digit of {member.id_number} does not match {member.gender}.")


def _load_members(stdout, villages: list[Organization]) -> None:
    today = datetime.date.today()
    members = _generate_members(villages, today)
    digests = [m.id_number_digest for m in members]
    existing = set()
    for start in range(0, len(digests), 500):
        chunk = digests[start : start + 500]
        existing.update(
            PartyMember.objects.filter(id_number_digest__in=chunk).values_list("id_number_digest", flat=True)
        )
    new = [m for m in members if m.id_number_digest not in existing]
    for member in new:
        _check_member(member)
    PartyMember.objects.bulk_create(new, batch_size=500)
    probationary = sum(m.status == MemberStatus.PROBATIONARY for m in members)
    stdout.write(
        f"Members: {len(members):,} in the demo ({probationary} probationary), "
        f"{len(new):,} created, {len(members) - len(new):,} already there"
    )


# Users and positions -----------------------------------------------------------------------------------------


class _Accounts:
    """Creates demo users (all with one password hash, computed once) and remembers them for the table."""

    def __init__(self):
        self.rng = random.Random(f"{SEED}-officers")
        self.password_hash = None
        self.rows = []  # (username, role, scope)
        self.created = 0

    def user(self, username: str, role: str, scope: str, **extra):
        gender = Gender.MALE if self.rng.random() < 0.75 else Gender.FEMALE
        full_name = _name(self.rng, gender, self.rng.randint(1962, 1992))
        self.rows.append((username, role, scope))
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            return user
        if self.password_hash is None:
            self.password_hash = make_password(settings.DEMO_PASSWORD)
        user = get_user_model()(username=username, full_name=full_name, password=self.password_hash, **extra)
        user.save()
        self.created += 1
        return user


def _position(user, organization: Organization, role: str, title: str) -> tuple[Position, bool]:
    position = Position.objects.filter(user=user, organization=organization, role=role).first()
    if position is not None:
        return position, False
    position = Position(user=user, organization=organization, role=role, title=title, start_date=POSITIONS_START)
    position.full_clean(exclude=["liaison_villages"])
    position.save()
    return position, True


def _load_users(stdout, town, generals, villages) -> _Accounts:
    accounts = _Accounts()
    made = 0

    user = accounts.user("town", "town cadre", f"{town.name} (镇党委组织委员)")
    made += _position(user, town, Role.TOWN_CADRE, "镇党委组织委员")[1]
    # The town's cadres may reveal ID numbers and export the roster (docs/SECURITY.md): granted, not implied.
    user.groups.add(*Group.objects.filter(name__in=[duties.ID_NUMBER_REVEALERS, duties.MEMBER_EXPORTERS]))

    for number, general in generals.items():
        user = accounts.user(f"gb{number}", "general-branch secretary", f"{general.name} (镇领导班子成员)")
        made += _position(user, general, Role.GENERAL_SECRETARY, "镇领导班子成员")[1]

    by_branch = {number: [] for number in generals}
    for village, (_, branch, _, _) in zip(villages, VILLAGES, strict=True):
        by_branch[branch].append(village)
    deputy = 0
    for number, general in generals.items():
        count = DEPUTIES_PER_BRANCH[number]
        branch_villages = sorted(by_branch[number], key=lambda v: v.code)
        for k in range(count):
            deputy += 1
            liaison = branch_villages[k::count]
            short = "、".join(v.name.removesuffix("村党支部") for v in liaison)
            user = accounts.user(f"dep{deputy:02d}", "deputy secretary", f"{general.name} (liaison: {short})")
            position, created = _position(user, general, Role.DEPUTY_SECRETARY, "副书记（包村科长）")
            if created:
                position.liaison_villages.set(liaison)
            made += created

    for index, village in enumerate(sorted(villages, key=lambda v: v.code), start=1):
        general = village.parent
        user = accounts.user(
            f"v{index:02d}", "village branch secretary", f"{village.name} (committee member of {general.name})"
        )
        made += _position(user, village, Role.VILLAGE_SECRETARY, "村党支部书记")[1]
        made += _position(user, general, Role.COMMITTEE_MEMBER, "联村党总支委员")[1]

    # Three administrators, one role each (三员分立), and no superuser (docs/SECURITY.md).
    for username, group, role, scope in [
        ("sysadmin", duties.SYSTEM_ADMIN, "system administrator", "accounts and the tree (admin)"),
        ("secadmin", duties.SECURITY_ADMIN, "security administrator", "roles and positions (admin)"),
        ("auditadmin", duties.AUDIT_ADMIN, "audit administrator", "the audit trail (admin, read only)"),
    ]:
        accounts.user(username, role, scope, is_staff=True).groups.add(Group.objects.get(name=group))
    # The superuser `admin` of earlier demos is no longer needed: it loses its powers.
    get_user_model().objects.filter(username="admin", is_superuser=True).update(
        is_superuser=False, is_staff=False, is_active=False
    )
    stdout.write(f"Users: {len(accounts.rows)} demo accounts ({accounts.created} created); positions: {made} created")
    return accounts


# Summary -----------------------------------------------------------------------------------------------------


def _print_summary(stdout, town: Organization, accounts: _Accounts) -> None:
    town.refresh_from_db()
    nodes = Organization.objects.filter(subtree_q(town))
    members = PartyMember.objects.current().filter(subtree_q(town, "branch"))
    positions = Position.objects.active().filter(subtree_q(town, "organization"))
    counts = [
        ("towns", nodes.filter(kind=OrgKind.TOWN).count()),
        ("general branches", nodes.filter(kind=OrgKind.GENERAL).count()),
        ("villages", nodes.filter(kind=OrgKind.VILLAGE).count()),
        ("members", members.count()),
        ("general-branch secretaries", positions.filter(role=Role.GENERAL_SECRETARY).count()),
        ("deputy secretaries", positions.filter(role=Role.DEPUTY_SECRETARY).count()),
        ("village secretaries", positions.filter(role=Role.VILLAGE_SECRETARY).count()),
    ]
    stdout.write("")
    stdout.write("Counts:")
    for label, value in counts:
        stdout.write(f"  {label:<28}{value:>6,}")

    stdout.write("")
    stdout.write("Demo accounts:")
    name_width = max(len(row[0]) for row in accounts.rows)
    width = max(len(row[1]) for row in accounts.rows)
    stdout.write(f"  {'account':<{name_width}}  {'role':<{width}}  scope")
    for username, role, scope in accounts.rows:
        stdout.write(f"  {username:<{name_width}}  {role:<{width}}  {scope}")
    stdout.write(f"Password of every demo account (set when the account is created): {settings.DEMO_PASSWORD}")
