"""Special funds (issue 10): the town allocates, the officers of the node record expenses with their vouchers; an
expense beyond the balance is refused with a clear message and nothing is saved (no row, no file); balances are
exact decimals, also under concurrent expenses (PostgreSQL); scope per persona, bad input and query counts."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from anding.models import AuditEvent
from services import actions
from services.choices import FundPurpose
from services.models import FundAllocation, FundExpense, FundVoucher

from ..conftest import VOUCHER_PDF, voucher
from ..kit import assert_flat, page_queries, shows_errors

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


def allocate(actor, node, amount, purpose=FundPurpose.PARTY_BUILDING, year=YEAR):
    return actions.allocate(actor=actor, year=year, purpose=purpose, organization=node, amount=Decimal(amount))


def spend(actor, allocation, amount, purpose="党课教材"):
    return actions.expense_record(
        actor=actor, allocation=allocation, date=TODAY, amount=Decimal(amount), purpose=purpose, voucher=voucher()
    )


def expense_post(amount, **extra):
    return {"date": TODAY.isoformat(), "amount": amount, "purpose": "活动室桌椅", "voucher": voucher(), **extra}


def in_default_language(message: str, **values) -> str:
    """`message` as the pages show it by default (shows_errors reads the errors in that language)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(message)
    return text % values if values else text


def balance_of(allocation) -> Decimal:
    return FundAllocation.objects.with_balance().get(pk=allocation.pk).balance


# --- the town allocates, the node spends ---------------------------------------------------------------------------


def test_the_town_allocates_and_the_general_branch_records_an_expense(tree, town_cadre, gb_secretary, client_as):
    town = client_as(town_cadre)
    response = town.post(
        "/services/funds/add/",
        {"year": YEAR, "purpose": FundPurpose.GENERAL_BRANCH, "organization": tree.g1.pk, "amount": "¥50,000"},
    )
    allocation = FundAllocation.objects.get(organization=tree.g1)
    assert response.status_code == 302 and response["Location"] == allocation.get_absolute_url()
    assert allocation.amount == Decimal("50000.00") and allocation.created_by == town_cadre

    secretary = client_as(gb_secretary)
    page = secretary.get(allocation.get_absolute_url())
    assert page.context["expense_form"] is not None and not page.context["can_correct"]
    response = secretary.post(f"/services/funds/{allocation.pk}/expense/", expense_post("1234.56"))
    assert response.status_code == 302, response.context["form"].errors
    expense = FundExpense.objects.get()
    assert (expense.amount, expense.purpose, expense.created_by) == (Decimal("1234.56"), "活动室桌椅", gb_secretary)
    assert expense.voucher.original_name == "发票.pdf"
    assert balance_of(allocation) == Decimal("48765.44")

    page = secretary.get(allocation.get_absolute_url())
    assert page.context["allocation"].balance == Decimal("48765.44")
    assert "¥48,765.44" in page.content.decode()
    download = secretary.get(f"/services/funds/expenses/{expense.pk}/voucher/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == VOUCHER_PDF
    assert download["Content-Disposition"].startswith("attachment")
    events = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"fund_allocate", "fund_expense_record", "attachment_download"} <= events


# --- done-when 4: an expense beyond the balance is refused, nothing saved -----------------------------------------


def test_an_expense_beyond_the_balance_is_refused_and_nothing_is_saved(
    tree, town_cadre, gb_secretary, client_as, media
):
    allocation = allocate(town_cadre, tree.g1, "100.00")
    spend(gb_secretary, allocation, "60.00")
    rows, files = FundExpense.objects.count(), stored_files(media)

    response = client_as(gb_secretary).post(f"/services/funds/{allocation.pk}/expense/", expense_post("40.01"))

    [message] = shows_errors(response, "amount")
    assert message == in_default_language(
        "This expense (%(amount)s) exceeds the allocation's balance (%(balance)s).", amount="¥40.01", balance="¥40.00"
    )
    assert FundExpense.objects.count() == rows and FundVoucher.objects.count() == rows
    assert stored_files(media) == files  # the voucher was not stored either
    assert not AuditEvent.objects.filter(action="fund_expense_record", detail__amount="40.01").exists()

    api = client_as(gb_secretary).post(
        "/api/fund-expenses/", {"allocation": allocation.pk, **expense_post("40.01")}, format="multipart"
    )
    assert api.status_code == 400 and api.json()["amount"] == [message]
    assert FundExpense.objects.count() == rows and stored_files(media) == files

    spend(gb_secretary, allocation, "40.00")  # the exact balance is allowed
    assert balance_of(allocation) == Decimal("0.00")
    page = client_as(gb_secretary).get(allocation.get_absolute_url())
    assert page.context["expense_form"] is None  # spent: no form offered


