"""The dashboard of a wide scope (issue 13): the city's is split per district, a district's per town, a town's per
general branch (its villages directly under it as one more row), each row adding up its villages; the units below
are not listed one by one, and the queries do not grow with the number of districts, towns or villages."""

import pytest
from django.utils import translation

from branches.choices import OrgKind, Role
from branches.models import Organization
from branches.selectors import breakdown
from services.models import ServiceCentre

from .factories import OrganizationFactory, PositionFactory, UserFactory, make_members
from .kit import assert_flat, page_queries


def build_city(tag: str, districts: int = 2, towns: int = 2) -> dict:
    """A city of `districts` districts of `towns` towns, each of two general branches of two villages (two members
    each), the first town with a village directly under it too; a cadre on the city, the first district and the
    first town."""
    node = OrganizationFactory
    city = node(kind=OrgKind.CITY, name=f"{tag}市委", code=f"{tag}-C")
    tree = {"city": city, "districts": [], "towns": [], "villages": []}
    for d in range(districts):
        district = node(kind=OrgKind.DISTRICT, name=f"{tag}区{d}", code=f"{tag}-D{d}", parent=city)
        tree["districts"].append(district)
        for t in range(towns):
            town = node(kind=OrgKind.TOWN, name=f"{tag}镇{d}{t}", code=f"{tag}-T{d}{t}", parent=district)
            tree["towns"].append(town)
            for g in range(2):
                general = node(kind=OrgKind.GENERAL, name=f"{tag}总支{d}{t}{g}", code=f"{tag}-G{d}{t}{g}", parent=town)
                for v in range(2):
                    village = node(name=f"{tag}村{d}{t}{g}{v}", code=f"{tag}-V{d}{t}{g}{v}", parent=general)
                    tree["villages"].append(village)
    tree["direct"] = node(name=f"{tag}直属村", code=f"{tag}-V-direct", parent=tree["towns"][0])
    tree["villages"].append(tree["direct"])
    for village in tree["villages"]:
        make_members(village, 2)
    for n in range(districts):  # a service centre per district, serving its general branches
        centre = ServiceCentre.objects.create(
            code=f"{tag}-centre-{n}", name_zh=f"{tag}中心{n}", name_en=f"{tag} centre {n}"
        )
        centre.general_branches.add(*Organization.objects.filter(kind=OrgKind.GENERAL, code__startswith=f"{tag}-G{n}"))
    for key, org in (("city_cadre", city), ("district_cadre", tree["districts"][0]), ("town_cadre", tree["towns"][0])):
        tree[key] = UserFactory(username=f"{key}-{tag}")
        PositionFactory(user=tree[key], organization=org, role=Role.TOWN_CADRE)
    return tree


def page(client_as, user):
    with translation.override("en"):
        response = client_as(user).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def rows(response, key: str) -> dict[str, list]:
    section = next(s for s in response.context["sections"] if s.key == key)
    return {str(row[0]): [getattr(c, "value", c) for c in row[1:]] for row in section.rows}


def panel(response, template: str) -> dict:
    return next(p for p in response.context["panels"] if p["template"] == template)


@pytest.fixture
def city(db):
    return build_city("A")


def test_the_city_is_split_per_district(client_as, city):
    response = page(client_as, city["city_cadre"])
    reports = rows(response, "reports")
    assert list(reports) == [d.name for d in city["districts"]]
    assert [r[0] for r in reports.values()] == [9, 8]  # villages: the first district's first town has one more
    assert set(rows(response, "meetings")) == set(reports)
    assert set(rows(response, "on-time")) == {*reports, "All"}
    assert list(rows(response, "development")) == list(reports)  # the outcome ledger added up per district
    assert list(rows(response, "service-days")) == list(reports)  # the centres added up per district
    figures = panel(response, "branches/dashboard_panel.html")
    assert [(g["label"], g["villages"], g["members"]) for g in figures["groups"]] == [
        (city["districts"][0].name, 9, 18),
        (city["districts"][1].name, 8, 16),
    ]
    assert figures["villages"] == []  # 17 villages: not listed one by one above a town
    attention = panel(response, "branches/attention_panel.html")
    with translation.override("en"):
        assert [str(r["label"]) for r in attention["rows"]] == ["Total", *(d.name for d in city["districts"])]
    assert attention["details"] == []
    assert attention["heading"] == "district"


def test_a_district_is_split_per_town(client_as, city):
    response = page(client_as, city["district_cadre"])
    assert list(rows(response, "reports")) == [t.name for t in city["towns"][:2]]
    assert panel(response, "branches/attention_panel.html")["heading"] == "town"


def test_a_town_is_split_per_general_branch_with_its_own_villages_last(client_as, city):
    town = city["towns"][0]
    response = page(client_as, city["town_cadre"])
    reports = rows(response, "reports")
    generals = [g.name for g in Organization.objects.filter(parent=town, kind=OrgKind.GENERAL).order_by("lft")]
    assert list(reports) == [*generals, f"{town.name}: villages directly under it"]
    assert [r[0] for r in reports.values()] == [2, 2, 1]
    assert len(panel(response, "branches/dashboard_panel.html")["villages"]) == 5  # a town's villages are listed


def test_each_village_falls_in_one_group(city):
    with translation.override("en"):
        groups = breakdown(city["city_cadre"])
    assert set(groups.group_of) == {v.pk for v in city["villages"]}
    assert groups.total_villages == len(city["villages"])
    assert groups.group_of[city["direct"].pk] == city["districts"][0].pk


@pytest.mark.parametrize("persona", ["city_cadre", "district_cadre"])
def test_the_wide_dashboard_runs_the_same_queries_for_more_districts_and_towns(db, client_as, persona):
    def measure(tree):
        return page_queries(client_as(tree[persona]), "/")

    assert_flat(measure, lambda: build_city("S"), lambda: build_city("L", districts=4, towns=3))
