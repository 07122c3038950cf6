"""The outcome ledger (issue 11): per general branch and year, its figures recomputed here from the rows, each
figure's link leading to the rows that add up to it, scope per persona, a new progress record changing it on the
next load, the Excel export, and a constant number of queries as the data grows."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from development import actions
from development.models import PairingProgress, PartnerEvent, ResourceTraining, SharedSale
from development.selectors import ledger

from ..conftest import more_villages, pair, progress
from ..kit import assert_flat, page_queries

TODAY = timezone.localdate()
YEAR = TODAY.year


def expected(general, year) -> dict:
    """The ledger's figures of `general` in `year`, recomputed from the rows without the selector."""
    pairings = [
        p for p in general.children.all() for p in p.pairings_led.all() if p.start_date.year <= year <= p.end_date.year
    ]
    helped = {v.pk for p in pairings for v in p.helped_villages.all()}
    latest = []
    for p in pairings:
        rows = sorted((r for r in p.progress.all() if r.date.year == year), key=lambda r: (r.date, r.pk))
        if rows:
            latest.append(rows[-1])
    increases = [r.income_after - r.income_before for r in latest]
    events = [e for e in PartnerEvent.objects.filter(general_branch=general) if e.date.year == year]
    trainings = [t for t in ResourceTraining.objects.filter(resource__general_branch=general) if t.date.year == year]
    sales = [s for s in SharedSale.objects.filter(general_branch=general) if s.date.year == year]
    return {
        "villages_driven": len(helped),
        "area_mu": sum((r.area_mu for r in latest), Decimal(0)),
        "income_increase": (sum(increases) / len(increases)).quantize(Decimal("0.01")) if increases else None,
        "people_employed": sum(e.people_employed for e in events),
        "person_times_trained": sum(e.person_times_trained for e in events) + sum(t.person_times for t in trainings),
        "sales_jin": sum((s.quantity_jin for s in sales), Decimal(0)),
        "sales_yuan": sum((s.amount for s in sales), Decimal(0)),
    }


def figures(row) -> dict:
    names = ["villages_driven", "area_mu", "income_increase", "people_employed", "person_times_trained"]
    return {name: getattr(row, name) for name in [*names, "sales_jin", "sales_yuan"]}


def world(tree, gb_secretary, gb2_secretary, g2_event, g2_resource, g2_sale):
    """Two pairings of g1 (one with two records this year and one last year), one of g2; events, trainings, sales."""
    first = pair(gb_secretary, tree.v11, [tree.v12, tree.v21], start=datetime.date(YEAR - 1, 1, 1))
    progress(gb_secretary, first, date=datetime.date(YEAR - 1, 6, 1), area="50", after="15500")
    progress(gb_secretary, first, date=datetime.date(YEAR, 1, 2), area="120", after="16000")
    progress(gb_secretary, first, date=datetime.date(YEAR, 1, 3), area="300", after="17000")
    second = pair(gb_secretary, tree.v12, [tree.v11], industry="果树", start=datetime.date(YEAR, 1, 1))
    progress(gb_secretary, second, date=datetime.date(YEAR, 1, 2), area="40.5", before="12000", after="12500")
    third = pair(gb2_secretary, tree.v21, [tree.v22], start=datetime.date(YEAR, 1, 1))
    progress(gb2_secretary, third, date=datetime.date(YEAR, 1, 2), area="70")
    actions.sale_add(
        actor=gb_secretary,
        general_branch=tree.g1,
        product="桃",
        channel="平台",
        quantity_jin=Decimal("1000.5"),
        amount=Decimal("3000"),
        date=datetime.date(YEAR, 1, 2),
    )


def test_the_ledger_is_what_the_rows_add_up_to(
    tree, gb_secretary, gb2_secretary, town_cadre, g2_event, g2_resource, g2_sale, client_as
):
    world(tree, gb_secretary, gb2_secretary, g2_event, g2_resource, g2_sale)
    rows, total = ledger(town_cadre, YEAR)
    assert [r.general_branch for r in rows] == [tree.g1, tree.g2]
    for row in rows:
        assert figures(row) == expected(row.general_branch, YEAR), row.general_branch
    g1 = figures(rows[0])
    assert (g1["villages_driven"], g1["area_mu"], g1["income_increase"]) == (3, Decimal("340.5"), Decimal("1250"))
    assert total.sales_jin == Decimal("6000.5") and total.people_employed == 60
    assert total.person_times_trained == 20 + 150
    # Each figure's link lists the rows that add up to it.
    client = client_as(town_cadre)
    latest = client.get(rows[0].progress_url).context["object_list"]
    assert sum(p.area_mu for p in latest) == Decimal("340.5")
    assert client.get(rows[0].pairings_url).context["paginator"].count == 2
    assert sum(s.quantity_jin for s in client.get(rows[1].sales_url).context["object_list"]) == Decimal(5000)
    assert sum(t.person_times for t in client.get(rows[1].trainings_url).context["object_list"]) == 150
    # Last year: only the first pairing's record of last year.
    last = ledger(town_cadre, YEAR - 1)[0][0]
    assert (last.villages_driven, last.area_mu) == (2, Decimal(50))


def test_scope_per_persona(
    tree, gb_secretary, gb2_secretary, village_secretary, sifa, outsider, g2_event, g2_resource, g2_sale, client_as
):
    world(tree, gb_secretary, gb2_secretary, g2_event, g2_resource, g2_sale)
    assert [r.general_branch for r in ledger(gb2_secretary, YEAR)[0]] == [tree.g2]
    assert [r.general_branch for r in ledger(gb_secretary, YEAR)[0]] == [tree.g1]
    for user in (village_secretary, sifa, outsider):
        response = client_as(user).get("/development/ledger/")
        assert response.status_code == 200 and response.context["rows"] == []
    assert client_as(None).get("/development/ledger/").status_code == 302


def test_a_new_progress_record_changes_the_ledger_on_the_next_load(tree, gb_secretary, client_as):
    pairing = pair(gb_secretary, tree.v11, [tree.v12])
    client = client_as(gb_secretary)
    assert client.get("/development/ledger/").context["rows"][0].area_mu == 0
    client.post(
        f"/development/pairings/{pairing.pk}/progress/",
        {"date": TODAY.isoformat(), "area_mu": "75", "households": "9", "income_before": "100", "income_after": "350"},
    )
    assert PairingProgress.objects.count() == 1
    row = client.get("/development/ledger/").context["rows"][0]
    assert (row.area_mu, row.income_increase) == (75, 250)


def test_the_export_holds_the_figures(
    tree, gb_secretary, gb2_secretary, town_cadre, g2_event, g2_resource, g2_sale, client_as
):
    world(tree, gb_secretary, gb2_secretary, g2_event, g2_resource, g2_sale)
    response = client_as(town_cadre).get(f"/development/ledger/?year={YEAR}&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    rows = [r for r in values if r and r[0] in (tree.g1.name, tree.g2.name)]
    assert [r[2] for r in rows] == [3, 1]
    assert float(rows[1][7]) == 5000


def test_query_counts_stay_flat(tree, gb_secretary, town_cadre, client_as):
    client = client_as(town_cadre)

    def make(count):
        def build():
            villages = more_villages(tree, "g1", count, f"l{count}")
            for cache in ("_scope_cache", "_active_positions"):
                gb_secretary.__dict__.pop(cache, None)
            for village in villages:
                p = pair(gb_secretary, village, [tree.v11])
                progress(gb_secretary, p)
            return

        return build

    assert_flat(lambda _: page_queries(client, "/development/ledger/"), make(1), make(10))
