"""Wide scopes see summaries (issue 13): a district cadre's completeness and 三会一课 overview count per town, and a
town opened from them shows its villages as a town cadre sees them; the city's count per district. Nothing of
another district shows, and the number of queries does not grow with the towns.

Tree: the city C above districts d1 (towns ta: general branch ga with villages a1, a2; tb: village b1 directly under
the town) and d2 (town tc: village c1). Personas: a cadre of the city, of d1 and of ta."""

import types

import pytest

from branches import actions, selectors
from branches.choices import MeetingKind, OrgKind, Role
from branches.models import Organization

from .. import kit
from ..factories import OrganizationFactory, PositionFactory, UserFactory, make_members
from .conftest import LAST_MONTH, hold, page, write

NAMES = {
    "c": "京市委",
    "d1": "甲区委",
    "d2": "乙区委",
    "ta": "甲一镇",
    "tb": "甲二镇",
    "tc": "乙一镇",
    "ga": "甲一总支",
}
NAMES |= {"a1": "甲东村", "a2": "甲西村", "b1": "甲南村", "c1": "乙北村"}


def _node(kind, key, parent=None):
    return OrganizationFactory(kind=kind, name=NAMES.get(key, key), code=key.upper(), parent=parent)


@pytest.fixture
def wide(db):
    city = _node(OrgKind.CITY, "c")
    d1, d2 = _node(OrgKind.DISTRICT, "d1", city), _node(OrgKind.DISTRICT, "d2", city)
    ta, tb, tc = _node(OrgKind.TOWN, "ta", d1), _node(OrgKind.TOWN, "tb", d1), _node(OrgKind.TOWN, "tc", d2)
    ga = _node(OrgKind.GENERAL, "ga", ta)
    villages = {"a1": ga, "a2": ga, "b1": tb, "c1": tc}
    nodes = {key: _node(OrgKind.VILLAGE, key, parent) for key, parent in villages.items()}
    nodes.update(city=city, d1=d1, d2=d2, ta=ta, tb=tb, tc=tc, ga=ga)
    for node in nodes.values():
        node.refresh_from_db()
    cadres = {}
    for key in ("city", "d1", "ta"):
        cadres[key] = UserFactory(username=f"cadre-{key}", full_name=f"cadre-{key}")
        PositionFactory(user=cadres[key], organization=nodes[key], role=Role.TOWN_CADRE)
    w = types.SimpleNamespace(**nodes, cadres=cadres)
    for key in villages:
        make_members(nodes[key], 2, prefix=key)
    return w


def _grow(w, key: str):
    """Last month: a1 and c1 held a branch committee meeting; a1 submitted its report (the rest have none)."""
    actor = w.cadres["city"]
    for village in (w.a1, w.c1):
        hold(village, MeetingKind.BRANCH_COMMITTEE, LAST_MONTH, actor)
    secretary = UserFactory(username=f"sec-a1-{key}")
    PositionFactory(user=secretary, organization=w.a1, role=Role.VILLAGE_SECRETARY)
    actions.report_submit(actor=secretary, report=write(w.a1, secretary, LAST_MONTH))


def figures(summary) -> dict:
    return {key: value for key, _label, value in summary.figures}


def test_a_district_sees_completeness_per_town_which_opens_as_the_town_sees_it(wide, en):
    _grow(wide, "x")
    client = en(wide.cadres["d1"])
    response = client.get(f"/reports/completeness/?month={LAST_MONTH:%Y-%m}")

    data = response.context["data"]
    assert response.context["wide"] and data.rows == []
    assert [g.general_branch for g in data.branches] == [wide.ta, wide.tb]  # not tc: d2 is out of scope
    assert figures(data.total) | {"on_time": 0, "late": 0} == {
        "villages": 3,
        "submitted": 1,
        "on_time": 0,
        "late": 0,
        "missing": 2,
        "returned": 0,
        "approved": 0,
        "meetings_complete": 0,
    }
    html = page(response)
    assert f"branch={wide.ta.pk}" in html and wide.c1.name not in html and wide.a1.name not in html
    # Each town's summary is what the town's own page counts, village by village.
    town_client = en(wide.cadres["ta"])
    for group in data.branches:
        opened = client.get(f"/reports/completeness/?month={LAST_MONTH:%Y-%m}&branch={group.general_branch.pk}")
        assert not opened.context["wide"] and opened.context["data"].rows
        assert figures(opened.context["data"].total) == figures(group)
    town = town_client.get(f"/reports/completeness/?month={LAST_MONTH:%Y-%m}").context["data"]
    assert figures(town.total) == figures(data.branches[0])
    assert {row.village.name for row in town.rows} == {wide.a1.name, wide.a2.name}


def test_the_city_sees_completeness_per_district_and_a_district_cannot_open_another(wide, en):
    _grow(wide, "x")
    data = en(wide.cadres["city"]).get(f"/reports/completeness/?month={LAST_MONTH:%Y-%m}").context["data"]
    assert [g.general_branch for g in data.branches] == [wide.d1, wide.d2]
    assert [figures(g)["villages"] for g in data.branches] == [3, 1]
    assert figures(data.total)["submitted"] == 1

    refused = en(wide.cadres["d1"]).get(f"/reports/completeness/?month={LAST_MONTH:%Y-%m}&branch={wide.tc.pk}")
    assert refused.context["form"].errors["branch"]
    assert wide.c1.name not in page(refused) and wide.tc.name not in page(refused)


