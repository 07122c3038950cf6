"""Fixtures of the services and development apps: g2's objects, out of scope for g1, v11, g1's deputy and the
outsider (kit.OUT_OF_SCOPE), and the helpers that make them. Star-imported by tests/conftest.py."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

# --- the services app ("55819") ------------------------------------------------------------------------------------


def department_staff(tree, code: str):
    """The staff account of the department `code` (sifa, guihua, ...): a department-staff position on the town."""
    from branches.choices import Role
    from services.models import Department, DepartmentStaff

    from .conftest import _persona

    user = _persona(code, tree.town, Role.DEPARTMENT_STAFF)
    DepartmentStaff.objects.create(user=user, department=Department.objects.get(code=code))
    return user


@pytest.fixture
def service_centres(tree):
    """centre-1 serves g1, centre-2 serves g2 (the reference rows of the data migration): {"g1": ..., "g2": ...}."""
    from services.models import ServiceCentre

    centres = {"g1": ServiceCentre.objects.get(code="centre-1"), "g2": ServiceCentre.objects.get(code="centre-2")}
    centres["g1"].general_branches.set([tree.g1])
    centres["g2"].general_branches.set([tree.g2])
    return centres


@pytest.fixture
def sifa(tree):
    return department_staff(tree, "sifa")


@pytest.fixture
def guihua(tree):
    return department_staff(tree, "guihua")


@pytest.fixture
def g2_session(service_centres, sifa):
    from services import actions as service_actions

    day = timezone.localdate() - datetime.timedelta(days=1)
    return service_actions.session_open(actor=sifa, centre=service_centres["g2"], date=day, half="am")


@pytest.fixture
def g2_service_record(tree, g2_session, sifa):
    """A follow-up recorded by 司法 for a villager of 南营 (v21) at g2's centre."""
    from services import actions as service_actions
    from services.models import ServiceItem

    return service_actions.record_add(
        actor=sifa,
        session=g2_session,
        service_item=ServiceItem.objects.get(code="legal-advice"),
        villager_name="南营张三",
        village=tree.v21,
        phone="13812345678",
        request="宅基地纠纷咨询",
        outcome="follow_up",
        due_on=g2_session.date + datetime.timedelta(days=7),
    )


def open_plan(actor, village, *, year=None, weights=(60, 40), submit=False):
    """A tailored assessment plan of `village` with two indicators, opened (and submitted) by `actor`."""
    from services import actions as service_actions

    plan = service_actions.plan_open(
        actor=actor, village=village, year=year or timezone.localdate().year, weak_points="集体经济薄弱"
    )
    lines = [
        service_actions.IndicatorLine(
            name="集体经营性收入", unit="万元", target=Decimal(30), weight=Decimal(weights[0])
        ),
        service_actions.IndicatorLine(
            name="矛盾纠纷", unit="件", direction="at_most", target=Decimal(2), weight=Decimal(weights[1])
        ),
    ]
    plan = service_actions.plan_set_indicators(actor=actor, plan=plan, lines=lines)
    return service_actions.plan_submit(actor=actor, plan=plan) if submit else plan


@pytest.fixture
def g2_plan(tree, gb2_secretary):
    """The submitted plan of 南营 (v21) for this year, set by g2's secretary."""
    return open_plan(gb2_secretary, tree.v21, submit=True)


# --- special funds ---------------------------------------------------------------------------------------------------

VOUCHER_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def voucher(name="发票.pdf"):
    """A small valid PDF to attach as an expense's voucher."""
    return SimpleUploadedFile(name, VOUCHER_PDF, content_type="application/pdf")


@pytest.fixture
def g2_allocation(tree, town_cadre):
    """This year's general-branch building fund of g2: 10,000 yuan, allocated by the town."""
    from decimal import Decimal

    from services import actions as service_actions

    return service_actions.allocate(
        actor=town_cadre,
        year=timezone.localdate().year,
        purpose="general_branch",
        organization=tree.g2,
        amount=Decimal("10000.00"),
    )


@pytest.fixture
def g2_expense(settings, tmp_path, g2_allocation, gb2_secretary):
    """An expense of 1,234.56 yuan from g2's fund, recorded by g2's secretary with its voucher."""
    from decimal import Decimal

    from services import actions as service_actions

    settings.MEDIA_ROOT = tmp_path
    return service_actions.expense_record(
        actor=gb2_secretary,
        allocation=g2_allocation,
        date=timezone.localdate(),
        amount=Decimal("1234.56"),
        purpose="总支活动室桌椅",
        voucher=voucher(),
    )


# --- household visits -----------------------------------------------------------------------------------------------


@pytest.fixture
def g2_household(tree, gb2_secretary):
    """A household on the register of 南营 (v21), added by g2's secretary."""
    from services import actions as service_actions

    return service_actions.household_save(
        actor=gb2_secretary,
        household=None,
        village=tree.v21,
        number="001",
        head_name="南营王五",
        address="南营村东街1号",
        phone="13812345678",
        size=4,
    )