def test_balances_are_exact_decimals(tree, town_cadre, gb_secretary, client_as):
    allocation = allocate(town_cadre, tree.g1, "0.30")
    spend(gb_secretary, allocation, "0.10")
    spend(gb_secretary, allocation, "0.20")  # 0.1 + 0.2 is 0.3 exactly, not 0.30000000000000004

    assert balance_of(allocation) == Decimal("0.00")
    with pytest.raises(ValidationError) as refused:
        spend(gb_secretary, allocation, "0.01")
    assert "amount" in refused.value.message_dict
    row = client_as(town_cadre).get("/services/funds/").context["object_list"][0]
    assert (row.spent, row.balance) == (Decimal("0.30"), Decimal("0.00"))
    api = client_as(town_cadre).get(f"/api/fund-allocations/{allocation.pk}/").json()
    assert (api["amount"], api["spent"], api["balance"]) == ("0.30", "0.30", "0.00")

    many = allocate(town_cadre, tree.g1, "1000000.00", purpose=FundPurpose.LIVELIHOOD)
    for _ in range(10):
        spend(gb_secretary, many, "33333.33")
    assert balance_of(many) == Decimal("666666.70")


def test_the_totals_per_purpose_add_up(tree, town_cadre, gb_secretary, village_secretary, client_as):
    g1 = allocate(town_cadre, tree.g1, "5000.50")
    v11 = allocate(town_cadre, tree.v11, "2000.25")
    allocate(town_cadre, tree.v11, "300.00", purpose=FundPurpose.LIVELIHOOD)
    spend(gb_secretary, g1, "1000.10")
    spend(village_secretary, v11, "0.05")

    totals = {t.purpose: t for t in client_as(town_cadre).get("/services/funds/").context["totals"]}
    party = totals[FundPurpose.PARTY_BUILDING]
    assert (party.count, party.allocated, party.spent, party.balance) == (
        2,
        Decimal("7000.75"),
        Decimal("1000.15"),
        Decimal("6000.60"),
    )
    assert totals[""].allocated == Decimal("7300.75") and totals[""].balance == Decimal("6300.60")
    village = {t.purpose: t for t in client_as(village_secretary).get("/services/funds/").context["totals"]}
    assert village[""].allocated == Decimal("2300.25")  # their own village's only
    filtered = client_as(town_cadre).get("/services/funds/", {"organization": tree.v11.pk, "purpose": "livelihood"})
    assert [a.organization for a in filtered.context["object_list"]] == [tree.v11]
    by_balance = client_as(town_cadre).get("/services/funds/", {"sort": "-balance"}).context["object_list"]
    assert [a.balance for a in by_balance] == [Decimal("4000.40"), Decimal("2000.20"), Decimal("300.00")]


