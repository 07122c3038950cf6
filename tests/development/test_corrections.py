"""Corrections in the outcome ledger's records (issue 11): a pairing's progress record, a resource's training and a
shared sale are corrected on their edit pages and by PATCH, by those who may record them (the lead village's general
branch or the record's general branch, its deputies, the town); in scope but read-only is 403, out of scope 404.
Bad input is refused at the field and saves nothing; a correction is audited and changes the ledger on the next
load."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from anding.models import AuditEvent
from development import actions
from development.models import PairingProgress, ResourceTraining, SharedSale
from development.selectors import ledger

from ..conftest import pair, progress
from ..kit import access_table, shows_errors

TODAY = timezone.localdate()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()
JSON = {"content_type": "application/json"}


@pytest.fixture
def led(tree, gb_secretary):
    """东庄 (v11, g1) leads 西庄 (v12, g1) and 南营 (v21, g2): g2 sees the pairing and writes nothing. One progress
    record with a mistyped area (750 for 75)."""
    pairing = pair(gb_secretary, tree.v11, [tree.v12, tree.v21])
    return progress(gb_secretary, pairing, area="750", before="15000", after="16000")


@pytest.fixture
def g1_training(tree, gb_secretary):
    resource = actions.resource_add(
        actor=gb_secretary, general_branch=tree.g1, kind="cooperative", name="果品合作社", specialty="销售"
    )
    return actions.training_add(actor=gb_secretary, resource=resource, date=TODAY, topic="电商", person_times=300)


@pytest.fixture
def g1_sale(tree, gb_secretary):
    return actions.sale_add(
        actor=gb_secretary,
        general_branch=tree.g1,
        product="桃",
        channel="共享网络销售平台",
        quantity_jin=Decimal("120000"),
        amount=Decimal("42000"),
        date=TODAY,
    )


def progress_post(**changes):
    data = {
        "date": TODAY.isoformat(),
        "area_mu": "75",
        "households": "10",
        "income_before": "15000",
        "income_after": "16000",
        "notes": "",
    }
    return {**data, **changes}


def training_post(**changes):
    return {"date": TODAY.isoformat(), "topic": "电商", "person_times": "30", **changes}


def sale_post(tree, **changes):
    data = {
        "general_branch": tree.g1.pk,
        "product": "桃",
        "channel": "共享网络销售平台",
        "quantity_jin": "12000",
        "amount": "42000",
        "date": TODAY.isoformat(),
    }
    return {**data, **changes}


ACCESS = [
    # A progress record: written through the lead village (g1); seen through every village it helps (g2 too).
    ("town_cadre", "/development/progress/{led.pk}/edit/", 200),
    ("gb_secretary", "/development/progress/{led.pk}/edit/", 200),
    ("deputy", "/development/progress/{led.pk}/edit/", 200),
    ("gb2_secretary", "/development/progress/{led.pk}/edit/", 403),  # a village of g2 is helped: sees, no write
    ("village_secretary", "/development/progress/{led.pk}/edit/", 403),  # the lead village's own secretary
    ("neighbour_secretary", "/development/progress/{led.pk}/edit/", 403),  # a helped village's secretary
    ("outsider", "/development/progress/{led.pk}/edit/", 404),
    ("gb_secretary", "/development/progress/{g2_progress.pk}/edit/", 404),  # another general branch's
    ("gb2_secretary", "/development/progress/{g2_progress.pk}/edit/", 200),
    # A training and a sale: through their general branch; a village's secretary sees none.
    ("town_cadre", "/development/trainings/{g1_training.pk}/edit/", 200),
    ("gb_secretary", "/development/trainings/{g1_training.pk}/edit/", 200),
    ("deputy", "/development/trainings/{g1_training.pk}/edit/", 200),
    ("gb2_secretary", "/development/trainings/{g1_training.pk}/edit/", 404),
    ("village_secretary", "/development/trainings/{g1_training.pk}/edit/", 404),
    ("town_cadre", "/development/sales/{g1_sale.pk}/edit/", 200),
    ("gb_secretary", "/development/sales/{g1_sale.pk}/edit/", 200),
    ("deputy", "/development/sales/{g1_sale.pk}/edit/", 200),
    ("gb2_secretary", "/development/sales/{g1_sale.pk}/edit/", 404),
    ("village_secretary", "/development/sales/{g1_sale.pk}/edit/", 404),
    ("anonymous", "/development/progress/{led.pk}/edit/", "login"),
    ("anonymous", "/development/trainings/{g1_training.pk}/edit/", "login"),
    ("anonymous", "/development/sales/{g1_sale.pk}/edit/", "login"),
]


@access_table(ACCESS)
def test_access(check_access, persona, url, status):
    check_access(persona, url, status)


PATCH = [  # persona: PATCH of g1's progress record (its pairing also helps g2's 南营), training and sale
    ("town_cadre", 200, 200, 200),
    ("gb_secretary", 200, 200, 200),
    ("deputy", 200, 200, 200),
    ("gb2_secretary", 403, 404, 404),
    ("village_secretary", 403, 404, 404),
    ("outsider", 404, 404, 404),
]


@pytest.mark.parametrize(("persona", "on_progress", "on_training", "on_sale"), PATCH, ids=[r[0] for r in PATCH])
def test_the_api_corrects_for_the_same_people(
    request, client_as, led, g1_training, g1_sale, persona, on_progress, on_training, on_sale
):
    client = client_as(request.getfixturevalue(persona))
    answer = client.patch(f"/api/pairing-progress/{led.pk}/", {"area_mu": "75"}, **JSON)
    assert answer.status_code == on_progress, answer.content
    answer = client.patch(f"/api/resource-trainings/{g1_training.pk}/", {"person_times": 30}, **JSON)
    assert answer.status_code == on_training, answer.content
    answer = client.patch(f"/api/shared-sales/{g1_sale.pk}/", {"quantity_jin": "12000"}, **JSON)
    assert answer.status_code == on_sale, answer.content
    for row in (led, g1_training, g1_sale):
        row.refresh_from_db()
    corrected = (led.area_mu, g1_training.person_times, g1_sale.quantity_jin)
    if on_progress == 200:
        assert corrected == (75, 30, 12000)
    else:
        assert corrected == (750, 300, 120000)


def test_a_corrected_progress_record_changes_the_ledger_on_the_next_load(
    led, gb_secretary, deputy, village_secretary, client_as
):
    client = client_as(gb_secretary)
    assert client.get("/development/ledger/").context["rows"][0].area_mu == 750
    refused = client.post(f"/development/progress/{led.pk}/edit/", progress_post(area_mu="-75"))
    assert shows_errors(refused, "area_mu") == ["面积不能小于 0。"]  # in Chinese, the default
    with translation.override("en"):
        english = client.post(
            f"/development/progress/{led.pk}/edit/", progress_post(area_mu="-75"), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert english.context["form"].errors["area_mu"] == ["The area cannot be below 0."]
    page = client.get(led.pairing.get_absolute_url()).content.decode()
    assert f"/development/progress/{led.pk}/edit/" in page
    form = client.get(f"/development/progress/{led.pk}/edit/")
    assert form.context["form"].initial["area_mu"] == Decimal("750")
    saved = client.post(f"/development/progress/{led.pk}/edit/", progress_post(income_after="16500"))
    assert saved.status_code == 302 and saved.url == led.get_absolute_url()
    row = client.get("/development/ledger/").context["rows"][0]
    assert (row.area_mu, row.income_increase) == (75, 1500)
    assert row == ledger(gb_secretary, TODAY.year)[0][0]
    led.refresh_from_db()
    assert (led.updated_by, led.created_by, PairingProgress.objects.count()) == (gb_secretary, gb_secretary, 1)
    event = AuditEvent.objects.get(action="pairing_progress_save")
    assert (event.actor, event.object_id) == (gb_secretary, str(led.pk))
    # The API corrects one field and keeps the rest; the deputy may.
    patched = client_as(deputy).patch(f"/api/pairing-progress/{led.pk}/", {"households": 12}, **JSON)
    assert patched.status_code == 200 and patched.json()["households"] == 12
    assert patched.json()["area_mu"] == "75.00"
    # The lead village's secretary sees the record, without a link to correct it.
    seen = client_as(village_secretary).get(led.pairing.get_absolute_url()).content.decode()
    assert f"/development/progress/{led.pk}/edit/" not in seen


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area_mu": "-1"}, "area_mu"),
        ({"income_before": "-0.01"}, "income_before"),
        ({"income_after": "-5"}, "income_after"),
        ({"households": "-2"}, "households"),
        ({"date": TOMORROW}, "date"),
        ({"date": "2000-01-01"}, "date"),  # before the pairing starts
        ({"area_mu": "abc"}, "area_mu"),
        ({"notes": "长" * 2001}, "notes"),
    ],
    ids=["area", "income-before", "income-after", "households", "future", "before-start", "not-a-number", "notes"],
)
def test_a_bad_progress_correction_saves_nothing(led, gb_secretary, client_as, changes, field):
    client = client_as(gb_secretary)
    shows_errors(client.post(f"/development/progress/{led.pk}/edit/", progress_post(**changes)), field)
    led.refresh_from_db()
    assert (led.area_mu, led.households, led.income_after) == (750, 10, 16000)
    assert not AuditEvent.objects.filter(action="pairing_progress_save").exists()
    refused = client.patch(f"/api/pairing-progress/{led.pk}/", changes, **JSON)
    assert refused.status_code == 400 and field in refused.json(), refused.content
    led.refresh_from_db()
    assert led.area_mu == 750
    assert client.get("/development/ledger/").context["rows"][0].area_mu == 750


def test_the_action_refuses_what_the_form_would_let_through(led, gb_secretary, gb2_secretary):
    """The action checks again: a future date, a negative income; and g2's secretary may not correct at all."""
    fields = {
        "date": TODAY,
        "area_mu": Decimal(75),
        "households": 10,
        "income_before": Decimal(-1),
        "income_after": Decimal(16000),
    }
    with pytest.raises(ValidationError) as refused:
        actions.progress_correct(actor=gb_secretary, progress=led, **fields)
    assert "income_before" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.progress_correct(actor=gb2_secretary, progress=led, **{**fields, "income_before": Decimal(1)})
    led.refresh_from_db()
    assert led.area_mu == 750


