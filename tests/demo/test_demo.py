"""`manage.py load_demo`: the town of the source with its figures, idempotent, and scoped like real data (the demo
is the package's fixture, tests/demo/conftest.py)."""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from anding.models import AuditEvent
from branches.choices import OrgKind, Role
from branches.models import Organization, PartyMember, Position
from branches.validators import id_number_birth_date, validate_id_number

from ..conftest import dashboard_figures

# The 33 administrative villages of 安定镇 (reference/domain.md, section 1).
VILLAGE_NAMES = (
    "堡林庄 后安定 前安定 沙河 站上 高店 后野厂 前野厂 杜庄屯 洪士庄 潘家马房 郑福庄 驴房 兴安营 善台子 西芦各庄 "
    "东芦各庄 安定车站 汤营 伙达营 通州马房 于家务 后辛房 前辛房 西白塔 东白塔 周园子 徐柏 皋营 马各庄 佟家务 大渠 佟营"
).split()


@pytest.fixture
def town(demo, db):
    return Organization.objects.get(kind=OrgKind.TOWN)


def generals():
    """The general branches in their order (1st to 6th)."""
    return list(Organization.objects.filter(kind=OrgKind.GENERAL).order_by("code"))


def village(name: str) -> Organization:
    return Organization.objects.get(kind=OrgKind.VILLAGE, name=f"{name}村党支部")


def position_of(username: str, role: str) -> Position:
    return Position.objects.active().select_related("organization").get(user__username=username, role=role)


def model_counts() -> dict[str, int]:
    labels = ("anding", "branches", "services", "development", "auth", "authtoken")
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in labels and model is not AuditEvent
    }


def test_the_town_has_its_general_branches_and_real_villages(town):
    assert town.name == "安定镇党委"
    assert Organization.objects.filter(kind=OrgKind.TOWN).count() == 1
    assert len(generals()) == 6
    assert all(g.parent == town for g in generals())
    names = set(Organization.objects.filter(kind=OrgKind.VILLAGE).values_list("name", flat=True))
    assert names == {f"{name}村党支部" for name in VILLAGE_NAMES}


def test_the_roster_has_1619_members(town):
    assert PartyMember.objects.count() == 1619
    assert PartyMember.objects.current().count() == 1619
    assert not Organization.objects.filter(kind=OrgKind.VILLAGE, members__isnull=True).exists()


def test_the_officers_of_the_source(town):
    active = Position.objects.active()

    assert active.filter(role=Role.GENERAL_SECRETARY).count() == 6
    assert active.filter(role=Role.DEPUTY_SECRETARY).count() == 25
    assert active.filter(role=Role.VILLAGE_SECRETARY).count() == 33
    assert active.filter(role=Role.TOWN_CADRE, organization=town).exists()
    for general in generals():
        assert active.filter(role=Role.GENERAL_SECRETARY, organization=general).count() == 1
    for node in Organization.objects.filter(kind=OrgKind.VILLAGE):
        assert active.filter(role=Role.VILLAGE_SECRETARY, organization=node).count() == 1, node


def test_xubai_is_in_the_third_general_branch_with_at_least_six_neighbours(town):
    xubai = village("徐柏")

    assert xubai.parent == generals()[2]
    assert xubai.get_siblings().filter(kind=OrgKind.VILLAGE).count() >= 6


def test_houanding_is_in_the_second_general_branch(town):
    assert village("后安定").parent == generals()[1]


def test_every_village_has_a_liaison_deputy_of_its_own_general_branch(town):
    for node in Organization.objects.filter(kind=OrgKind.VILLAGE):
        liaisons = Position.objects.active().filter(role=Role.DEPUTY_SECRETARY, liaison_villages=node)
        assert liaisons.exists(), node.name
        assert all(p.organization_id == node.parent_id for p in liaisons), node.name


def test_demo_members_have_valid_consistent_id_numbers(town):
    members = list(PartyMember.objects.all())

    for member in members:
        validate_id_number(member.id_number)
        assert id_number_birth_date(member.id_number) == member.birth_date
    assert len({m.id_number_digest for m in members}) == len(members)


def test_the_tree_is_sound(town):
    out = io.StringIO()
    call_command("check_tree", stdout=out)

    assert "sound (40 nodes)" in out.getvalue()


def test_a_second_run_changes_no_count(town):
    before = model_counts()

    call_command("load_demo", stdout=io.StringIO())

    assert model_counts() == before