def test_the_excel_export_has_the_exact_amounts(tree, town_cadre, gb_secretary, client_as):
    allocation = allocate(town_cadre, tree.g1, "12345.67")
    spend(gb_secretary, allocation, "0.01")
    response = client_as(town_cadre).get("/services/funds/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    [row] = list(sheet.iter_rows(min_row=2, values_only=True))
    assert row[0] == tree.g1.name and row[2] == YEAR
    assert [Decimal(str(v)) for v in row[3:6]] == [Decimal("12345.67"), Decimal("0.01"), Decimal("12345.66")]


# --- correcting an allocation --------------------------------------------------------------------------------------


def test_an_allocation_is_corrected_but_never_below_what_is_spent(tree, town_cadre, gb_secretary, client_as):
    allocation = allocate(town_cadre, tree.g1, "1000.00")
    spend(gb_secretary, allocation, "700.00")
    town = client_as(town_cadre)
    url = f"/services/funds/{allocation.pk}/correct/"

    [message] = shows_errors(town.post(url, {"amount": "699.99", "note": "压缩预算"}), "amount")
    assert "¥700.00" in message
    shows_errors(town.post(url, {"amount": "800", "note": ""}), "note")
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("1000.00")

    assert town.post(url, {"amount": "700", "note": "压缩预算"}).status_code == 302
    assert balance_of(allocation) == Decimal("0.00")
    assert client_as(gb_secretary).post(url, {"amount": "5000", "note": "x"}).status_code == 403
    api = town.post(
        f"/api/fund-allocations/{allocation.pk}/correct/", {"amount": "1500.00", "note": "追加"}, "application/json"
    )
    assert api.status_code == 200 and api.json()["balance"] == "800.00"
    assert AuditEvent.objects.filter(action="fund_allocation_correct").count() == 2


# --- bad input saves nothing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("12.345", "An amount has at most two decimal places (fen)."),
        ("-5", "Enter an amount greater than zero."),
        ("0", "Enter an amount greater than zero."),
        ("abc", "Enter an amount in yuan, such as 1200 or 86.50."),
        ("NaN", "Enter an amount in yuan, such as 1200 or 86.50."),
        ("1e20", "This amount is too large."),
        ("", "This field is required."),
    ],
)
def test_bad_amounts_are_refused_on_every_form(tree, town_cadre, gb_secretary, client_as, amount, message, media):
    allocation = allocate(town_cadre, tree.g1, "100.00")
    town = client_as(town_cadre)
    new = {"year": YEAR, "purpose": FundPurpose.LIVELIHOOD, "organization": tree.g1.pk, "amount": amount}
    message = in_default_language(message)
    assert shows_errors(town.post("/services/funds/add/", new), "amount") == [message]
    correct = {"amount": amount, "note": "调整"}
    assert shows_errors(town.post(f"/services/funds/{allocation.pk}/correct/", correct), "amount") == [message]
    spent = client_as(gb_secretary).post(f"/services/funds/{allocation.pk}/expense/", expense_post(amount))
    assert shows_errors(spent, "amount") == [message]
    assert FundAllocation.objects.count() == 1 and not FundExpense.objects.exists() and not stored_files(media)
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("100.00")


def test_bad_input_on_the_forms_saves_nothing(tree, town_cadre, gb_secretary, client_as, media):
    allocation = allocate(town_cadre, tree.g1, "100.00")
    town = client_as(town_cadre)
    good = {"year": YEAR, "purpose": FundPurpose.PARTY_BUILDING, "organization": tree.g1.pk, "amount": "10"}
    [duplicate] = shows_errors(town.post("/services/funds/add/", good), "purpose")
    assert duplicate == in_default_language("This organization already has an allocation for this purpose and year.")
    shows_errors(town.post("/services/funds/add/", {**good, "year": "1999"}), "year")
    shows_errors(town.post("/services/funds/add/", {**good, "organization": "999999"}), "organization")
    assert FundAllocation.objects.count() == 1

    client = client_as(gb_secretary)
    url = f"/services/funds/{allocation.pk}/expense/"
    future = (TODAY + datetime.timedelta(days=2)).isoformat()
    shows_errors(client.post(url, expense_post("10", date=future)), "date")
    shows_errors(client.post(url, expense_post("10", date=f"{YEAR - 1}-06-01")), "date")
    shows_errors(client.post(url, expense_post("10", purpose="")), "purpose")
    shows_errors(client.post(url, expense_post("10", purpose="长" * 201)), "purpose")
    without = expense_post("10")
    del without["voucher"]
    shows_errors(client.post(url, without), "voucher")
    fake = voucher("发票.pdf")
    fake.file = io.BytesIO(b"MZ\x90\x00 not a pdf")
    shows_errors(client.post(url, expense_post("10", voucher=fake)), "voucher")
    shows_errors(client.post(url, expense_post("10", voucher=voucher("发票.exe"))), "voucher")
    assert not FundExpense.objects.exists() and not FundVoucher.objects.exists() and not stored_files(media)


# --- scope per persona ---------------------------------------------------------------------------------------------

SCOPE = [  # persona: g2's allocation, its expense form, its correction, the voucher, the API's allocation and expense
    ("town_cadre", 200, 200, 200, 200, 200, 200),
    ("gb_secretary", 404, 404, 404, 404, 404, 404),
    ("gb2_secretary", 200, 200, 403, 200, 200, 200),
    ("deputy", 404, 404, 404, 404, 404, 404),
    ("village_secretary", 404, 404, 404, 404, 404, 404),
    ("dept_staff", 404, 404, 404, 404, 404, 404),
    ("outsider", 404, 404, 404, 404, 404, 404),
]