def test_a_training_is_corrected_and_the_ledger_follows(g1_training, gb_secretary, client_as):
    client = client_as(gb_secretary)
    assert client.get("/development/ledger/").context["rows"][0].person_times_trained == 300
    resource_page = client.get(g1_training.resource.get_absolute_url()).content.decode()
    assert f"/development/trainings/{g1_training.pk}/edit/" in resource_page
    assert f"/development/trainings/{g1_training.pk}/edit/" in client.get("/development/trainings/").content.decode()
    for changes, field in (
        ({"person_times": "-30"}, "person_times"),
        ({"date": TOMORROW}, "date"),
        ({"topic": " "}, "topic"),
    ):
        shows_errors(client.post(f"/development/trainings/{g1_training.pk}/edit/", training_post(**changes)), field)
        g1_training.refresh_from_db()
        assert g1_training.person_times == 300
    assert client.patch(f"/api/resource-trainings/{g1_training.pk}/", {"person_times": -1}, **JSON).status_code == 400
    saved = client.post(f"/development/trainings/{g1_training.pk}/edit/", training_post())
    assert saved.status_code == 302 and saved.url == g1_training.get_absolute_url()
    assert client.get("/development/ledger/").context["rows"][0].person_times_trained == 30
    assert ResourceTraining.objects.count() == 1
    assert AuditEvent.objects.filter(action="resource_training_save", object_id=str(g1_training.pk)).exists()