@pytest.fixture
def g2_visit(g2_household, gb2_secretary):
    """A visit to g2_household led by g2's secretary, with an open follow-up the secretary owns."""
    from services import actions as service_actions
    from services.models import VisitTopic

    day = timezone.localdate() - datetime.timedelta(days=1)
    return service_actions.visit_record(
        actor=gb2_secretary,
        household=g2_household,
        date=day,
        leader=gb2_secretary,
        topics=[VisitTopic.objects.get(code="housing")],
        raised="房屋漏雨",
        follow_up="联系住建科室",
        follow_up_owner=gb2_secretary,
        follow_up_due=day + datetime.timedelta(days=7),
    )


# --- the development app (shared development) --------------------------------------------------------------------


def pair(actor, lead, helped, *, industry="蔬菜种植", start=None, end=None):
    """A pairing led by `lead` helping `helped` (a list), set up by `actor`."""
    from development import actions as development_actions

    start = start or timezone.localdate().replace(month=1, day=1)
    return development_actions.pairing_save(
        actor=actor,
        lead_village=lead,
        helped_villages=helped,
        industry=industry,
        goals="带动周边村发展特色种植",
        start_date=start,
        end_date=end or start.replace(year=start.year + 2),
    )


def progress(actor, pairing, *, area="100", households=10, before="15000", after="16000", date=None):
    from development import actions as development_actions

    return development_actions.progress_add(
        actor=actor,
        pairing=pairing,
        date=date or timezone.localdate(),
        area_mu=Decimal(area),
        households=households,
        income_before=Decimal(before),
        income_after=Decimal(after),
    )


@pytest.fixture
def g2_pairing(tree, gb2_secretary):
    """南营 (v21) leads 北营 (v22) in vegetables, set up by g2's secretary, with one progress record."""
    pairing = pair(gb2_secretary, tree.v21, [tree.v22])
    progress(gb2_secretary, pairing)
    return pairing


@pytest.fixture
def g2_progress(g2_pairing):
    """The progress record of g2_pairing."""
    return g2_pairing.progress.get()


@pytest.fixture
def g2_figures(tree, gb2_secretary):
    """南营's (v21) figures of this year, entered by g2's secretary."""
    from development import actions as development_actions

    return development_actions.figures_save(
        actor=gb2_secretary,
        village=tree.v21,
        year=timezone.localdate().year,
        collective_income=Decimal("1200000"),
        income_per_capita=Decimal("28000"),
    )


@pytest.fixture
def g2_partner(db):
    from development.models import Partner

    return Partner.objects.create(name="北京经济技术开发区", kind="development_zone")


@pytest.fixture
def g2_event(tree, gb2_secretary, g2_partner):
    """A job fair of g2 with the development zone: 60 people employed."""
    from development import actions as development_actions

    return development_actions.event_add(
        actor=gb2_secretary,
        general_branch=tree.g2,
        partner=g2_partner,
        kind="job_fair",
        date=timezone.localdate(),
        title="企业专场招聘会",
        people_employed=60,
        person_times_trained=20,
    )


@pytest.fixture
def g2_resource(tree, gb2_secretary):
    """A party-member fruit expert of 南营 (v21) in g2, with one training of 150 person-times."""
    from development import actions as development_actions

    resource = development_actions.resource_add(
        actor=gb2_secretary,
        general_branch=tree.g2,
        kind="expert",
        name="南营果树专家",
        specialty="果树种植",
        member=tree.members["v21"][0],
    )
    development_actions.training_add(
        actor=gb2_secretary, resource=resource, date=timezone.localdate(), topic="果树修剪", person_times=150
    )
    return resource


@pytest.fixture
def g2_training(g2_resource):
    """The training of g2_resource (150 person-times)."""
    return g2_resource.trainings.get()


@pytest.fixture
def g2_sale(tree, gb2_secretary):
    from development import actions as development_actions

    return development_actions.sale_add(
        actor=gb2_secretary,
        general_branch=tree.g2,
        product="桑椹",
        channel="共享网络销售平台",
        quantity_jin=Decimal("5000"),
        amount=Decimal("40000"),
        date=timezone.localdate(),
    )


@pytest.fixture
def g2_job(settings, tmp_path, town_cadre):
    """A finished export of the town cadre's, with its file: a job is its user's alone, whatever their scope."""
    from anding.jobs import job_file
    from anding.models import Job

    settings.MEDIA_ROOT = tmp_path
    job = Job.objects.create(
        user=town_cadre, title="党员名册", path="/members/", status=Job.Status.DONE, total=1, file="x.xlsx"
    )
    job_file(job).parent.mkdir(parents=True, exist_ok=True)
    job_file(job).write_bytes(b"PK")
    return job