@pytest.mark.parametrize(("persona", "page", "spend_", "correct", "voucher_", "api", "api_expense"), SCOPE)
def test_scope_per_persona(persona, page, spend_, correct, voucher_, api, api_expense, check_access, g2_expense):
    check_access(persona, "/services/funds/{g2_allocation.pk}/", page)
    check_access(persona, "/services/funds/{g2_allocation.pk}/expense/", spend_)
    check_access(persona, "/services/funds/{g2_allocation.pk}/correct/", correct)
    check_access(persona, "/services/funds/expenses/{g2_expense.pk}/voucher/", voucher_)
    check_access(persona, "/api/fund-allocations/{g2_allocation.pk}/", api)
    check_access(persona, "/api/fund-expenses/{g2_expense.pk}/", api_expense)
    check_access(persona, "/services/funds/", 200)
    check_access(persona, "/services/funds/add/", 200 if persona == "town_cadre" else 403)


def test_anonymous_visitors_log_in(check_access, g2_expense):
    for url in (
        "/services/funds/",
        "/services/funds/add/",
        "/services/funds/{g2_allocation.pk}/",
        "/services/funds/expenses/{g2_expense.pk}/voucher/",
        "/api/fund-allocations/",
        "/api/fund-expenses/",
    ):
        check_access("anonymous", url, "login")


def test_a_village_fund_is_spent_by_the_village_and_seen_above_it(
    tree, town_cadre, gb_secretary, village_secretary, neighbour_secretary, deputy, client_as
):
    v11 = allocate(town_cadre, tree.v11, "500.00")
    g1 = allocate(town_cadre, tree.g1, "900.00")
    url = f"/services/funds/{v11.pk}/expense/"
    assert client_as(village_secretary).get(url).status_code == 200  # the village's own secretary
    assert client_as(gb_secretary).get(url).status_code == 403  # sees it, but the village spends it
    assert client_as(deputy).get(url).status_code == 403
    assert client_as(town_cadre).get(url).status_code == 200
    assert client_as(neighbour_secretary).get(url).status_code == 404
    assert client_as(village_secretary).get(f"/services/funds/{g1.pk}/").status_code == 404

    def listed(user):
        return set(client_as(user).get("/services/funds/").context["object_list"])

    assert listed(village_secretary) == {v11}
    assert listed(neighbour_secretary) == set()
    assert listed(gb_secretary) == listed(deputy) == listed(town_cadre) == {v11, g1}


# --- the API -------------------------------------------------------------------------------------------------------


def test_the_api_allocates_and_records_the_same_way(
    tree, town_cadre, gb_secretary, gb2_secretary, client_as, g2_allocation
):
    town = client_as(town_cadre)
    body = {"year": YEAR, "purpose": "livelihood", "organization": tree.g1.pk, "amount": "2000.00"}
    assert client_as(gb_secretary).post("/api/fund-allocations/", body, "application/json").status_code == 403
    created = town.post("/api/fund-allocations/", body, "application/json")
    assert created.status_code == 201, created.json()
    assert (created.json()["amount"], created.json()["balance"]) == ("2000.00", "2000.00")
    again = town.post("/api/fund-allocations/", body, "application/json")
    assert again.status_code == 400 and "purpose" in again.json()
    bad = town.post("/api/fund-allocations/", {**body, "amount": "12.345"}, "application/json")
    assert bad.status_code == 400 and "amount" in bad.json()

    allocation = created.json()["id"]
    client = client_as(gb_secretary)
    json_body = {"allocation": allocation, "date": TODAY.isoformat(), "amount": "10.00", "purpose": "培训"}
    assert client.post("/api/fund-expenses/", json_body, "application/json").status_code == 415
    multipart = {**json_body, "voucher": voucher()}
    recorded = client.post("/api/fund-expenses/", multipart)
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["voucher"] == f"/services/funds/expenses/{recorded.json()['id']}/voucher/"
    assert client.post("/api/fund-expenses/", {**json_body}).status_code == 400  # no voucher
    # Another general branch's fund: not among the allocations the caller may name.
    other = client.post("/api/fund-expenses/", {**json_body, "allocation": g2_allocation.pk, "voucher": voucher()})
    assert other.status_code == 400 and "allocation" in other.json()
    assert client_as(gb2_secretary).get("/api/fund-expenses/").json()["results"] == []
    listed = client.get("/api/fund-allocations/").json()["results"]
    assert [(a["id"], a["spent"], a["balance"]) for a in listed] == [(allocation, "10.00", "1990.00")]


