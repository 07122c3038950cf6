"""Pairings (强村带弱村) and the villages' figures (issue 11): set up and followed through the pages, both sides'
figures on the pairing's page, scope per persona (through the lead village or any helped village; written through
the lead village), bad input (a village pairing with itself, an end before the start, negative figures: a clear
error at the field, nothing saved), the API and query counts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from branches.choices import Role
from development import actions
from development.models import Pairing, PairingProgress, VillageFigures

from ..conftest import _persona, more_villages, pair, progress
from ..kit import assert_flat, page_queries, shows_errors

TODAY = timezone.localdate()
YEAR = TODAY.year
START = TODAY.replace(month=1, day=1)


def pairing_post(lead, helped, **changes):
    data = {
        "lead_village": lead.pk,
        "helped_villages": [v.pk for v in helped],
        "industry": "蔬菜种植",
        "goals": "辐射带动周边村发展设施蔬菜",
        "start_date": START.isoformat(),
        "end_date": START.replace(year=YEAR + 2).isoformat(),
    }
    return {**data, **changes}


def progress_post(**changes):
    data = {
        "date": TODAY.isoformat(),
        "area_mu": "320.5",
        "households": "48",
        "income_before": "15000",
        "income_after": "16200",
        "notes": "新建大棚20个",
    }
    return {**data, **changes}


# --- the pages ------------------------------------------------------------------------------------------------------


def test_the_general_branch_pairs_villages_and_records_progress(
    tree, gb_secretary, village_secretary, neighbour_secretary, client_as
):
    gb = client_as(gb_secretary)
    created = gb.post("/development/pairings/add/", pairing_post(tree.v11, [tree.v12, tree.v21]))
    pairing = Pairing.objects.get()
    assert created.status_code == 302 and created.url == f"/development/pairings/{pairing.pk}/"
    assert set(pairing.helped_villages.all()) == {tree.v12, tree.v21} and pairing.created_by == gb_secretary

    assert gb.post(f"/development/pairings/{pairing.pk}/progress/", progress_post()).status_code == 302
    later = progress_post(area_mu="800", income_after="17000")
    assert gb.post(f"/development/pairings/{pairing.pk}/progress/", later).status_code == 302
    assert PairingProgress.objects.filter(pairing=pairing).count() == 2

    page = gb.get(pairing.get_absolute_url())
    assert page.context["latest"].area_mu == Decimal("800")
    assert page.context["latest"].increase == Decimal("2000")
    listed = gb.get("/development/").context["object_list"]
    assert [(p.latest_area_mu, p.latest_increase) for p in listed] == [(Decimal("800"), Decimal("2000"))]

    changed = gb.post(f"/development/pairings/{pairing.pk}/edit/", pairing_post(tree.v11, [tree.v12], industry="果树"))
    assert changed.status_code == 302
    pairing.refresh_from_db()
    assert pairing.industry == "果树" and list(pairing.helped_villages.all()) == [tree.v12]
    # A helped village's secretary sees it and changes nothing; so does the lead village's own secretary.
    for secretary in (neighbour_secretary, village_secretary):
        client = client_as(secretary)
        assert client.get(pairing.get_absolute_url()).status_code == 200
        assert client.get(f"/development/pairings/{pairing.pk}/progress/").status_code == 403
        assert client.get("/development/pairings/add/").status_code == 403


def test_the_pairing_page_shows_both_sides_figures(tree, gb_secretary, client_as):
    for village, year, income in ((tree.v11, YEAR - 1, "30000"), (tree.v11, YEAR, "32000"), (tree.v12, YEAR, "14000")):
        actions.figures_save(
            actor=gb_secretary,
            village=village,
            year=year,
            collective_income=Decimal("100000"),
            income_per_capita=Decimal(income),
        )
    pairing = pair(gb_secretary, tree.v11, [tree.v12])
    sides = client_as(gb_secretary).get(pairing.get_absolute_url()).context["sides"]
    assert [(s.village, s.leads, s.figures.year, s.figures.income_per_capita) for s in sides] == [
        (tree.v11, True, YEAR, Decimal("32000")),  # the latest year
        (tree.v12, False, YEAR, Decimal("14000")),
    ]


def test_a_pairing_across_general_branches(tree, gb_secretary, gb2_secretary, client_as):
    """Led by 东庄 (g1), helping 南营 (g2): g2 sees it (through the helped village) but writes nothing."""
    pairing = pair(gb_secretary, tree.v11, [tree.v21])
    v21_secretary = _persona("v21", tree.v21, Role.VILLAGE_SECRETARY)
    for user in (gb2_secretary, v21_secretary):
        client = client_as(user)
        assert client.get(pairing.get_absolute_url()).status_code == 200
        assert client.get(f"/development/pairings/{pairing.pk}/edit/").status_code == 403
        assert list(client.get("/development/").context["object_list"]) == [pairing]
        assert client.get(f"/api/pairings/{pairing.pk}/").status_code == 200
    v22_secretary = _persona("v22", tree.v22, Role.VILLAGE_SECRETARY)
    assert client_as(v22_secretary).get(pairing.get_absolute_url()).status_code == 404


SCOPE = [  # persona: the g2 pairing's page, its API, its edit page, its progress page, g2's figures' edit page
    ("town_cadre", 200, 200, 200, 200, 200),
    ("gb2_secretary", 200, 200, 200, 200, 200),
    ("gb_secretary", 404, 404, 404, 404, 404),
    ("deputy", 404, 404, 404, 404, 404),
    ("village_secretary", 404, 404, 404, 404, 404),
    ("sifa", 404, 404, 404, 404, 404),
    ("outsider", 404, 404, 404, 404, 404),
]


@pytest.mark.parametrize(("persona", "page", "api", "edit", "add", "figures"), SCOPE, ids=[r[0] for r in SCOPE])
def test_scope_per_persona(persona, page, api, edit, add, figures, check_access, g2_pairing, g2_figures, sifa):
    check_access(persona, "/development/pairings/{g2_pairing.pk}/", page)
    check_access(persona, "/api/pairings/{g2_pairing.pk}/", api)
    check_access(persona, "/development/pairings/{g2_pairing.pk}/edit/", edit)
    check_access(persona, "/development/pairings/{g2_pairing.pk}/progress/", add)
    check_access(persona, "/development/figures/{g2_figures.pk}/edit/", figures)
    check_access(persona, "/api/village-figures/{g2_figures.pk}/", page)


def test_lists_show_only_the_scope(tree, g2_pairing, g2_figures, gb_secretary, town_cadre, sifa, outsider, client_as):
    own = pair(gb_secretary, tree.v11, [tree.v12])
    cases = [(town_cadre, {own, g2_pairing}), (gb_secretary, {own}), (sifa, set()), (outsider, set())]
    for user, expected in cases:
        client = client_as(user)
        assert set(client.get("/development/").context["object_list"]) == expected
        assert {p["id"] for p in client.get("/api/pairings/").json()["results"]} == {p.pk for p in expected}
    assert list(client_as(gb_secretary).get("/development/figures/").context["object_list"]) == []
    assert list(client_as(town_cadre).get("/development/figures/").context["object_list"]) == [g2_figures]
    # Department staff and outsiders set nothing up.
    assert client_as(sifa).get("/development/pairings/add/").status_code == 403
    assert client_as(outsider).get("/development/figures/add/").status_code == 403


# --- bad input ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"helped_villages": "self"}, "helped_villages"),
        ({"helped_villages": []}, "helped_villages"),
        ({"end_date": (START - datetime.timedelta(days=1)).isoformat()}, "end_date"),
        ({"industry": "   "}, "industry"),
    ],
    ids=["itself", "none-helped", "end-before-start", "no-industry"],
)
def test_a_bad_pairing_is_refused_at_the_field(tree, gb_secretary, client_as, changes, field):
    itself = changes.get("helped_villages") == "self"
    if itself:
        changes = {"helped_villages": [tree.v11.pk, tree.v12.pk]}
    response = client_as(gb_secretary).post("/development/pairings/add/", pairing_post(tree.v11, [tree.v12], **changes))
    messages = shows_errors(response, field)
    if itself:  # the message names the village to leave out
        assert tree.v11.name in " ".join(messages)
    assert not Pairing.objects.exists()


def test_every_mistake_is_named_at_once(tree, gb_secretary, client_as):
    data = pairing_post(tree.v11, [tree.v11], end_date=(START - datetime.timedelta(days=1)).isoformat())
    response = client_as(gb_secretary).post("/development/pairings/add/", data)
    shows_errors(response, "helped_villages")
    shows_errors(response, "end_date")
    assert not Pairing.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area_mu": "-1"}, "area_mu"),
        ({"households": "-3"}, "households"),
        ({"income_after": "-100"}, "income_after"),
        ({"date": (START - datetime.timedelta(days=1)).isoformat()}, "date"),
        ({"date": (TODAY + datetime.timedelta(days=1)).isoformat()}, "date"),
    ],
    ids=["negative-area", "negative-households", "negative-income", "before-the-pairing", "in-the-future"],
)
def test_bad_progress_is_refused_at_the_field(tree, gb_secretary, client_as, changes, field):
    pairing = pair(gb_secretary, tree.v11, [tree.v12])
    response = client_as(gb_secretary).post(f"/development/pairings/{pairing.pk}/progress/", progress_post(**changes))
    shows_errors(response, field)
    assert not PairingProgress.objects.exists()


def test_figures_are_entered_once_per_village_and_year(tree, gb_secretary, village_secretary, client_as):
    data = {"village": tree.v11.pk, "year": YEAR, "collective_income": "820000", "income_per_capita": "26000"}
    secretary = client_as(village_secretary)
    assert secretary.post("/development/figures/add/", data).status_code == 302
    row = VillageFigures.objects.get()
    assert row.created_by == village_secretary
    again = shows_errors(client_as(gb_secretary).post("/development/figures/add/", data), "year")
    assert tree.v11.name in " ".join(again) and str(YEAR) in " ".join(again)
    negative = {**data, "year": YEAR - 1, "income_per_capita": "-5"}
    shows_errors(secretary.post("/development/figures/add/", negative), "income_per_capita")
    # The neighbour village is not the secretary's: refused at the field.
    shows_errors(secretary.post("/development/figures/add/", {**data, "village": tree.v12.pk}), "village")
    corrected = secretary.post(f"/development/figures/{row.pk}/edit/", {**data, "income_per_capita": "26500"})
    assert corrected.status_code == 302
    row.refresh_from_db()
    assert row.income_per_capita == Decimal("26500") and VillageFigures.objects.count() == 1


# --- the API --------------------------------------------------------------------------------------------------------


def test_the_api_sets_up_a_pairing_and_records_progress(tree, gb_secretary, gb2_secretary, g2_pairing, client_as):
    api = client_as(gb_secretary)
    data = {k: v for k, v in pairing_post(tree.v11, [tree.v12]).items()}
    created = api.post("/api/pairings/", data, content_type="application/json")
    assert created.status_code == 201, created.content
    url = f"/api/pairings/{created.json()['id']}/"
    added = api.post(url + "progress/", progress_post(), content_type="application/json")
    assert added.status_code == 201 and added.json()["progress"][0]["area_mu"] == "320.50"
    changed = api.patch(url, {"industry": "果树"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["industry"] == "果树"
    assert [v["id"] for v in changed.json()["helped_villages"]] == [tree.v12.pk]
    itself = api.patch(url, {"helped_villages": [tree.v11.pk]}, content_type="application/json")
    assert itself.status_code == 400 and "helped_villages" in itself.json()
    bad = api.post("/api/pairings/", {**data, "helped_villages": [tree.v11.pk]}, content_type="application/json")
    assert bad.status_code == 400 and "helped_villages" in bad.json()
    negative = api.post(url + "progress/", progress_post(area_mu="-1"), content_type="application/json")
    assert negative.status_code == 400
    # g2's pairing is out of g1's scope; g1's village cannot lead a pairing set up by g2.
    assert (
        api.post(
            f"/api/pairings/{g2_pairing.pk}/progress/", progress_post(), content_type="application/json"
        ).status_code
        == 404
    )
    foreign = client_as(gb2_secretary).post("/api/pairings/", data, content_type="application/json")
    assert foreign.status_code in (400, 403)
    assert Pairing.objects.count() == 2 and PairingProgress.objects.count() == 2


def test_the_api_enters_figures(tree, village_secretary, client_as):
    api = client_as(village_secretary)
    data = {"village": tree.v11.pk, "year": YEAR, "collective_income": "1000", "income_per_capita": "20000"}
    created = api.post("/api/village-figures/", data, content_type="application/json")
    assert created.status_code == 201, created.content
    again = api.post("/api/village-figures/", data, content_type="application/json")
    assert again.status_code == 400
    url = f"/api/village-figures/{created.json()['id']}/"
    corrected = api.patch(url, {"income_per_capita": "21000"}, content_type="application/json")
    assert corrected.status_code == 200 and corrected.json()["income_per_capita"] == "21000.00"
    negative = api.patch(url, {"income_per_capita": "-1"}, content_type="application/json")
    assert negative.status_code == 400


# --- query counts ---------------------------------------------------------------------------------------------------


def test_query_counts_stay_flat(tree, gb_secretary, client_as):
    client = client_as(gb_secretary)

    def make(count):
        def build():
            villages = more_villages(tree, "g1", count, f"q{count}")
            for cache in ("_scope_cache", "_active_positions"):  # the tree's numbers moved
                gb_secretary.__dict__.pop(cache, None)
            for village in villages:
                p = pair(gb_secretary, village, [tree.v11, tree.v12])
                progress(gb_secretary, p)
                actions.figures_save(
                    actor=gb_secretary,
                    village=village,
                    year=YEAR,
                    collective_income=Decimal(1),
                    income_per_capita=Decimal(1),
                )
            return p

        return build

    def measure(pairing):
        return (
            page_queries(client, "/development/"),
            page_queries(client, "/development/figures/"),
            page_queries(client, "/development/progress/"),
            page_queries(client, "/api/pairings/"),
            page_queries(client, pairing.get_absolute_url()),
        )

    assert_flat(measure, make(1), make(10))


def test_a_pairing_without_progress_for_three_months_is_a_to_do(
    tree, gb_secretary, deputy, village_secretary, client_as
):
    from development.todo import pairing_todos

    old = pair(gb_secretary, tree.v11, [tree.v12], start=TODAY - datetime.timedelta(days=200))
    progress(gb_secretary, old, date=TODAY - datetime.timedelta(days=120))
    fresh = pair(gb_secretary, tree.v12, [tree.v11], start=TODAY - datetime.timedelta(days=200))
    progress(gb_secretary, fresh, date=TODAY - datetime.timedelta(days=10))
    pair(gb_secretary, tree.v11, [tree.v12], industry="新结对", start=TODAY - datetime.timedelta(days=30))
    with translation.override("en"):
        items = pairing_todos(gb_secretary)
    assert [i["label"] for i in items] == ["1 pairing under way has no progress recorded for three months"]
    assert list(client_as(gb_secretary).get(items[0]["url"]).context["object_list"]) == [old]
    assert len(pairing_todos(deputy)) == 1
    assert pairing_todos(village_secretary) == []  # sees the pairing, writes nothing
    dashboard = client_as(gb_secretary).get("/").content.decode()
    assert "/development/?stale=true" in dashboard
