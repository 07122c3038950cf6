"""The demo of the special funds: for last year and this one, the four purposes allocated to each general branch
and two purposes to the first two villages of each, with expenses recorded through the actions by the officers of
each node (their vouchers small PDFs made here). Last year's funds are mostly spent, one of this year's nearly.
Idempotent: nothing is made when any allocation exists."""

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from branches.choices import OrgKind, Role
from branches.demo.story import TOWN_CODE
from branches.models import Organization, Position

from .. import actions
from ..choices import FundPurpose
from ..models import FundAllocation

__all__ = ["NEARLY_SPENT", "load", "voucher_pdf"]

SEED = "110115105-funds"
CENT = Decimal("0.01")
# Yuan allocated to a general branch and to a village, by purpose.
GENERAL_AMOUNTS = {
    FundPurpose.GENERAL_BRANCH: Decimal("50000"),
    FundPurpose.PARTY_BUILDING: Decimal("30000"),
    FundPurpose.PUBLIC_SERVICES: Decimal("80000"),
    FundPurpose.LIVELIHOOD: Decimal("120000"),
}
VILLAGE_AMOUNTS = {FundPurpose.PARTY_BUILDING: Decimal("8000"), FundPurpose.LIVELIHOOD: Decimal("30000")}
NEARLY_SPENT = (1, FundPurpose.PARTY_BUILDING)  # this year's fund of the 1st general branch: 96 % spent
USES = {
    FundPurpose.GENERAL_BRANCH: ["总支活动室桌椅", "总支工作例会资料印制", "总支办公用品"],
    FundPurpose.PARTY_BUILDING: ["党课教材", "主题党日活动交通", "党员学习资料", "党建宣传栏制作"],
    FundPurpose.PUBLIC_SERVICES: ["便民服务点设备", "村内路灯维修", "服务中心桌椅", "公共厕所保洁"],
    FundPurpose.LIVELIHOOD: ["困难群众慰问", "农业技术培训", "果蔬销售平台推广", "水渠清淤"],
}


def voucher_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines` (ASCII): a voucher made in code, well formed (its cross-reference table
    points at each object)."""
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 11 Tf 40 120 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 160] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def load(stdout) -> None:
    town = Organization.objects.filter(code=TOWN_CODE).first()
    if town is None or FundAllocation.objects.exists():
        stdout.write("Special funds: already loaded, or the demo town is not; nothing done")
        return
    cadre = _holder(town, Role.TOWN_CADRE)
    if cadre is None:
        stdout.write("Special funds: the demo town has no town cadre; nothing done")
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    made = [0, 0]
    generals = Organization.objects.filter(kind=OrgKind.GENERAL, parent=town).order_by("code")
    for number, general in enumerate(generals, start=1):
        spender = _holder(general, Role.GENERAL_SECRETARY) or cadre
        for year in (today.year - 1, today.year):
            for purpose, amount in GENERAL_AMOUNTS.items():
                nearly = year == today.year and (number, purpose) == NEARLY_SPENT
                _fund(rng, made, cadre, spender, general, year, purpose, amount, today, nearly)
        villages = Organization.objects.filter(kind=OrgKind.VILLAGE, parent=general).order_by("code")[:2]
        for village in villages:
            spender = _holder(village, Role.VILLAGE_SECRETARY) or cadre
            for year in (today.year - 1, today.year):
                for purpose, amount in VILLAGE_AMOUNTS.items():
                    _fund(rng, made, cadre, spender, village, year, purpose, amount, today, False)
    stdout.write(f"Special funds: {made[0]} allocations and {made[1]} expenses with their vouchers created")


def _holder(node, role):
    position = Position.objects.active().filter(organization=node, role=role).select_related("user").first()
    return position.user if position else None


def _fund(rng, made, cadre, spender, node, year, purpose, amount, today, nearly) -> None:
    allocation = actions.allocate(
        actor=cadre, year=year, purpose=purpose, organization=node, amount=amount, note=f"{year}年度专项经费"
    )
    made[0] += 1
    # The share spent: last year's mostly, this year's as far as the year has gone; the nearly spent one 96 %.
    if nearly:
        share = Decimal("0.96")
    elif year < today.year:
        share = Decimal(rng.randint(75, 100)) / 100
    else:
        share = Decimal(round((today.timetuple().tm_yday / 366) * rng.randint(40, 90))) / 100
    budget = (amount * share).quantize(CENT)
    if budget < 100:
        return
    # Three parts that add up to the budget exactly, in fen, on dates spread over the year (none after today).
    base = (budget / 3).quantize(CENT)
    parts = [base - Decimal(rng.randint(0, 99)) / 100 for _ in range(2)]
    parts.append(budget - sum(parts))
    first, last = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    for n, part in enumerate(parts):
        day = first + datetime.timedelta(days=round((last - first).days * (n + 1) / 4))
        use = USES[purpose][(n + made[1]) % len(USES[purpose])]
        lines = [f"Voucher {day:%Y-%m-%d}", f"Amount CNY {part:,.2f}", f"Fund {node.code} {year} {purpose}"]
        actions.expense_record(
            actor=spender,
            allocation=allocation,
            date=day,
            amount=part,
            purpose=use,
            voucher=SimpleUploadedFile(f"voucher-{node.code}-{year}-{purpose}-{n + 1}.pdf", voucher_pdf(lines)),
        )
        made[1] += 1
