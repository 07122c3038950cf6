"""The benchmark: how the portal's pages behave on data far larger than one town.

`manage.py benchmark --towns N` builds a district of N synthetic towns shaped like Anding (6 general branches,
33 villages, about 50 members per village, a year of meetings and monthly reports, a few deployed tasks) in the
configured database, then serves the main pages and API lists to a district cadre, a town cadre, a general-branch
secretary and a village secretary, and prints the queries and the median time of each. Query counts must not
depend on N (the tests assert that); the times show how the database copes.

Run it on a database of its own (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/anding_bench): the data
is written in bulk for speed, not through the workflow actions, and it stays there for a rerun with --measure.
"""

import datetime
import random
import statistics
import time

from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anding.models import User

from .choices import Gender, MeetingKind, MeetingStatus, MemberStatus, OrgKind, ReportStatus, Role
from .models import Meeting, MonthlyReport, Organization, PartyMember, Position, Task, TaskAssignment
from .tree import tree_lock
from .validators import id_check_char

__all__ = ["PAGES", "build", "measure"]

DISTRICT_CODE = "BENCH"
PASSWORD = "Bench-Pass-2026"
PAGES = [
    "/",
    "/org/",
    "/members/",
    "/members/?q=王",
    "/meetings/",
    "/tasks/",
    "/reports/",
    "/reports/completeness/",
    "/api/organizations/",
    "/api/members/",
    "/api/meetings/",
    "/api/reports/",
]
VILLAGES_PER_GENERAL = (5, 6, 7, 5, 5, 5)
MEMBERS_PER_VILLAGE = 50
MONTHS = 12


