"""The records of the source's "共享式发展" in 2021, from which the ledger computes its figures:

- 徐柏 (3rd general branch) leads the 6 other villages of its general branch in vegetables: its progress reaches
  800 mu and +2,000 yuan income per capita (17,800 after − 15,800 before);
- the 5th general branch holds two job fairs with 北京经济技术开发区, finding work for 60 + 46 = 106 people;
- the 2nd general branch's fruit expert of 后安定 (a party member) trains 180 + 160 + 150 + 130 = 620 person-times,
  and a shared online platform sells 630,000 jin of fruit in 2021.

Every village's 2021 figures come from its collective income and a seeded income per capita (徐柏 the strongest).
Written straight to the tables (the figures are then what the pages compute)."""

import datetime
import random
from decimal import Decimal

from branches.choices import OrgKind, Role
from branches.demo.story import TOWN_CODE
from branches.models import Organization, PartyMember, Position
from services.models import Household

from ..choices import EventKind, PartnerKind, ResourceKind
from ..models import (
    BranchResource,
    Pairing,
    PairingProgress,
    Partner,
    PartnerEvent,
    ResourceTraining,
    SharedSale,
    VillageFigures,
)

__all__ = ["YEAR", "load"]

SEED = "110115105-development"
YEAR = 2021  # the year of the source's figures
LEAD = "徐柏"
ZONE = "北京经济技术开发区"
# (date, area in mu, households, income per capita before, after): the last of 2021 gives the ledger's figures.
PROGRESS = [
    (datetime.date(2019, 11, 20), "260", 85, "15800", "16300", "首批蔬菜大棚建成，徐柏村统一供苗、统一技术指导"),
    (datetime.date(2020, 11, 18), "520", 160, "15800", "17000", "扩大到周边6个村，徐柏村统一销售渠道"),
    (datetime.date(2021, 6, 15), "680", 210, "15800", "17400", "春茬蔬菜统一收购"),
    (datetime.date(2021, 11, 30), "800", 246, "15800", "17800", "6个村蔬菜种植达800亩，村民人均收入提高近2000元"),
]
JOB_FAIRS = [
    (datetime.date(YEAR, 4, 17), "北京经济技术开发区企业专场招聘会（第一场）", 60),
    (datetime.date(YEAR, 9, 25), "北京经济技术开发区企业专场招聘会（第二场）", 46),
]
TRAININGS = [
    (datetime.date(YEAR, 3, 10), "果树春季修剪技术", 180),
    (datetime.date(YEAR, 5, 20), "果树病虫害绿色防控", 160),
    (datetime.date(YEAR, 7, 15), "疏果套袋与果品分级", 150),
    (datetime.date(YEAR, 11, 12), "果园冬季管理", 130),
]
PLATFORM = "共享网络销售平台"
# (date, product, jin, yuan per jin): 630,000 jin in 2021.
SALES = [
    (datetime.date(YEAR, 5, 31), "桑椹", 85_000, "8"),
    (datetime.date(YEAR, 7, 31), "桃", 160_000, "3.5"),
    (datetime.date(YEAR, 8, 31), "葡萄", 90_000, "4"),
    (datetime.date(YEAR, 9, 30), "梨", 120_000, "2.2"),
    (datetime.date(YEAR, 10, 31), "苹果", 175_000, "3"),
]


def load(stdout) -> None:
    if Pairing.objects.exists():
        stdout.write("Development: already loaded")
        return
    generals = {
        int(g.code.rsplit("G", 1)[1]): g
        for g in Organization.objects.filter(kind=OrgKind.GENERAL, code__startswith=f"{TOWN_CODE}-G")
    }
    lead = Organization.objects.filter(kind=OrgKind.VILLAGE, name__startswith=LEAD, parent__isnull=False).first()
    if lead is None or not {2, 3, 5} <= set(generals):
        stdout.write("Development: the demo town is not loaded; nothing done")
        return
    secretaries = {
        p.organization_id: p.user
        for p in Position.objects.active().filter(role=Role.GENERAL_SECRETARY).select_related("user")
    }
    _figures(lead)
    _pairing(lead, secretaries.get(lead.parent_id))
    _events(generals[5], secretaries.get(generals[5].pk))
    trained, sold = _households(generals[2], secretaries.get(generals[2].pk))
    stdout.write(
        f"Development: {LEAD} leads 6 villages to 800 mu; job fairs employ "
        f"{sum(n for *_, n in JOB_FAIRS)}; trainings {trained} person-times; {sold:,} jin sold in {YEAR}"
    )


