"""The meeting list: only meetings in scope, overdue ones marked, filters, and the 三会一课 overview of a general
branch or the town checked against the meeting rows themselves."""

import datetime

from branches import selectors
from branches.choices import MeetingKind, MeetingStatus
from branches.models import Meeting

from ..conftest import plan
from .conftest import record, today


def test_list_shows_only_meetings_in_scope(client_as, tree, village_secretary, gb2_secretary, v11_meeting):
    plan(gb2_secretary, tree.v21, title="南营支委会")

    html = client_as(village_secretary).get("/meetings/").content.decode()

    assert v11_meeting.title in html
    assert "南营支委会" not in html


def test_a_planned_meeting_whose_day_has_passed_is_marked_overdue(client_as, tree, village_secretary):
    plan(village_secretary, tree.v11, planned_for=today() - datetime.timedelta(days=3), title="过期支委会")
    plan(village_secretary, tree.v11, planned_for=today() + datetime.timedelta(days=3), title="下周支委会")

    html = client_as(village_secretary).get("/meetings/").content.decode()
    overdue_only = client_as(village_secretary).get("/meetings/?overdue=on").content.decode()

    assert html.count("Overdue: not recorded") == 1
    assert "过期支委会" in overdue_only
    assert "下周支委会" not in overdue_only


def test_list_filters_by_kind_month_and_organization(client_as, tree, gb_secretary, village_secretary):
    last_month = selectors.month_range(today())[0] - datetime.timedelta(days=1)
    plan(village_secretary, tree.v11, title="东庄本月支委会")
    plan(village_secretary, tree.v11, kind=MeetingKind.THEMED_DAY, title="东庄主题党日")
    plan(gb_secretary, tree.v12, planned_for=last_month, title="西庄上月支委会")
    client = client_as(gb_secretary)

    by_kind = client.get("/meetings/?kind=themed_day").content.decode()
    by_month = client.get(f"/meetings/?month={last_month:%Y-%m}").content.decode()
    by_org = client.get(f"/meetings/?organization={tree.v12.pk}").content.decode()
    bad_month = client.get("/meetings/?month=2026-13")

    assert "东庄主题党日" in by_kind and "东庄本月支委会" not in by_kind
    assert "西庄上月支委会" in by_month and "东庄本月支委会" not in by_month
    assert "西庄上月支委会" in by_org and "东庄" not in by_org.split("<table", 1)[-1]
    assert bad_month.status_code == 200
    assert "YYYY-MM" in bad_month.content.decode()


def _overview_rows(tree, village_secretary, gb_secretary, gb2_secretary):
    """Meetings that count and meetings that must not count, for this month and quarter."""
    first_of_month = selectors.month_range(today())[0]
    first_of_quarter = selectors.quarter_range(today())[0]
    last_month = first_of_month - datetime.timedelta(days=1)
    last_quarter = first_of_quarter - datetime.timedelta(days=1)
    record(village_secretary, plan(village_secretary, tree.v11))  # counts: committee, this month
    record(village_secretary, plan(village_secretary, tree.v11, kind=MeetingKind.THEMED_DAY))  # counts
    plan(gb_secretary, tree.v12)  # planned only: does not count
    record(gb_secretary, plan(gb_secretary, tree.v12, kind=MeetingKind.THEMED_DAY, planned_for=last_month), last_month)
    record(  # counts for the quarter (the first day of the quarter is never in the future)
        gb2_secretary,
        plan(gb2_secretary, tree.v21, kind=MeetingKind.BRANCH_ASSEMBLY, planned_for=first_of_quarter),
        first_of_quarter,
    )
    record(  # last quarter: does not count
        gb2_secretary,
        plan(gb2_secretary, tree.v22, kind=MeetingKind.PARTY_LECTURE, planned_for=last_quarter),
        last_quarter,
    )


def _expected(villages):
    """The overview computed independently, from the meeting rows themselves."""
    m_first, m_last = selectors.month_range(today())
    q_first, q_last = selectors.quarter_range(today())
    rows = list(Meeting.objects.filter(status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED]))

    def held(village, kind, first, last):
        return any(m.organization_id == village.pk and m.kind == kind and first <= m.held_on <= last for m in rows)

    return {
        v.name: (
            held(v, MeetingKind.BRANCH_COMMITTEE, m_first, m_last),
            held(v, MeetingKind.THEMED_DAY, m_first, m_last),
            held(v, MeetingKind.BRANCH_ASSEMBLY, q_first, q_last),
            held(v, MeetingKind.PARTY_LECTURE, q_first, q_last),
        )
        for v in villages
    }


def test_overview_figures_match_the_rows(
    django_assert_num_queries, tree, town_cadre, village_secretary, gb_secretary, gb2_secretary
):
    _overview_rows(tree, village_secretary, gb_secretary, gb2_secretary)

    with django_assert_num_queries(2):  # the user's positions, then one aggregate query
        town = selectors.meetings_overview(town_cadre, today())
    g1 = selectors.meeting_status_overview(gb_secretary, tree.g1, today().strftime("%Y-%m"))

    got = {
        r["village"].name: (r["committee"], r["themed_day"], r["assembly_quarter"], r["lecture_quarter"]) for r in town
    }
    assert got == _expected([tree.v11, tree.v12, tree.v21, tree.v22])
    assert got[tree.v11.name] == (True, True, False, False)
    assert got[tree.v12.name] == (False, False, False, False)
    assert got[tree.v21.name] == (False, False, True, False)
    assert got[tree.v22.name] == (False, False, False, False)
    assert [r["village"] for r in g1] == [tree.v11, tree.v12]
    assert {r["general_branch"] for r in g1} == {tree.g1}


def test_overview_shows_on_the_list_for_a_general_branch_not_for_a_village(
    client_as, tree, village_secretary, gb_secretary, gb2_secretary
):
    _overview_rows(tree, village_secretary, gb_secretary, gb2_secretary)

    gb_html = client_as(gb_secretary).get("/meetings/").content.decode()
    vs_html = client_as(village_secretary).get("/meetings/").content.decode()

    assert "meeting-overview" in gb_html
    overview = gb_html.split("meeting-overview", 1)[1].split("</section>", 1)[0]
    assert tree.v11.name in overview and tree.v12.name in overview and tree.v21.name not in overview
    assert "meeting-overview" not in vs_html
