"""The town dashboard (issue 11): for `town`, `gb3` and `v10` on the demo, each section shows only the persona's
scope, with figures recomputed here from the rows (without the selectors); a new progress record changes it on the
next load; the Excel export carries every section's table."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook

from anding.charts import percent
from branches.choices import MeetingKind, MeetingStatus, OrgKind, ReportStatus, Role
from branches.models import Meeting, MonthlyReport, Organization, RecruitmentCase, case_models, report_due_date
from branches.models.recruitment import Stage
from branches.months import add_months
from development.models import Pairing
from services.models import FundAllocation, FundExpense, Household, HouseholdVisit, ServiceCentre, ServiceSession

from ..conftest import progress
from .test_demo import generals

TODAY = timezone.localdate()
PERSONAS = ["town", "gb3", "v10"]


@pytest.fixture
def loaded(demo, db):
    return demo


def user(username):
    return get_user_model().objects.get(username=username)


def scope(username) -> list[Organization]:
    """The villages the persona answers for, read off the tree and the persona's position."""
    villages = Organization.objects.filter(kind=OrgKind.VILLAGE).order_by("tree_id", "lft")
    if username == "town":
        return list(villages)
    position = user(username).positions.exclude(role=Role.COMMITTEE_MEMBER).get()
    if position.organization.kind == OrgKind.GENERAL:
        return list(villages.filter(parent=position.organization))
    return [position.organization]


def groups(username) -> dict[str, list[Organization]]:
    """The dashboard's rows: per general branch for the town, per village below it."""
    villages = scope(username)
    if username == "town":
        return {g.name: [v for v in villages if v.parent_id == g.pk] for g in generals()}
    return {v.name: [v] for v in villages}


def dashboard(client_as, username):
    with translation.override("en"):
        response = client_as(user(username)).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return {s.key: s for s in response.context["sections"]}


def table(section) -> dict[str, list]:
    """A section's rows by their first cell's text, the other cells' values."""
    return {str(row[0]): [c.value for c in row[1:]] for row in section.rows}


def previous_month() -> datetime.date:
    return add_months(TODAY.replace(day=1), -1)


# --- scope -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", PERSONAS)
def test_each_section_shows_only_the_personas_scope(loaded, client_as, username):
    sections = dashboard(client_as, username)
    expected = set(groups(username))
    for key in ("reports", "meetings", "visits"):
        assert set(table(sections[key])) == expected, key
    assert set(table(sections["on-time"])) - {"All"} == expected


def test_the_sections_each_persona_sees(loaded, client_as):
    assert set(dashboard(client_as, "town")) == {
        "reports",
        "meetings",
        "on-time",
        "powers",
        "recruitment",
        "service-days",
        "visits",
        "funds",
        "development",
    }
    assert set(dashboard(client_as, "gb3")) == set(dashboard(client_as, "town"))
    # A village's secretary exercises no power and serves no centre; the demo's pairings leave 洪士庄 out.
    assert set(dashboard(client_as, "v10")) == {"reports", "meetings", "on-time", "recruitment", "visits", "funds"}


# --- figures recomputed from the rows ---------------------------------------------------------------------------


def expected_reports(villages, month) -> Counter:
    reports = {r.village_id: r for r in MonthlyReport.objects.filter(month=month, village__in=villages)}
    due = report_due_date(month)
    counts = Counter()
    for village in villages:
        report = reports.get(village.pk)
        first = report.first_submitted_at if report else None
        counts["villages"] += 1
        counts["submitted"] += first is not None
        counts["on_time"] += first is not None and timezone.localdate(first) <= due
        counts["missing"] += first is None
        counts["approved"] += report is not None and report.status == ReportStatus.APPROVED
    return counts


@pytest.mark.parametrize("username", PERSONAS)
def test_reports_of_the_month(loaded, client_as, username):
    rows = table(dashboard(client_as, username)["reports"])
    for name, villages in groups(username).items():
        villages_, submitted, on_time, _late, missing, _returned, approved = rows[name]
        counts = expected_reports(villages, previous_month())
        assert (villages_, submitted, on_time, missing, approved) == (
            counts["villages"],
            counts["submitted"],
            counts["on_time"],
            counts["missing"],
            counts["approved"],
        ), name