# --- query counts ----------------------------------------------------------------------------------------------------


def test_query_counts_are_flat(tree, town_cadre, gb_secretary, client_as):
    town = client_as(town_cadre)
    purposes = iter(FundPurpose.values * 3)
    years = iter(range(YEAR - 12, YEAR))

    def measure(_):
        allocation = FundAllocation.objects.filter(organization=tree.g1).order_by("pk").first()
        return (
            page_queries(town, "/services/funds/"),
            page_queries(town, allocation.get_absolute_url()),
            page_queries(client_as(gb_secretary), allocation.get_absolute_url()),
            page_queries(town, "/api/fund-allocations/"),
            page_queries(town, "/api/fund-expenses/"),
        )

    def make(n):
        def build():
            for _ in range(n):
                year, purpose = next(years), next(purposes)
                for node in (tree.g1, tree.v11, tree.g2):
                    allocation = allocate(town_cadre, node, "1000.00", purpose=purpose, year=year)
                    for _ in range(3):
                        FundExpense.objects.create(
                            allocation=allocation, date=datetime.date(year, 5, 1), amount="1.11", purpose="x"
                        )
                first = FundAllocation.objects.filter(organization=tree.g1).order_by("pk").first()
                for _ in range(3):
                    expense = FundExpense.objects.create(allocation=first, date=TODAY, amount="0.01", purpose="y")
                    FundVoucher.objects.create(
                        expense=expense,
                        file="x.pdf",
                        original_name="x.pdf",
                        content_type="application/pdf",
                        size=1,
                        uploaded_by=town_cadre,
                    )
            return n

        return build

    assert_flat(measure, make(1), make(4))


# --- concurrency (PostgreSQL) ----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_expenses_never_overspend_on_postgresql(tree, town_cadre, gb_secretary, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with real concurrent transactions")
    settings.MEDIA_ROOT = tmp_path
    allocation = allocate(town_cadre, tree.g1, "100.00")
    barrier, results = threading.Barrier(4), [None] * 4

    def run(i):
        try:
            barrier.wait()
            results[i] = spend(gb_secretary, allocation, "30.01")  # four of them: together beyond the balance
        except Exception as exc:  # collected for the assertion
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    saved = [r for r in results if isinstance(r, FundExpense)]
    refused = [r for r in results if not isinstance(r, FundExpense)]
    assert len(saved) == 3 and len(refused) == 1
    assert "¥30.01" in refused[0].message_dict["amount"][0] and "¥9.97" in refused[0].message_dict["amount"][0]
    assert balance_of(allocation) == Decimal("9.97")
    assert FundVoucher.objects.count() == 3 and len([p for p in tmp_path.rglob("*") if p.is_file()]) == 3


@pytest.mark.parametrize("amount", [Decimal("1E+30"), Decimal("12.345"), Decimal("-1"), Decimal("NaN"), 0.3, None])
def test_the_actions_refuse_bad_amounts_themselves(tree, town_cadre, gb_secretary, amount, media):
    allocation = allocate(town_cadre, tree.g1, "100.00")
    with pytest.raises(ValidationError) as refused:
        actions.expense_record(
            actor=gb_secretary, allocation=allocation, date=TODAY, amount=amount, purpose="x", voucher=voucher()
        )
    assert set(refused.value.message_dict) == {"amount"}
    with pytest.raises(ValidationError) as refused:
        actions.allocate(actor=town_cadre, year=YEAR, purpose="livelihood", organization=tree.g1, amount=amount)
    assert set(refused.value.message_dict) == {"amount"}
    assert not FundExpense.objects.exists() and FundAllocation.objects.count() == 1 and not stored_files(media)


def test_a_retried_expense_post_with_its_idempotency_key_records_once(tree, town_cadre, gb_secretary, client_as):
    allocation = allocate(town_cadre, tree.g1, "100.00")
    client = client_as(gb_secretary)

    def post():
        body = {"allocation": allocation.pk, "date": TODAY.isoformat(), "amount": "60.00", "purpose": "培训"}
        return client.post("/api/fund-expenses/", {**body, "voucher": voucher()}, headers={"Idempotency-Key": "e-1"})

    first, again = post(), post()
    assert (first.status_code, again.status_code) == (201, 201) and first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert FundExpense.objects.count() == 1 and balance_of(allocation) == Decimal("40.00")
