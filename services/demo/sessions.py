"""The demo of the service days: the centres linked to the six
general branches, one staff account per department (named in pinyin: sifa, guihua, ...), and a year of half-days
with their records, one centre falling short one month with 4 half-days. Idempotent: accounts are found again, and
the half-days are made only when none exist."""

import calendar
import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from branches.choices import OrgKind, Role
from branches.demo.story import MONTHS_BACK, TOWN_CODE
from branches.models import Organization, Position
from branches.months import add_months

from ..choices import Half, Outcome
from ..models import Department, DepartmentStaff, ServiceCentre, ServiceItem, ServiceRecord, ServiceSession

__all__ = ["CENTRE_BRANCHES", "SHORT_CENTRE", "SHORT_MONTHS_BACK", "load"]

SEED = "110115105-services"
# Which general branches (by number) each centre serves: 5 centres for 6 general branches.
CENTRE_BRANCHES = {"centre-1": [1, 2], "centre-2": [3], "centre-3": [4], "centre-4": [5], "centre-5": [6]}
SHORT_CENTRE = "centre-3"  # held only 4 half-days in the month SHORT_MONTHS_BACK months before the current one
SHORT_MONTHS_BACK = 6
DEPARTMENTS_PER_SESSION = 4
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林郑"
GIVEN = "秀英 桂兰 建国 建华 国强 志刚 淑珍 玉兰 海燕 春生 宝山 凤英 德明 振华 丽娟 永利".split()


def load(stdout) -> None:
    town = Organization.objects.filter(code=TOWN_CODE).first()
    if town is None:
        stdout.write("Services: the demo town is not loaded; nothing done")
        return
    _link_centres()
    staff = _load_staff(town)
    made = _load_sessions(staff)
    names = ", ".join(user.username for user in staff.values())
    stdout.write(f"Services: department staff accounts {names}; half-days {made[0]} and records {made[1]} created")


def _link_centres() -> None:
    generals = {g.code: g for g in Organization.objects.filter(kind=OrgKind.GENERAL, code__startswith=TOWN_CODE)}
    for centre in ServiceCentre.objects.filter(code__in=CENTRE_BRANCHES):
        if not centre.general_branches.exists():
            centre.general_branches.set(
                [generals[f"{TOWN_CODE}-G{n}"] for n in CENTRE_BRANCHES[centre.code] if f"{TOWN_CODE}-G{n}" in generals]
            )


def _load_staff(town) -> dict[int, object]:
    """{department id: its staff account}: username the department's code (pinyin), the demo password."""
    users = get_user_model()
    password = None
    staff = {}
    for department in Department.objects.all():
        user = users.objects.filter(username=department.code).first()
        if user is None:
            password = password or make_password(settings.DEMO_PASSWORD)
            user = users(username=department.code, full_name=f"{department.name_zh}工作人员", password=password)
            user.save()
        if not Position.objects.filter(user=user, organization=town, role=Role.DEPARTMENT_STAFF).exists():
            Position.objects.create(
                user=user,
                organization=town,
                role=Role.DEPARTMENT_STAFF,
                title=f"{department.name_zh}部门工作人员",
                start_date=datetime.date(2024, 1, 1),
            )
        DepartmentStaff.objects.get_or_create(user=user, defaults={"department": department})
        staff[department.pk] = user
    return staff


def _days(month: datetime.date, offset: int, count: int, today: datetime.date) -> list[datetime.date]:
    """`count` weekdays of `month` spread over it (shifted by `offset`), none after `today`."""
    last = calendar.monthrange(month.year, month.month)[1]
    weekdays = [month.replace(day=d) for d in range(1, last + 1) if month.replace(day=d).weekday() < 5]
    step = max(len(weekdays) // count, 1)
    days = [weekdays[min(offset % step + i * step, len(weekdays) - 1)] for i in range(count)]
    return [d for d in dict.fromkeys(days) if d <= today]


def _load_sessions(staff) -> tuple[int, int]:
    if ServiceSession.objects.exists():
        return 0, 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    current = today.replace(day=1)
    departments = list(Department.objects.order_by("order", "code"))
    items = {}
    for item in ServiceItem.objects.order_by("order", "code"):
        items.setdefault(item.department_id, []).append(item)
    centres = list(ServiceCentre.objects.prefetch_related("general_branches").order_by("order", "code"))
    villages = {
        c.pk: list(
            Organization.objects.filter(kind=OrgKind.VILLAGE, parent__in=c.general_branches.all()).order_by("code")
        )
        for c in centres
    }
    plans = []
    for back in range(MONTHS_BACK, -1, -1):
        month = add_months(current, -back)
        for index, centre in enumerate(centres):
            if not villages[centre.pk]:
                continue
            count = 4 if (centre.code == SHORT_CENTRE and back == SHORT_MONTHS_BACK) else 5
            visits = {}
            for k, day in enumerate(_days(month, index, count, today)):
                session = ServiceSession(centre=centre, date=day, half=Half.MORNING if k % 2 == 0 else Half.AFTERNOON)
                present = [departments[(2 * k + j) % len(departments)] for j in range(DEPARTMENTS_PER_SESSION)]
                plans.append((session, centre, present, visits))
    ServiceSession.objects.bulk_create(s for s, *_ in plans)
    through_departments, through_staff, records = [], [], []
    for session, centre, present, visits in plans:
        for department in present:
            user = staff[department.pk]
            through_departments.append(
                ServiceSession.departments.through(servicesession_id=session.pk, department_id=department.pk)
            )
            through_staff.append(ServiceSession.staff.through(servicesession_id=session.pk, user_id=user.pk))
            own = items.get(department.pk, [])
            visit = visits.get(department.pk, 0)
            visits[department.pk] = visit + 1
            for n in range(2):
                if not own:
                    continue
                item = own[(2 * visit + n) % len(own)]
                records.append(_record(rng, session, department, item, rng.choice(villages[centre.pk]), user, today))
    ServiceSession.departments.through.objects.bulk_create(through_departments)
    ServiceSession.staff.through.objects.bulk_create(through_staff)
    ServiceRecord.objects.bulk_create(records, batch_size=500)
    return len(plans), len(records)


def _record(rng, session, department, item, village, user, today) -> ServiceRecord:
    roll = rng.random()
    outcome = Outcome.FOLLOW_UP if roll < 0.1 else Outcome.REFERRED if roll < 0.2 else Outcome.RESOLVED
    record = ServiceRecord(
        session=session,
        date=session.date,
        department=department,
        service_item=item,
        villager_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        village=village,
        phone="13" + "".join(rng.choice("0123456789") for _ in range(9)),
        request=f"{item.name_zh}：{rng.choice(['咨询办理流程', '询问所需材料', '申请办理', '反映困难'])}",
        outcome=outcome,
        created_by=user,
        updated_by=user,
    )
    if outcome == Outcome.FOLLOW_UP:
        record.due_on = session.date + datetime.timedelta(days=14)
        if record.due_on < today - datetime.timedelta(days=10):
            record.closed_on = record.due_on - datetime.timedelta(days=2)
            record.closing_note = "已回访，问题已解决"
    return record