def test_the_meeting_overview_of_a_district_counts_per_town_and_opens_a_town(wide, en):
    _grow(wide, "x")
    client = en(wide.cadres["d1"])
    month = f"{LAST_MONTH:%Y-%m}"
    response = client.get(f"/meetings/?month={month}")

    rows = response.context["overview_groups"]
    assert "overview" not in response.context
    assert [(r["group"], r["villages"], r["committee"], r["themed_day"]) for r in rows] == [
        (wide.ta, 2, 1, 0),
        (wide.tb, 1, 0, 0),
    ]
    overview = page(response).split("meeting-overview", 1)[1].split("</section>", 1)[0]
    assert f"organization={wide.ta.pk}" in overview and wide.tc.name not in overview
    opened = client.get(f"/meetings/?month={month}&organization={wide.ta.pk}")
    assert "overview_groups" not in opened.context
    villages = {row["village"].name: row["committee"] for row in opened.context["overview"]}
    assert villages == {wide.a1.name: True, wide.a2.name: False}

    city = en(wide.cadres["city"]).get(f"/meetings/?month={month}").context["overview_groups"]
    assert [(r["group"], r["villages"], r["committee"]) for r in city] == [(wide.d1, 3, 1), (wide.d2, 1, 1)]
    district = en(wide.cadres["city"]).get(f"/meetings/?month={month}&organization={wide.d1.pk}")
    assert [r["group"] for r in district.context["overview_groups"]] == [wide.ta, wide.tb]


def test_a_town_and_below_still_list_their_villages(wide, en):
    assert not selectors.drill_down(wide.cadres["ta"], None).groups
    response = en(wide.cadres["ta"]).get("/reports/completeness/")
    assert not response.context["wide"] and len(response.context["data"].rows) == 2


def test_wide_summaries_keep_their_query_count_as_towns_grow(wide, en):
    paths = [f"/reports/completeness/?month={LAST_MONTH:%Y-%m}", f"/meetings/?month={LAST_MONTH:%Y-%m}"]
    clients = {who: en(wide.cadres[who]) for who in ("city", "d1")}

    def more_towns(count: int, tag: str):
        for i in range(count):
            cadre = type(wide.cadres["city"]).objects.get(pk=wide.cadres["city"].pk)  # its tree range read afresh
            town = _node(OrgKind.TOWN, f"{tag}{i}", Organization.objects.get(pk=wide.d1.pk))
            village = _node(OrgKind.VILLAGE, f"{tag}{i}v", Organization.objects.get(pk=town.pk))
            hold(village, MeetingKind.BRANCH_COMMITTEE, LAST_MONTH, cadre)

    def measure(_):
        return {(who, path): kit.page_queries(client, path) for who, client in clients.items() for path in paths}

    kit.assert_flat(measure, small=lambda: more_towns(1, "s"), large=lambda: more_towns(8, "l"))
    assert Organization.objects.filter(parent=wide.d1, kind=OrgKind.TOWN).count() == 11


@pytest.mark.parametrize("path", ["/meetings/", "/reports/"])
def test_a_long_list_counts_at_most_its_limit_and_its_pages_up_to_it_still_open(wide, en, monkeypatch, path):
    _grow(wide, "x")
    for day in range(2, 5):
        hold(wide.b1, MeetingKind.THEMED_DAY, LAST_MONTH.replace(day=day), wide.cadres["city"])
    secretary = UserFactory(username="sec-b1")
    PositionFactory(user=secretary, organization=wide.b1, role=Role.VILLAGE_SECRETARY)
    for back in range(2, 5):
        actions.report_submit(actor=secretary, report=write(wide.b1, secretary, LAST_MONTH.replace(year=2020 - back)))
    view = (
        "branches.views.meetings.MeetingListView"
        if path == "/meetings/"
        else "branches.views.reports.pages.ReportListView"
    )
    monkeypatch.setattr(f"{view}.count_limit", 3)
    monkeypatch.setattr(f"{view}.paginate_by", 1)
    monkeypatch.setattr("anding.pagination.BoundedPagination.count_limit", 3)
    client = en(wide.cadres["d1"])  # 4 rows in scope

    first = client.get(path)
    assert first.context["paginator"].bounded and first.context["paginator"].count == 3
    noun = "meetings" if path == "/meetings/" else "reports"
    assert f"More than 3 {noun} found" in page(first)
    assert client.get(f"{path}?page=3").status_code == 200  # the last page numbered
    assert client.get(f"{path}?page=4").status_code == 404
    exact = en(wide.cadres["ta"]).get(path).context["paginator"]  # within the limit: exact
    assert not exact.bounded and exact.count == 1

    api = client.get(f"/api{path}").json()
    assert api["count_bounded"] is True and api["count"] == 3
    assert en(wide.cadres["ta"]).get(f"/api{path}").json()["count_bounded"] is False
