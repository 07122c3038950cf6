"""Schemathesis against the API's own schema, in-process over the WSGI app (security checklist item 32): generated
valid and invalid requests to every operation never answer 500, and every answer has a documented status, content
type and body.

- The village secretary gets schemathesis' coverage phase (boundary values, missing and wrong-typed fields, other
  methods) and its fuzzing; the town cadre the fuzzing, also on the `.json` twins of the actions, which the router
  adds and the schema leaves out.
- Both work on a small world of meetings, tasks and reports in every state, and the even generated ids are
  aimed at its records, so that the transitions and detail answers (with their empty fields) are exercised, not
  only 404s.
- The schema is built when the module is collected (schemathesis' `from_fixture` loader does not run under
  pytest 9); a test checks that it is the very schema `/api/schema/` serves.
- Bounded for CI on two cores: a few examples per operation, derandomized (the same requests on every run), no
  example database, no deadline.
"""

import copy
import datetime
import json
import re
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from anding.wsgi import application
from branches import actions
from branches.actions import workflow_of
from branches.choices import CommitteePost, MeetingKind, TaskAssignmentStatus
from branches.models import (
    BranchCommittee,
    Meeting,
    MonthlyReport,
    Organization,
    PartyGroup,
    PartyMember,
    RecruitmentCase,
    Task,
    TaskAssignment,
    case_models,
)
from development.models import (
    BranchResource,
    Pairing,
    PairingProgress,
    Partner,
    PartnerEvent,
    ResourceTraining,
    SharedSale,
    VillageFigures,
)
from services.models import (
    AssessmentPlan,
    FundAllocation,
    FundExpense,
    Household,
    HouseholdVisit,
    ServiceRecord,
    ServiceSession,
)

from .cases import open_case, recruit, registered_powers

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MODELS = {
    "committees": BranchCommittee,
    "meetings": Meeting,
    "party-groups": PartyGroup,
    "members": PartyMember,
    "organizations": Organization,
    "recruitment": RecruitmentCase,
    "reports": MonthlyReport,
    "task-assignments": TaskAssignment,
    "tasks": Task,
    **{code.replace("_", "-"): model for code, model in case_models().items()},
    "service-sessions": ServiceSession,
    "service-records": ServiceRecord,
    "assessment-plans": AssessmentPlan,
    "fund-allocations": FundAllocation,
    "fund-expenses": FundExpense,
    "households": Household,
    "household-visits": HouseholdVisit,
    "pairings": Pairing,
    "pairing-progress": PairingProgress,
    "village-figures": VillageFigures,
    "partners": Partner,
    "partner-events": PartnerEvent,
    "branch-resources": BranchResource,
    "resource-trainings": ResourceTraining,
    "shared-sales": SharedSale,
}


def served_schema() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def with_format_suffixes(raw: dict) -> dict:
    """The schema plus the `.json` twin of every action (`/api/reports/{id}/approve.json`)."""
    raw = copy.deepcopy(raw)
    for path, operations in list(raw["paths"].items()):
        if re.fullmatch(r"/api/[\w-]+/\{id\}/[\w-]+/", path):
            twins = copy.deepcopy(operations)
            for operation in twins.values():
                operation["operationId"] += "_json"
            raw["paths"][path[:-1] + ".json"] = twins
    return raw


def load(raw: dict, *, coverage: bool):
    config = {
        "seed": 2026,
        "generation": {"mode": "all", "deterministic": True},
        "phases": {"coverage": {"enabled": coverage}},
    }
    loaded = schemathesis.openapi.from_dict(raw, config=schemathesis.Config.from_dict(config))
    loaded.app = application
    return loaded


SERVED = served_schema()
schema = load(SERVED, coverage=True)
schema_with_suffixes = load(with_format_suffixes(SERVED), coverage=False)