def _figures(lead) -> None:
    rng = random.Random(SEED)
    rows = []
    for village in Organization.objects.filter(kind=OrgKind.VILLAGE, code__startswith=TOWN_CODE).order_by("code"):
        per_capita = Decimal(35_600) if village.pk == lead.pk else Decimal(rng.randint(140, 300) * 100)
        rows.append(
            VillageFigures(
                village=village,
                year=YEAR,
                collective_income=village.collective_income_yuan or Decimal(0),
                income_per_capita=per_capita,
            )
        )
    VillageFigures.objects.bulk_create(rows)


def _pairing(lead, author) -> None:
    helped = list(
        Organization.objects.filter(kind=OrgKind.VILLAGE, parent_id=lead.parent_id).exclude(pk=lead.pk).order_by("code")
    )[:6]
    pairing = Pairing.objects.create(
        lead_village=lead,
        industry="设施蔬菜种植",
        goals="依托徐柏村蔬菜种植经验和销售渠道，统一供苗、统一技术、统一销售，辐射带动周边6个村发展蔬菜种植，增加村民收入。",
        start_date=datetime.date(2019, 3, 1),
        end_date=datetime.date(2023, 12, 31),
        created_by=author,
        updated_by=author,
    )
    pairing.helped_villages.set(helped)
    PairingProgress.objects.bulk_create(
        PairingProgress(
            pairing=pairing,
            date=day,
            area_mu=Decimal(area),
            households=households,
            income_before=Decimal(before),
            income_after=Decimal(after),
            notes=notes,
            created_by=author,
            updated_by=author,
        )
        for day, area, households, before, after, notes in PROGRESS
    )


def _events(general, author) -> None:
    zone, _ = Partner.objects.get_or_create(
        name=ZONE,
        defaults={"kind": PartnerKind.DEVELOPMENT_ZONE, "contact_note": "开发区人力资源服务中心，对接企业用工需求"},
    )
    PartnerEvent.objects.bulk_create(
        PartnerEvent(
            general_branch=general,
            partner=zone,
            kind=EventKind.JOB_FAIR,
            date=day,
            title=title,
            people_employed=employed,
            note="针对土地流转后富余劳动力较多的情况，在总支内举办企业专场招聘会",
            created_by=author,
            updated_by=author,
        )
        for day, title, employed in JOB_FAIRS
    )


def _households(general, author) -> tuple[int, int]:
    village = Organization.objects.filter(kind=OrgKind.VILLAGE, name__startswith="后安定", parent=general).first()
    member = (
        PartyMember.objects.current().filter(branch=village).order_by("name").first() if village is not None else None
    )
    expert = BranchResource.objects.create(
        general_branch=general,
        kind=ResourceKind.EXPERT,
        name=f"{member.name}（后安定村果树种植能手）" if member else "后安定村果树种植能手",
        specialty="果树种植专业技术、果业经营",
        member=member,
        created_by=author,
        updated_by=author,
    )
    # The households the expert works with: the fruit growers of 后安定's register (the services demo loads it first).
    expert.households.set(Household.objects.filter(village=village, active=True).order_by("number")[:12])
    BranchResource.objects.create(
        general_branch=general,
        kind=ResourceKind.COOPERATIVE,
        name="后安定果品专业合作社",
        specialty="果品收购、分级、包装",
        created_by=author,
        updated_by=author,
    )
    ResourceTraining.objects.bulk_create(
        ResourceTraining(resource=expert, date=day, topic=topic, person_times=n, created_by=author, updated_by=author)
        for day, topic, n in TRAININGS
    )
    SharedSale.objects.bulk_create(
        SharedSale(
            general_branch=general,
            product=product,
            channel=PLATFORM,
            quantity_jin=Decimal(jin),
            amount=Decimal(jin) * Decimal(price),
            date=day,
            created_by=author,
            updated_by=author,
        )
        for day, product, jin, price in SALES
    )
    return sum(n for *_, n in TRAININGS), sum(jin for _, _, jin, _ in SALES)