def test_the_command_prints_the_figures_and_the_accounts(demo):
    for text in ["1,619", "v01", "gb1", "town", settings.DEMO_PASSWORD]:
        assert text in demo


def test_11_the_demo_has_three_administrators_one_role_each_and_no_superuser(demo, town):
    from django.contrib.auth import get_user_model

    from anding import duties

    admins = {
        user.username: duties.admin_roles(user)
        for user in get_user_model().objects.filter(is_staff=True).prefetch_related("groups")
    }
    assert admins == {
        "sysadmin": {duties.SYSTEM_ADMIN},
        "secadmin": {duties.SECURITY_ADMIN},
        "auditadmin": {duties.AUDIT_ADMIN},
    }
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    for username in admins:
        assert username in demo
    out = io.StringIO()
    call_command("check_duties", stdout=out)
    assert "no breach" in out.getvalue()


def test_11_the_demos_system_administrator_sees_the_tree_but_no_member(as_user):
    client = as_user("sysadmin")

    assert client.get("/admin/branches/organization/").context["cl"].result_count == 40
    assert client.get("/admin/branches/partymember/").status_code == 403
    assert client.get("/members/").context["paginator"].count == 0
    assert client.get("/api/members/").json()["count"] == 0
    assert client.get("/members/?export=xlsx").status_code == 403


def test_the_demos_town_cadre_may_export_the_roster_and_reveal_an_id_number(as_user):
    client = as_user("town")
    member = PartyMember.objects.first()

    assert client.get("/members/?export=xlsx").status_code == 200
    assert client.post(f"/members/{member.pk}/reveal-id/", {"reason": "核对档案材料"}).status_code == 200


def test_demo_accounts_log_in_with_the_printed_password(client, town):
    assert client.login(username="v01", password=settings.DEMO_PASSWORD)


# The demo seen by its personas --------------------------------------------------------------------------------


@pytest.fixture
def as_user(client_as, town):
    def make(username):
        from django.contrib.auth import get_user_model

        return client_as(get_user_model().objects.get(username=username))

    return make


def test_a_village_secretary_sees_only_their_village(as_user):
    own = position_of("v01", Role.VILLAGE_SECRETARY).organization
    other = Organization.objects.filter(kind=OrgKind.VILLAGE).exclude(pk=own.pk).first()
    other_member = other.members.first()
    client = as_user("v01")

    assert [n.pk for n in client.get("/org/").context["nodes"]] == [own.pk]
    assert client.get(f"/org/{own.pk}/").status_code == 200
    assert client.get("/members/").context["paginator"].count == own.members.count()
    assert client.get(f"/org/{other.pk}/").status_code == 404
    assert client.get(f"/org/{own.parent_id}/").status_code == 404
    assert client.get(f"/members/{other_member.pk}/").status_code == 404
    assert client.get(f"/members/{other_member.pk}/edit/").status_code == 404
    assert client.get(f"/api/organizations/{other.pk}/").status_code == 404
    assert client.get(f"/api/members/{other_member.pk}/").status_code == 404
    assert client.get("/api/members/").json()["count"] == own.members.count()


def test_a_general_secretary_sees_their_branch_and_its_villages(as_user):
    own = position_of("gb1", Role.GENERAL_SECRETARY).organization
    sibling = position_of("gb2", Role.GENERAL_SECRETARY).organization
    sibling_village = sibling.get_children().first()
    client = as_user("gb1")

    shown = {n.pk for n in client.get("/org/").context["nodes"]}
    assert shown == {own.pk, *own.get_children().values_list("pk", flat=True)}
    members = PartyMember.objects.filter(branch__parent=own).count()
    assert client.get("/members/").context["paginator"].count == members
    assert client.get(f"/org/{own.pk}/").status_code == 200
    assert client.get(f"/org/{sibling.pk}/").status_code == 404
    assert client.get(f"/org/{sibling_village.pk}/").status_code == 404
    assert client.get(f"/members/{sibling_village.members.first().pk}/").status_code == 404
    assert client.get(f"/api/organizations/{sibling.pk}/").status_code == 404


def test_a_deputy_sees_their_general_branch_but_edits_nothing(as_user):
    position = position_of("dep01", Role.DEPUTY_SECRETARY)
    member = PartyMember.objects.filter(branch__in=position.liaison_villages.all()).first()
    client = as_user("dep01")

    assert client.get(f"/org/{position.organization_id}/").status_code == 200
    assert client.get(f"/members/{member.pk}/").status_code == 200
    assert client.get(f"/members/{member.pk}/edit/").status_code == 403