def call(case, world: dict, user):
    """Send the case as `user`, an even id aimed at a record of the world (the same one on every run)."""
    value = case.path_parameters.get("id") if case.path_parameters else None
    if isinstance(value, int) and value >= 0 and value % 2 == 0:
        ids = world[case.operation.path.split("/")[2].split(".")[0]]
        case.path_parameters["id"] = ids[value // 2 % len(ids)]
    token = Token.objects.get_or_create(user=user)[0]
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app fires request_started and request_finished, whose close_old_connections would close the test's
    connection in the middle of its transaction (on PostgreSQL); Django's test client unhooks it the same way."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(tree, town_cadre, gb_secretary, village_secretary, settings, tmp_path):
    """Meetings, tasks and reports of v11 and g1 in every state, made through the services; their ids by the
    API's path segment."""
    today = timezone.localdate()
    month = today.replace(day=1)
    members = list(PartyMember.objects.filter(branch=tree.v11).order_by("pk"))

    def plan(org, kind, actor, planned_for=today):
        return actions.meeting_plan(
            actor=actor, organization=org, kind=kind, title=kind, planned_for=planned_for, party_group=group
        )

    def hold(meeting, actor):
        lines = [
            actions.AttendanceLine(member=m, present=i > 0, absence_reason="病假" * (i == 0))
            for i, m in enumerate(members)
        ]
        return actions.meeting_record(
            actor=actor, meeting=meeting, version=meeting.version, held_on=today, attendance=lines
        )

    group = PartyGroup(village=tree.v11, name="东庄第一党小组", leader=members[0], formed_on=today.replace(day=1))
    actions.party_group_save(actor=village_secretary, group=group, members=members)
    plan(tree.v11, MeetingKind.BRANCH_COMMITTEE, village_secretary, today + datetime.timedelta(days=3))
    plan(tree.v11, MeetingKind.PARTY_GROUP, village_secretary, today - datetime.timedelta(days=3))  # overdue
    hold(plan(tree.v11, MeetingKind.PARTY_LECTURE, village_secretary), village_secretary)
    reviewed = hold(plan(tree.v11, MeetingKind.BRANCH_ASSEMBLY, village_secretary), village_secretary)
    actions.meeting_review(actor=gb_secretary, meeting=reviewed, comment="好")

    due = today + datetime.timedelta(days=10)
    town_task = actions.task_deploy(
        actor=town_cadre, issued_by=tree.town, title="防火", due_date=due, assignees=[tree.g1, tree.v11, tree.v21]
    )
    actions.task_deploy(
        actor=gb_secretary, issued_by=tree.g1, title="走访", due_date=due, assignees=[tree.v11, tree.v12]
    )
    done = TaskAssignment.objects.get(task=town_task, assignee=tree.v11)
    actions.task_report_progress(
        actor=village_secretary, assignment=done, status=TaskAssignmentStatus.DONE, note="完成"
    )
    work = plan(tree.g1, MeetingKind.WORK_MEETING, gb_secretary)
    actions.meeting_set_agenda(
        actor=gb_secretary,
        meeting=work,
        items=[
            actions.AgendaLine(title="防火", task=town_task),
            actions.AgendaLine(title="东庄", village=tree.v11),
            actions.AgendaLine(title="其他"),
        ],
    )

    seats = [
        actions.SeatLine(member=m, post=p)
        for m, p in zip(
            members, [CommitteePost.SECRETARY, CommitteePost.ORGANIZATION, CommitteePost.PROPAGANDA], strict=True
        )
    ]
    actions.committee_elect(actor=village_secretary, village=tree.v11, term_start=today.replace(day=1), seats=seats)

    for n, step in enumerate(["draft", "submitted", "returned", "approved"]):
        report = actions.report_start(
            actor=village_secretary, village=tree.v11, month=month.replace(year=month.year - 1 - n)
        )
        report = actions.report_save(
            actor=village_secretary, report=report, version=report.version, narrative="做了", problems="", requests=""
        )
        if step == "draft":
            continue
        report = actions.report_submit(actor=village_secretary, report=report)
        if step == "returned":
            actions.report_return(actor=gb_secretary, report=report, reason="补充")
        elif step == "approved":
            actions.report_approve(actor=gb_secretary, report=report)
    recruit(village_secretary, tree.v11, 1, name="东庄申请人", seq=31)  # an applicant
    recruit(village_secretary, tree.v11, 14, name="东庄发展对象", seq=33, approver=gb_secretary)  # before the vote
    ended = recruit(village_secretary, tree.v11, 3, name="东庄撤回", seq=35)
    actions.recruitment_end(actor=village_secretary, case=ended, stage="withdrawn", on=today, reason="撤回")
    for code in registered_powers():
        for n in range(2):
            case = open_case(code, gb_secretary, tree.v11, title=f"案件{n}")
            if n:
                step = workflow_of(case).transitions[0].name
                actions.case_transition(actor=gb_secretary, case=case, name=step, comment="测试")
    _service_world(tree, today)
    _plan_world(tree, gb_secretary, town_cadre)
    settings.MEDIA_ROOT = tmp_path
    _fund_world(tree, today, town_cadre, gb_secretary, village_secretary)
    _visit_world(tree, today, village_secretary, gb_secretary)
    _development_world(tree, gb_secretary)
    return {
        segment: list(model.objects.order_by("pk").values_list("pk", flat=True)) for segment, model in MODELS.items()
    }


def _service_world(tree, today):
    """Half-days at g1's centre with a record of each outcome (an open and a closed follow-up) for 东庄 (v11)."""
    from services import actions as service_actions
    from services.models import ServiceCentre, ServiceItem

    from .conftest import department_staff

    centre = ServiceCentre.objects.get(code="centre-1")
    centre.general_branches.set([tree.g1])
    sifa = department_staff(tree, "sifa")
    day = today - datetime.timedelta(days=2)
    session = service_actions.session_open(actor=sifa, centre=centre, date=day, half="am")
    service_actions.session_open(actor=sifa, centre=centre, date=day, half="pm")
    item = ServiceItem.objects.get(code="mediation")
    records = [
        service_actions.record_add(
            actor=sifa,
            session=session,
            service_item=item,
            villager_name=f"东庄{n}",
            village=tree.v11,
            phone="13812345678" if n else "",
            request="调解邻里纠纷",
            outcome=outcome,
            due_on=day + datetime.timedelta(days=5) if outcome == "follow_up" else None,
        )
        for n, outcome in enumerate(["resolved", "referred", "follow_up", "follow_up"])
    ]
    service_actions.follow_up_close(actor=sifa, record=records[-1], closed_on=today, note="已回访")


def _development_world(tree, officer):
    """A pairing of 东庄 (v11) helping 西庄 (v12) with two progress records, another without any, and both
    villages' figures."""
    from development import actions as development_actions

    from .conftest import pair, progress

    pairing = pair(officer, tree.v11, [tree.v12])
    progress(officer, pairing, date=pairing.start_date)
    progress(officer, pairing, area="250.5", households=30, after="17500")
    pair(officer, tree.v12, [tree.v11], industry="果树")
    for village in (tree.v11, tree.v12):
        development_actions.figures_save(
            actor=officer,
            village=village,
            year=2024,
            collective_income=Decimal("500000"),
            income_per_capita=Decimal("21000.50"),
        )
    partner = development_actions.partner_add(actor=officer, name="开发区", kind="development_zone")
    day = datetime.date(2024, 5, 1)
    development_actions.event_add(
        actor=officer, general_branch=tree.g1, partner=partner, kind="job_fair", date=day, title="招聘会"
    )
    development_actions.event_add(
        actor=officer,
        general_branch=tree.g1,
        partner=partner,
        kind="order",
        date=day,
        title="订单",
        contracts=2,
        amount=Decimal("120000.50"),
        note="蔬菜订单",
    )
    expert = development_actions.resource_add(
        actor=officer,
        general_branch=tree.g1,
        kind="expert",
        name="专家",
        specialty="果树",
        member=tree.members["v11"][0],
    )
    development_actions.resource_add(
        actor=officer, general_branch=tree.g1, kind="cooperative", name="合作社", specialty="销售"
    )
    development_actions.training_add(actor=officer, resource=expert, date=day, topic="修剪", person_times=40)
    development_actions.sale_add(
        actor=officer,
        general_branch=tree.g1,
        product="桃",
        channel="平台",
        quantity_jin=Decimal("1000.5"),
        amount=Decimal("3000"),
        date=day,
    )


def _plan_world(tree, officer, town):
    """Plans of 东庄 (v11) in each state: this year's a draft, last year's approved, and two more years submitted
    and returned."""
    from services import actions as service_actions

    from .conftest import open_plan

    year = timezone.localdate().year
    open_plan(officer, tree.v11, year=year)
    approved = open_plan(officer, tree.v11, year=year + 1, weights=(50, 50), submit=True)
    service_actions.plan_decide(actor=town, plan=approved, approve=True)
    returned = open_plan(officer, tree.v12, year=year, weights=(70, 30), submit=True)
    service_actions.plan_decide(actor=town, plan=returned, approve=False, reason="重新测算")
    open_plan(officer, tree.v12, year=year + 1, submit=True)


def _fund_world(tree, today, town_cadre, gb_secretary, village_secretary):
    """Funds of 东庄 (v11) and g1, one spent to the last fen, with expenses and their vouchers."""
    from decimal import Decimal

    from services import actions as service_actions

    from .conftest import voucher

    for n, (node, spender) in enumerate(((tree.v11, village_secretary), (tree.g1, gb_secretary))):
        allocation = service_actions.allocate(
            actor=town_cadre, year=today.year, purpose="party_building", organization=node, amount=Decimal("100.10")
        )
        for amount in ("0.10", "100.00")[: n + 1]:
            service_actions.expense_record(
                actor=spender,
                allocation=allocation,
                date=today,
                amount=Decimal(amount),
                purpose="党课资料",
                voucher=voucher(),
            )


def _visit_world(tree, today, village_secretary, gb_secretary):
    """Households of 东庄 (v11), one never visited, and visits: without a follow-up, with an open one and a closed
    one."""
    from services import actions as service_actions
    from services.models import VisitTopic

    households = [
        service_actions.household_save(
            actor=village_secretary,
            household=None,
            village=tree.v11,
            number=f"{n:03d}",
            head_name=f"东庄户主{n}",
            address="东庄村",
            phone="13812345678" if n else "",
            size=n + 1,
        )
        for n in range(3)
    ]
    topic = VisitTopic.objects.get(code="employment")
    day = today - datetime.timedelta(days=3)
    for n, household in enumerate(households[:2]):
        for follow_up in ("", "协调就业"):
            visit = service_actions.visit_record(
                actor=village_secretary,
                household=household,
                date=day,
                leader=gb_secretary,
                cadres=[village_secretary],
                topics=[topic],
                raised="就业",
                follow_up=follow_up,
                follow_up_owner=village_secretary if follow_up else None,
                follow_up_due=day + datetime.timedelta(days=5) if follow_up else None,
            )
            if follow_up and n:
                service_actions.visit_close(actor=village_secretary, visit=visit, closed_on=today, note="已办")


def test_the_fuzzed_schema_is_the_served_one(client_as, village_secretary):
    served = client_as(village_secretary).get("/api/schema/", {"format": "json"})

    assert served.status_code == 200
    assert served.json() == SERVED


@schema.parametrize()
@FUZZ
def test_32_the_api_answers_the_village_secretary_by_its_schema(case, world, village_secretary):
    call(case, world, village_secretary)


@schema_with_suffixes.parametrize()
@FUZZ
def test_32_the_api_answers_the_town_cadre_by_its_schema(case, world, town_cadre):
    call(case, world, town_cadre)
