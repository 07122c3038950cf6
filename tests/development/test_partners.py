"""The partners (外部带动内部, reference data): the list page (search, kind, pagination, Excel export) and the read-only
API, each person seeing the partners their general branches hold events with and those with no event yet, with the
count of their events in the person's scope."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from development import actions
from development.models import Partner

from ..kit import assert_flat, page_queries

TODAY = timezone.localdate()


def event(actor, general, partner, title="招聘会"):
    return actions.event_add(
        actor=actor, general_branch=general, partner=partner, kind="job_fair", date=TODAY, title=title
    )


@pytest.fixture
def partners(tree, gb_secretary, gb2_secretary):
    """A development zone both general branches work with (g1 twice, g2 once), a platform only g2 works with, and
    an enterprise just added, with no event."""
    zone = actions.partner_add(actor=gb_secretary, name="北京经济技术开发区", kind="development_zone")
    platform = actions.partner_add(actor=gb2_secretary, name="共享网络销售平台", kind="platform")
    fresh = actions.partner_add(actor=gb_secretary, name="首农食品集团", kind="enterprise", contact_note="张经理")
    event(gb_secretary, tree.g1, zone)
    event(gb_secretary, tree.g1, zone, title="专场招聘会")
    event(gb2_secretary, tree.g2, zone)
    event(gb2_secretary, tree.g2, platform, title="线上销售")
    return {"zone": zone, "platform": platform, "fresh": fresh}


def listed(response) -> dict[str, int]:
    return {p.name: p.event_count for p in response.context["object_list"]}


SEEN = [  # persona: the partners listed, with their events in the persona's scope
    ("town_cadre", {"北京经济技术开发区": 3, "共享网络销售平台": 1, "首农食品集团": 0}),
    ("gb_secretary", {"北京经济技术开发区": 2, "首农食品集团": 0}),
    ("deputy", {"北京经济技术开发区": 2, "首农食品集团": 0}),
    ("gb2_secretary", {"北京经济技术开发区": 1, "共享网络销售平台": 1, "首农食品集团": 0}),
    ("village_secretary", {}),  # sees no general branch, so no event and no partner
    ("outsider", {}),
]


@pytest.mark.parametrize(("persona", "seen"), SEEN, ids=[row[0] for row in SEEN])
def test_each_person_sees_the_partners_of_their_general_branches(request, client_as, partners, persona, seen):
    client = client_as(request.getfixturevalue(persona))
    response = client.get("/development/partners/")
    assert response.status_code == 200
    assert listed(response) == seen
    api = client.get("/api/partners/").json()
    assert {r["name"]: r["events"] for r in api["results"]} == seen
    platform = client.get(f"/api/partners/{partners['platform'].pk}/")
    assert platform.status_code == (200 if "共享网络销售平台" in seen else 404)


def test_search_kind_and_the_rows_lead_to_the_events(partners, gb_secretary, client_as):
    client = client_as(gb_secretary)
    assert listed(client.get("/development/partners/?q=开发区")) == {"北京经济技术开发区": 2}
    assert listed(client.get("/development/partners/?q=张经理")) == {"首农食品集团": 0}
    assert listed(client.get("/development/partners/?kind=enterprise")) == {"首农食品集团": 0}
    assert client.get("/api/partners/?q=开发区").json()["count"] == 1
    page = client.get("/development/partners/").content.decode()
    zone = partners["zone"]
    assert f"/development/events/?partner={zone.pk}" in page
    assert client.get(zone.get_absolute_url()).context["paginator"].count == 2  # g1's events with the zone
    assert 'href="/development/partners/"' in page  # in the navigation
    assert "/development/partners/" in client.get("/development/events/").content.decode()


def test_the_api_is_read_only(partners, town_cadre, client_as):
    client = client_as(town_cadre)
    zone = partners["zone"]
    assert (
        client.post("/api/partners/", {"name": "x", "kind": "other"}, content_type="application/json").status_code
        == 405
    )
    patched = client.patch(f"/api/partners/{zone.pk}/", {"name": "x"}, content_type="application/json")
    assert patched.status_code == 405
    zone.refresh_from_db()
    assert zone.name == "北京经济技术开发区"
    assert client.get(f"/api/partners/{zone.pk}/").json()["events"] == 3


def test_pagination_and_the_export(tree, gb_secretary, client_as):
    for n in range(55):
        actions.partner_add(actor=gb_secretary, name=f"合作企业{n:02d}", kind="enterprise")
    client = client_as(gb_secretary)
    first = client.get("/development/partners/")
    assert first.context["paginator"].count == 55 and len(first.context["object_list"]) == 50
    assert len(client.get("/development/partners/?page=2").context["object_list"]) == 5
    response = client.get("/development/partners/?q=合作企业0&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0].value for row in sheet.iter_rows() if row[0].value and str(row[0].value).startswith("合作企业")]
    assert names == [f"合作企业{n:02d}" for n in range(10)]


def test_query_counts_stay_flat(tree, gb_secretary, client_as):
    client = client_as(gb_secretary)

    def make(count):
        def build():
            for n in range(count):
                partner = Partner.objects.create(name=f"企业{count}-{n}", kind="enterprise")
                event(gb_secretary, tree.g1, partner)

        return build

    assert_flat(
        lambda _: (page_queries(client, "/development/partners/"), page_queries(client, "/api/partners/")),
        make(1),
        make(10),
    )