def test_a_sale_is_corrected_and_the_ledger_follows(tree, g1_sale, gb_secretary, deputy, client_as):
    client = client_as(gb_secretary)
    assert client.get("/development/ledger/").context["rows"][0].sales_jin == 120000
    assert f"/development/sales/{g1_sale.pk}/edit/" in client.get("/development/sales/").content.decode()
    for changes, field in (
        ({"quantity_jin": "-1"}, "quantity_jin"),
        ({"amount": "-0.01"}, "amount"),
        ({"date": TOMORROW}, "date"),
        ({"general_branch": tree.g2.pk}, "general_branch"),  # not a general branch of theirs
        ({"product": ""}, "product"),
    ):
        shows_errors(client.post(f"/development/sales/{g1_sale.pk}/edit/", sale_post(tree, **changes)), field)
        g1_sale.refresh_from_db()
        assert (g1_sale.quantity_jin, g1_sale.general_branch) == (120000, tree.g1)
    foreign = client.patch(f"/api/shared-sales/{g1_sale.pk}/", {"general_branch": tree.g2.pk}, **JSON)
    assert foreign.status_code == 400 and "general_branch" in foreign.json()
    assert client.patch(f"/api/shared-sales/{g1_sale.pk}/", {"amount": "-1"}, **JSON).status_code == 400
    saved = client_as(deputy).post(f"/development/sales/{g1_sale.pk}/edit/", sale_post(tree))
    assert saved.status_code == 302
    g1_sale.refresh_from_db()
    assert (g1_sale.quantity_jin, g1_sale.updated_by, SharedSale.objects.count()) == (12000, deputy, 1)
    assert client.get("/development/ledger/").context["rows"][0].sales_jin == 12000
    assert AuditEvent.objects.filter(action="shared_sale_save", actor=deputy).count() == 1


