"""The dashboard (issue 11) runs the same number of queries for a town and for one with ten times its villages, with
rows in every area it counts. Apart from tests/demo/test_dashboard.py, on the demo."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from branches.choices import OrgKind, ReportStatus, Role
from branches.models import MonthlyReport, Organization
from branches.months import add_months
from services.models import FundExpense, Household, HouseholdVisit, ServiceCentre, ServiceSession

from .conftest import progress

TODAY = timezone.localdate()


def grow(town: dict, tag: str) -> dict:
    """Every area of the dashboard with rows in each village of a town of test_query_counts.build: a submitted
    report, a meeting, a power case and a recruit (in the first general branch, whose secretary exercises them),
    a household visited, a village fund with an expense, the service centres' half-days, and a pairing with its
    progress; plus a village secretary."""
    from branches.choices import PowerCode
    from services import actions as service_actions

    from .cases import open_case, recruit
    from .conftest import pair, plan
    from .factories import PositionFactory, UserFactory

    cadre, secretary, general = town["town_cadre"], town["gb_secretary"], town["general"]
    villages = list(Organization.objects.filter(kind=OrgKind.VILLAGE, code__startswith=f"{tag}-V").order_by("code"))
    month = add_months(TODAY.replace(day=1), -1)
    centre = ServiceCentre.objects.get(code="centre-1")
    centre.general_branches.add(*{v.parent_id for v in villages})
    for n, village in enumerate(villages):
        MonthlyReport.objects.create(
            village=village,
            general_branch=village.parent,
            month=month,
            status=ReportStatus.SUBMITTED,
            first_submitted_at=timezone.now(),
            submitted_at=timezone.now(),
        )
        plan(cadre, village)
        household = Household.objects.create(village=village, number="001", head_name="王五", address="东街1号", size=3)
        HouseholdVisit.objects.create(household=household, date=TODAY, leader=cadre, raised="房屋漏雨")
        allocation = service_actions.allocate(
            actor=cadre, year=TODAY.year, purpose="livelihood", organization=village, amount=Decimal("1000.00")
        )
        FundExpense.objects.create(allocation=allocation, date=TODAY, amount=Decimal("10.00"), purpose="办公用品")
        day = TODAY.replace(month=1, day=1) + datetime.timedelta(days=n // 2 + (0 if tag == "S" else 60))
        ServiceSession.objects.create(centre=centre, date=day, half="am" if n % 2 else "pm")
        if village.parent_id == general.pk:
            open_case(PowerCode.ORGANIZATION_GUIDANCE, secretary, village)
            recruit(secretary, village, seq=2 * n + (1 if tag == "S" else 201))
    led = [v for v in villages if v.parent_id == general.pk]
    pairing = pair(secretary, led[0], led[1:])
    progress(secretary, pairing, area="100")
    village_secretary = UserFactory(username=f"v-{tag}")
    PositionFactory(user=village_secretary, organization=villages[0], role=Role.VILLAGE_SECRETARY)
    return {**town, "village_secretary": village_secretary}


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary"])
def test_the_dashboard_runs_the_same_queries_for_ten_times_the_villages(db, client_as, persona):
    from .kit import assert_flat, page_queries
    from .test_query_counts import LARGE, SMALL, build

    def measure(town):
        client = client_as(town[persona])
        with translation.override("en"):
            sections = client.get("/", HTTP_ACCEPT_LANGUAGE="en").context["sections"]
        return page_queries(client, "/"), len(sections)

    small, large = grow(build(*SMALL, tag="S"), "S"), grow(build(*LARGE, tag="L"), "L")
    (_queries, shown), _ = assert_flat(measure, small, large)
    assert shown >= 6


def test_after_a_village_moves_it_counts_for_its_new_general_branch(
    tree, client_as, superuser, gb_secretary, gb2_secretary
):
    """A restructuring: 东庄 (v11) moves from g1 to g2 with its report; the old general branch no longer counts it,
    the new one does, on the next load."""
    from branches import actions

    MonthlyReport.objects.create(
        village=tree.v11,
        general_branch=tree.g1,
        month=add_months(TODAY.replace(day=1), -1),
        status=ReportStatus.SUBMITTED,
        first_submitted_at=timezone.now(),
        submitted_at=timezone.now(),
    )

    def reports(user) -> dict:
        sections = client_as(user).get("/", HTTP_ACCEPT_LANGUAGE="en").context["sections"]
        section = next(s for s in sections if s.key == "reports")
        return {str(row[0]): row[2].value for row in section.rows}  # village → reports submitted

    assert reports(gb_secretary) == {tree.v11.name: 1, tree.v12.name: 0}
    assert reports(gb2_secretary) == {tree.v21.name: 0, tree.v22.name: 0}
    actions.organization_move(
        actor=superuser, organization=tree.v11, new_parent=tree.g2, effective_date=TODAY, reason="联村调整"
    )

    assert reports(gb_secretary) == {tree.v12.name: 0}
    assert reports(gb2_secretary) == {tree.v11.name: 1, tree.v21.name: 0, tree.v22.name: 0}