def test_the_town_cadre_sees_everything(as_user):
    client = as_user("town")

    assert len(client.get("/org/").context["nodes"]) == 40
    assert client.get("/members/").context["paginator"].count == 1619
    assert client.get("/api/organizations/").json()["count"] == 40
    assert client.get("/api/members/").json()["count"] == 1619
    figures = dashboard_figures(client.get("/"))
    assert figures["joint general branches"] == 6
    assert figures["village branches"] == 33
    assert figures["party members"] == 1619
    assert figures["officers"] == 6 + 25 + 33


def test_a_dozen_recruitment_cases_at_different_steps(town):
    from branches.models import RecruitmentCase, RecruitmentPreReview

    cases = list(RecruitmentCase.objects.select_related("village__parent"))
    assert len(cases) == 12
    assert len({c.last_step for c in cases}) >= 10
    assert len({c.village.parent_id for c in cases}) == 6  # every general branch
    assert max(c.last_step for c in cases) < 17  # the roster keeps the source's members
    assert RecruitmentPreReview.objects.filter(status="approved").count() == sum(c.last_step >= 13 for c in cases)


def test_the_services_demo_has_a_year_of_half_days_and_one_short_month(as_user, client):
    from services.demo import sessions as services_demo
    from services.models import Department, ServiceCentre, ServiceRecord

    for department in Department.objects.all():  # one account per department, named in pinyin
        assert client.login(username=department.code, password=settings.DEMO_PASSWORD)
    assert {c.general_branches.count() for c in ServiceCentre.objects.all()} == {1, 2}
    assert ServiceRecord.objects.exists()
    town = as_user("town")
    this_year = timezone.localdate().year
    flagged = set()  # the months that fell short, over this year and the last
    for year in (this_year - 1, this_year):
        for months in town.get("/services/compliance/", {"year": year}).context["rows"]:
            flagged |= {(m.centre.code, m.month, m.half_days) for m in months if m.short and m.half_days}
    assert {(code, half_days) for code, _, half_days in flagged} == {(services_demo.SHORT_CENTRE, 4)}
    sifa = as_user("sifa")
    assert {r.department.code for r in sifa.get("/services/records/").context["object_list"]} == {"sifa"}


def test_the_plans_demo_has_every_state_and_scores_from_the_indicators(as_user):
    from services.models import AssessmentPlan
    from services.models.plans import WEIGHT_TOTAL

    this_year = timezone.localdate().year
    plans = list(AssessmentPlan.objects.prefetch_related("indicators"))
    last_year = [p for p in plans if p.year == this_year - 1]
    assert len(last_year) == 33 and all(p.status == "approved" and p.score.complete for p in last_year)
    assert {p.status for p in plans if p.year == this_year} == {"draft", "submitted", "approved", "returned"}
    assert all(sum(i.weight for i in p.indicators.all()) == WEIGHT_TOTAL for p in plans)
    assert all(0 < p.score.score <= 100 for p in last_year)
    submitted = [p for p in plans if p.status == "submitted"]
    town = as_user("town").get("/services/plans/", {"status": "submitted"})
    assert set(town.context["object_list"]) == set(submitted)