def test_lists_link_the_rows_each_person_may_correct(
    led, g2_progress, g2_training, g2_sale, gb_secretary, gb2_secretary, town_cadre, client_as
):
    """g2's secretary sees g1's pairing (it helps 南营) and corrects only g2's own records."""
    g2 = client_as(gb2_secretary)
    listed = g2.get("/development/progress/").content.decode()
    assert f"/development/progress/{g2_progress.pk}/edit/" in listed
    assert f"/development/progress/{led.pk}/edit/" not in listed
    assert f"/development/trainings/{g2_training.pk}/edit/" in g2.get("/development/trainings/").content.decode()
    assert f"/development/sales/{g2_sale.pk}/edit/" in g2.get("/development/sales/").content.decode()
    town = client_as(town_cadre).get("/development/progress/").content.decode()
    assert f"/development/progress/{led.pk}/edit/" in town and f"/development/progress/{g2_progress.pk}/edit/" in town
    gb = client_as(gb_secretary).get("/development/progress/").content.decode()
    assert f"/development/progress/{led.pk}/edit/" in gb
    assert f"/development/progress/{g2_progress.pk}/edit/" not in gb


def test_the_api_lists_progress_and_trainings_in_scope(
    led, g2_progress, g1_training, g2_training, gb_secretary, gb2_secretary, village_secretary, client_as
):
    for user, progress_ids, training_ids in (
        (gb_secretary, {led.pk}, {g1_training.pk}),
        (gb2_secretary, {led.pk, g2_progress.pk}, {g2_training.pk}),
        (village_secretary, {led.pk}, set()),
    ):
        client = client_as(user)
        assert {r["id"] for r in client.get("/api/pairing-progress/").json()["results"]} == progress_ids
        assert {r["id"] for r in client.get("/api/resource-trainings/").json()["results"]} == training_ids
    assert client_as(gb_secretary).get(f"/api/pairing-progress/{g2_progress.pk}/").status_code == 404