def _months(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


def _user(username: str, role: str, org: Organization) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": username})
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    Position.objects.get_or_create(
        user=user, organization=org, role=role, defaults={"start_date": datetime.date(2024, 1, 1)}
    )
    return user


def build(towns: int, stdout) -> None:
    """Add towns until the benchmark district has `towns` of them (existing ones are kept)."""
    rng = random.Random(towns)
    today = timezone.localdate()
    months = _months(today)
    with tree_lock():
        district, _ = Organization.objects.get_or_create(
            code=DISTRICT_CODE, defaults={"kind": OrgKind.DISTRICT, "name": "基准测试区委"}
        )
    _user("bench-district", Role.TOWN_CADRE, district)
    have = Organization.objects.filter(parent=district).count()
    for t in range(have, towns):
        started = time.perf_counter()
        with transaction.atomic():
            town = Organization(
                kind=OrgKind.TOWN, name=f"基准镇{t + 1:03d}党委", code=f"{DISTRICT_CODE}-{t + 1:03d}", parent=district
            )
            town.save()
            town_user = _user(f"bench-town{t + 1:03d}", Role.TOWN_CADRE, town)
            villages = []
            for g, count in enumerate(VILLAGES_PER_GENERAL, start=1):
                general = Organization(
                    kind=OrgKind.GENERAL, name=f"第{g}联村党总支", code=f"{town.code}-G{g}", parent=town
                )
                general.save()
                _user(f"bench-gb{t + 1:03d}-{g}", Role.GENERAL_SECRETARY, general)
                for v in range(count):
                    village = Organization(
                        kind=OrgKind.VILLAGE,
                        name=f"{g}-{v + 1}村党支部",
                        code=f"{general.code}-V{v + 1}",
                        parent=general,
                    )
                    village.save()
                    villages.append(village)
            secretaries = {
                v.pk: _user(f"bench-v{t + 1:03d}-{n + 1:02d}", Role.VILLAGE_SECRETARY, v)
                for n, v in enumerate(villages)
            }
            _members(villages, t, rng)
            _meetings_and_reports(villages, secretaries, months, rng)
            task = Task.objects.create(
                title=f"基准任务{t + 1}",
                issued_by=town,
                due_date=today + datetime.timedelta(days=10),
                created_by=town_user,
            )
            TaskAssignment.objects.bulk_create(
                TaskAssignment(task=task, assignee=org) for org in Organization.objects.filter(parent=town)
            )
        stdout.write(f"  town {t + 1}/{towns} built in {time.perf_counter() - started:.1f} s")


def _members(villages, town_index: int, rng: random.Random) -> None:
    members = []
    for v, village in enumerate(villages):
        for n in range(MEMBERS_PER_VILLAGE):
            birth = datetime.date(1940 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
            male = rng.random() < 0.7
            # Area 11xxxx keeps the numbers apart from the demo's 110115.
            first17 = f"11{town_index % 10000:04d}{birth:%Y%m%d}{v % 100:02d}{(2 * n + (1 if male else 0)) % 10}"
            first17 = first17[:14] + f"{(v * 7 + n) % 1000:03d}"
            first17 = first17[:16] + str((int(first17[16]) // 2) * 2 + (1 if male else 0))
            member = PartyMember(
                name=f"{'王李张刘陈杨'[n % 6]}{'建国秀英志强丽华'[n % 8]}{n}",
                gender=Gender.MALE if male else Gender.FEMALE,
                birth_date=birth,
                id_number=first17 + id_check_char(first17),
                branch=village,
                status=MemberStatus.FULL if n % 20 else MemberStatus.PROBATIONARY,
                joined_on=datetime.date(2000 + n % 20, 7, 1),
            )
            member.sync_digest()
            members.append(member)
    PartyMember.objects.bulk_create(members, batch_size=2000, ignore_conflicts=True)


def _meetings_and_reports(villages, secretaries, months, rng: random.Random) -> None:
    meetings, reports = [], []
    kinds = (MeetingKind.BRANCH_COMMITTEE, MeetingKind.PARTY_GROUP, MeetingKind.THEMED_DAY, MeetingKind.PARTY_LECTURE)
    for village in villages:
        writer = secretaries[village.pk]
        for month in months:
            for kind in kinds:
                day = month.replace(day=5 + rng.randrange(20))
                meetings.append(
                    Meeting(
                        organization=village,
                        general_branch=village.parent,
                        kind=kind,
                        status=MeetingStatus.HELD,
                        title=f"{month:%Y-%m} {kind.label}",
                        planned_for=day,
                        held_on=day,
                        created_by=writer,
                    )
                )
            submitted = timezone.make_aware(datetime.datetime.combine(month.replace(day=28), datetime.time(10)))
            reports.append(
                MonthlyReport(
                    village=village,
                    general_branch=village.parent,
                    month=month,
                    status=ReportStatus.APPROVED,
                    narrative="基准测试月报。",
                    first_submitted_at=submitted,
                    submitted_at=submitted,
                    submitted_by=writer,
                    created_by=writer,
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    MonthlyReport.objects.bulk_create(reports, batch_size=2000, ignore_conflicts=True)


def measure(stdout, runs: int = 5) -> None:
    """Serve every page to each persona `runs` times: the queries of one request and the median time."""
    personas = ["bench-district", "bench-town001", "bench-gb001-3", "bench-v001-01"]
    totals = {
        "towns": Organization.objects.filter(kind=OrgKind.TOWN, parent__code=DISTRICT_CODE).count(),
        "villages": Organization.objects.filter(kind=OrgKind.VILLAGE, code__startswith=DISTRICT_CODE).count(),
        "members": PartyMember.objects.filter(branch__code__startswith=DISTRICT_CODE).count(),
        "meetings": Meeting.objects.filter(organization__code__startswith=DISTRICT_CODE).count(),
        "reports": MonthlyReport.objects.filter(village__code__startswith=DISTRICT_CODE).count(),
    }
    stdout.write(f"Data ({connection.vendor}): " + ", ".join(f"{v:,} {k}" for k, v in totals.items()))
    stdout.write(f"{'persona':<16} {'page':<26} {'status':>6} {'queries':>7} {'median ms':>9}")
    for username in personas:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in PAGES:
            timings = []
            for _ in range(runs):
                reset_queries()  # the query log is bounded; start each request with an empty one
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(page)
                    timings.append(1000 * (time.perf_counter() - started))
            stdout.write(
                f"{username:<16} {page:<26} {response.status_code:>6} {len(queries):>7} {statistics.median(timings):>9.1f}"
            )