def trend_months() -> list[datetime.date]:
    last = TODAY.replace(day=1)
    while report_due_date(last) >= TODAY:
        last = add_months(last, -1)
    return [add_months(last, -n) for n in range(11, -1, -1)]


@pytest.mark.parametrize("username", PERSONAS)
def test_on_time_rate_over_twelve_months(loaded, client_as, username):
    section = dashboard(client_as, username)["on-time"]
    rows = table(section)
    months = trend_months()
    assert section.headers[1].startswith(f"{months[0]:%Y-%m}")
    everyone, on_time_all = 0, Counter()
    for name, villages in groups(username).items():
        reports = MonthlyReport.objects.filter(village__in=villages, first_submitted_at__isnull=False)
        on_time = Counter(
            r.month for r in reports if timezone.localdate(r.first_submitted_at) <= report_due_date(r.month)
        )
        assert rows[name] == [percent(on_time[m], len(villages)) for m in months], name
        everyone += len(villages)
        on_time_all.update(on_time)
    if username == "town":
        assert rows["All"] == [percent(on_time_all[m], everyone) for m in months]
    assert any(rate for row in rows.values() for rate in row)  # the demo's reports are mostly on time


def last_quarter_end() -> datetime.date:
    month = TODAY.replace(day=1)
    return add_months(month, -((TODAY.month - 1) % 3) - 1)


@pytest.mark.parametrize("username", PERSONAS)
def test_three_meetings_and_a_lesson(loaded, client_as, username):
    rows = table(dashboard(client_as, username)["meetings"])
    month, quarter_end = previous_month(), last_quarter_end()
    quarter = (add_months(quarter_end, -2), add_months(quarter_end, 1) - datetime.timedelta(days=1))
    monthly = (MeetingKind.BRANCH_COMMITTEE, MeetingKind.PARTY_GROUP, MeetingKind.THEMED_DAY)
    quarterly = (MeetingKind.BRANCH_ASSEMBLY, MeetingKind.PARTY_LECTURE)
    for name, villages in groups(username).items():
        held = Meeting.objects.filter(
            organization__in=villages, status__in=(MeetingStatus.HELD, MeetingStatus.REVIEWED)
        )
        kinds = {v.pk: set() for v in villages}
        for m in held:
            in_month = (m.held_on.year, m.held_on.month) == (month.year, month.month)
            if (m.kind in monthly and in_month) or (m.kind in quarterly and quarter[0] <= m.held_on <= quarter[1]):
                kinds[m.organization_id].add(m.kind)
        expected = [sum(kind in k for k in kinds.values()) for kind in (*monthly, *quarterly)]
        complete = sum(len(k) == 5 for k in kinds.values())
        assert rows[name] == [len(villages), *expected, complete], name


@pytest.mark.parametrize("username", ["town", "gb3"])
def test_open_cases_by_power(loaded, client_as, username):
    rows = table(dashboard(client_as, username)["powers"])
    villages = scope(username)
    for model in case_models().values():
        cases = list(model.objects.filter(village__in=villages))
        open_cases = [c for c in cases if c.closed_on is None]
        expected = [
            len(open_cases),
            sum(c.due_on is not None and c.due_on < TODAY for c in open_cases),
            sum(c.closed_on is not None and c.closed_on.year == TODAY.year for c in cases),
        ]
        with translation.override("en"):
            label = str(model.power_label())
        assert rows[label] == expected, model.power
    assert sum(r[0] for r in rows.values()) > 0


@pytest.mark.parametrize("username", PERSONAS)
def test_recruitment_by_stage(loaded, client_as, username):
    rows = table(dashboard(client_as, username)["recruitment"])
    stages = Counter(RecruitmentCase.objects.filter(village__in=scope(username)).values_list("stage", flat=True))
    for stage in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY):
        with translation.override("en"):
            label = str(stage.label)
        assert rows[label] == [stages[stage]]