def test_the_funds_demo_has_allocations_with_exact_balances_and_one_nearly_spent(as_user):
    from decimal import Decimal

    from django.db.models import Sum

    from services.demo import funds as funds_demo
    from services.models import FundAllocation, FundExpense

    this_year = timezone.localdate().year
    assert set(FundAllocation.objects.values_list("year", flat=True)) == {this_year - 1, this_year}
    for general in generals():  # every general branch has the four purposes, both years
        assert FundAllocation.objects.filter(organization=general).count() == 8
    assert FundAllocation.objects.filter(organization__kind=OrgKind.VILLAGE).exists()
    assert FundExpense.objects.filter(voucher__isnull=True).count() == 0  # every expense has its voucher
    for allocation in FundAllocation.objects.annotate(total=Sum("expenses__amount")):
        assert (allocation.total or Decimal(0)) <= allocation.amount
    number, purpose = funds_demo.NEARLY_SPENT
    nearly = FundAllocation.objects.with_balance().get(
        organization=generals()[number - 1], year=this_year, purpose=purpose
    )
    assert nearly.balance == nearly.amount * Decimal("0.04")
    page = as_user("town").get("/services/funds/", {"year": this_year})
    assert page.status_code == 200 and nearly in page.context["object_list"]
    voucher = FundExpense.objects.filter(allocation=nearly).first()
    download = as_user("town").get(f"/services/funds/expenses/{voucher.pk}/voucher/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_visits_demo_reaches_most_households_with_open_follow_ups(as_user):
    from services.models import HouseholdVisit
    from services.todo import visit_todo_items

    villages = Organization.objects.filter(kind=OrgKind.VILLAGE)
    town = as_user("town")
    rows = town.get("/services/visits/coverage/").context["rows"]
    assert {r.village for r in rows} == set(villages)
    assert all(15 <= r.households <= 40 and 50 <= r.rate <= 100 for r in rows), [
        (r.village.name, r.households, r.rate) for r in rows
    ]
    open_ = HouseholdVisit.objects.open_follow_ups()
    assert open_.exists() and open_.filter(follow_up_due__lt=timezone.localdate()).exists()
    overdue = open_.filter(follow_up_due__lt=timezone.localdate()).select_related("follow_up_owner").first()
    assert "danger" in {item["badge_class"] for item in visit_todo_items(overdue.follow_up_owner)}
    assert any(r.visits for r in town.get("/services/visits/needs/").context["rows"])
    secretary = as_user("v01")
    assert {h.village.code for h in secretary.get("/services/households/").context["object_list"]} == {
        position_of("v01", Role.VILLAGE_SECRETARY).organization.code
    }


# --- shared development (issue 11): the ledger computes the source's figures from the demo's records ------------------


@pytest.fixture
def development_ledger(town):
    from development.demo.records import YEAR
    from development.selectors import ledger

    cadre = Position.objects.active().filter(role=Role.TOWN_CADRE).select_related("user").first().user
    rows, total = ledger(cadre, YEAR)
    return cadre, {r.general_branch.code.rsplit("G", 1)[1]: r for r in rows}


def test_the_ledger_shows_the_sources_figures(development_ledger, client_as):
    cadre, rows = development_ledger
    xubai = village("徐柏")
    assert xubai.parent.code.endswith("-G3")
    assert (rows["3"].villages_driven, rows["3"].area_mu, rows["3"].income_increase) == (6, 800, 2000)
    assert rows["5"].people_employed == 106 >= 100
    assert rows["2"].trained_by_resources == 620 >= 600
    assert rows["2"].sales_jin == 630_000
    # Each figure leads to the records that add up to it, and they add up to it.
    client = client_as(cadre)
    progress = list(client.get(rows["3"].progress_url).context["object_list"])
    assert [(p.area_mu, p.income_after - p.income_before) for p in progress] == [(800, 2000)]
    assert progress[0].pairing.lead_village == xubai
    assert progress[0].pairing.helped_villages.count() == 6
    events = client.get(rows["5"].events_url).context["object_list"]
    assert sum(e.people_employed for e in events) == 106 and {e.partner.name for e in events} == {"北京经济技术开发区"}
    trainings = client.get(rows["2"].trainings_url).context["object_list"]
    assert sum(t.person_times for t in trainings) == 620
    assert {t.resource.member.branch for t in trainings} == {village("后安定")}
    expert = trainings[0].resource  # 总支+N农户: the expert works with households of 后安定's register
    assert 0 < expert.households.count() <= 12
    assert {h.village for h in expert.households.all()} == {village("后安定")}
    sales = client.get(rows["2"].sales_url).context["object_list"]
    assert sum(s.quantity_jin for s in sales) == 630_000 and {s.date.year for s in sales} == {2021}
    page = client.get("/development/ledger/")  # the latest year with records: the source's
    assert page.context["year"] == 2021
    assert "630,000" in page.content.decode() and "+2,000" in page.content.decode()


def test_a_new_progress_record_changes_the_ledger(development_ledger, client_as):
    import datetime
    from decimal import Decimal

    from development.models import Pairing, PairingProgress

    cadre, rows = development_ledger
    pairing = Pairing.objects.get(lead_village=village("徐柏"))
    PairingProgress.objects.create(
        pairing=pairing,
        date=datetime.date(2021, 12, 20),
        area_mu=Decimal(850),
        households=260,
        income_before=Decimal(15800),
        income_after=Decimal(18000),
    )
    row = client_as(cadre).get("/development/ledger/?year=2021").context["rows"][2]
    assert (row.area_mu, row.income_increase) == (850, 2200)