@pytest.mark.parametrize("username", ["town", "gb3"])
def test_service_days_on_target(loaded, client_as, username):
    with translation.override("en"):
        rows = table(dashboard(client_as, username)["service-days"])
        centres = ServiceCentre.objects.all()
        if username == "gb3":
            centres = centres.filter(general_branches=user("gb3").positions.get().organization)
        names = {c.pk: c.name for c in centres}
    assert set(rows) == set(names.values())
    for centre in centres:
        sessions = ServiceSession.objects.filter(centre=centre, date__year=TODAY.year).prefetch_related(
            "departments", "records__service_item"
        )
        months: dict[int, list] = {}
        for s in sessions:
            months.setdefault(s.date.month, []).append(s)
        ended = [m for m in range(1, 13) if datetime.date(TODAY.year, m, 1) <= add_months(TODAY.replace(day=1), -1)]

        def on_target(m, months=months):
            held = months.get(m, [])
            departments = {d.pk for s in held for d in s.departments.all()}
            items = {r.service_item for s in held for r in s.records.all()}
            return (
                len(held) >= 5
                and len(departments) >= 8
                and len(items) >= 19
                and len({i.category_id for i in items}) >= 3
            )

        good = sum(on_target(m) for m in ended)
        assert rows[names[centre.pk]] == [len(sessions), len(ended), good, len(ended) - good]


@pytest.mark.parametrize("username", PERSONAS)
def test_household_visit_coverage(loaded, client_as, username):
    rows = table(dashboard(client_as, username)["visits"])
    for name, villages in groups(username).items():
        households = Household.objects.filter(village__in=villages, active=True).count()
        visits = HouseholdVisit.objects.filter(household__village__in=villages, date__year=TODAY.year)
        visited = len({v.household_id for v in visits.select_related("household") if v.household.active})
        assert rows[name][:4] == [households, visited, percent(visited, households), visits.count()], name


@pytest.mark.parametrize("username", PERSONAS)
def test_funds_spent_against_allocated(loaded, client_as, username):
    rows = table(dashboard(client_as, username)["funds"])
    villages = scope(username)
    nodes = {v.pk for v in villages} | ({v.parent_id for v in villages} if username != "v10" else set())
    if username == "town":
        nodes |= set(Organization.objects.filter(kind=OrgKind.TOWN).values_list("pk", flat=True))
    allocations = FundAllocation.objects.filter(year=TODAY.year, organization__in=nodes)
    allocated = sum((a.amount for a in allocations), Decimal(0))
    spent = sum((e.amount for e in FundExpense.objects.filter(allocation__in=allocations)), Decimal(0))
    assert allocated > 0
    assert rows["Total"][:3] == [allocated, spent, allocated - spent]


def test_the_demo_ledger_shows_the_sources_figures(loaded, client_as):
    section = dashboard(client_as, "town")["development"]
    figures = {str(f.label): f.value for f in section.figures}
    assert section.title == "Shared development in 2021"
    assert figures["villages driven"] == 6
    assert figures["area (mu)"] == 800
    assert figures["people employed"] >= 100
    assert figures["person-times trained"] >= 600


def test_a_new_progress_record_changes_the_dashboard_on_the_next_load(loaded, client_as):
    pairing = Pairing.objects.get()
    secretary = user("gb3")
    assert pairing.lead_village.parent == secretary.positions.get().organization
    latest = pairing.progress.order_by("date").last()
    assert latest.date < datetime.date(2021, 12, 31)
    progress(
        secretary, pairing, area="950", households=120, before="20000", after="23000", date=datetime.date(2021, 12, 31)
    )
    for username in ("town", "gb3"):
        section = dashboard(client_as, username)["development"]
        figures = {str(f.label): f.value for f in section.figures}
        assert section.title == "Shared development in 2021"
        assert figures["area (mu)"] == Decimal("950")


def test_the_export_has_a_sheet_per_section(loaded, client_as):
    with translation.override("en"):
        response = client_as(user("gb3")).get("/?export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    workbook = load_workbook(io.BytesIO(response.content))
    sections = dashboard(client_as, "gb3")
    assert len(workbook.sheetnames) == len(sections)
    sheet = workbook[workbook.sheetnames[0]]
    assert sheet.max_row == 1 + len(sections["reports"].rows)


def test_a_bar_opens_the_rows_behind_it(loaded, client_as):
    with translation.override("en"):
        page = client_as(user("town")).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = dashboard(client_as, "town")["powers"]
    bars = [bar for chart in section.all_charts if chart.kind == "bars" for bar in chart.bars if bar.value]

    assert bars and all(bar.url for bar in bars)
    for bar in bars:
        assert f'<a href="{escape(bar.url)}" tabindex="-1">' in page  # the keyboard has the table's links
