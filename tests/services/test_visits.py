"""Household visits (issue 10): the register and its Excel import, recording a visit with a follow-up that lands on
its owner's to-do list, closing it, the coverage and the picture of needs against counts made here independently,
the report's figure, scope per persona, bad input and query counts."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from anding.models import AuditEvent
from branches.actions import report_figures
from services import actions
from services.household_import import read_rows
from services.models import Household, HouseholdVisit, VisitTopic
from services.todo import visit_todo_items

from ..kit import assert_flat, page_queries, shows_errors

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def topic(code):
    return VisitTopic.objects.get(code=code)


def household(actor, village, number, **extra):
    values = {"head_name": f"户主{number}", "address": "村东街", "size": 3, **extra}
    return actions.household_save(actor=actor, household=None, village=village, number=number, **values)


def visit(actor, target, date=YESTERDAY, codes=("employment",), **extra):
    return actions.visit_record(
        actor=actor,
        household=target,
        date=date,
        leader=extra.pop("leader", actor),
        topics=[topic(c) for c in codes],
        raised=extra.pop("raised", "反映困难"),
        **extra,
    )


@pytest.fixture
def v11_households(tree, village_secretary):
    return [household(village_secretary, tree.v11, f"{n:03d}") for n in range(1, 5)]


# --- done-when 3: a follow-up on its owner's to-do list -------------------------------------------------------------


def test_a_visit_with_a_follow_up_is_on_its_owners_to_do_list(
    tree, v11_households, village_secretary, gb_secretary, deputy, client_as
):
    target = v11_households[0]
    client = client_as(village_secretary)
    page = client.get(f"/services/households/{target.pk}/visit/")
    assert page.status_code == 200
    people = set(page.context["form"].fields["leader"].queryset)
    assert {village_secretary, gb_secretary, deputy} <= people  # the officers over 东庄
    due = TODAY + datetime.timedelta(days=3)
    response = client.post(
        f"/services/households/{target.pk}/visit/",
        {
            "date": YESTERDAY.isoformat(),
            "leader": gb_secretary.pk,
            "cadres": [village_secretary.pk],
            "topics": [topic("housing").pk, topic("health").pk],
            "raised": "房屋漏雨，老人看病难",
            "follow_up": "联系住建科室查看房屋",
            "follow_up_owner": deputy.pk,
            "follow_up_due": due.isoformat(),
        },
    )
    made = HouseholdVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.leader == gb_secretary and list(made.cadres.all()) == [village_secretary]
    assert {t.code for t in made.topics.all()} == {"housing", "health"} and made.is_open_follow_up
    assert AuditEvent.objects.filter(action="household_visit_add", object_id=str(made.pk)).exists()

    labels = [item["label"] for item in visit_todo_items(deputy)]
    assert len(labels) == 1 and "1" in labels[0]  # due this week
    assert visit_todo_items(deputy, today=due + datetime.timedelta(days=1))[0]["badge_class"] == "danger"
    assert visit_todo_items(village_secretary) == [] and visit_todo_items(gb_secretary) == []
    dashboard = client_as(deputy).get("/")
    assert any("/services/visits/" in item["url"] for item in dashboard.context["todos"])
    assert not any("/services/visits/" in item["url"] for item in client.get("/").context["todos"])

    closing = client_as(deputy).post(f"/services/visits/{made.pk}/close/", {"closed_on": TODAY, "note": "已修缮"})
    assert closing.status_code == 302
    made.refresh_from_db()
    assert made.closed_on == TODAY and made.closing_note == "已修缮" and not made.is_open_follow_up
    assert visit_todo_items(deputy) == []
    assert report_figures(tree.v11, YESTERDAY.replace(day=1))["household_visits"] == 1


# --- coverage and needs against independent counts ------------------------------------------------------------------


def independent_coverage(village, year):
    households = [h for h in Household.objects.filter(village=village) if h.active]
    visited = {v.household_id for v in HouseholdVisit.objects.filter(household__in=households) if v.date.year == year}
    open_ = [
        v
        for v in HouseholdVisit.objects.filter(household__village=village)
        if v.follow_up_owner_id and v.closed_on is None
    ]
    return {"households": len(households), "visited": len(visited), "open_follow_ups": len(open_)}


@pytest.fixture
def visited_town(tree, village_secretary, gb2_secretary, v11_households):
    """v11: 4 households, 3 visited this year (one twice), one inactive household visited; a visit last year to
    the fourth. v21: 2 households, 1 visited, an open follow-up."""
    a, b, c, d = v11_households
    visit(village_secretary, a)
    visit(village_secretary, a, codes=("health", "housing"), raised="看病难")
    visit(village_secretary, b, codes=("health",))
    last_year = TODAY.replace(year=TODAY.year - 1, day=1)
    visit(village_secretary, d, date=last_year, codes=("land",))
    gone = household(village_secretary, tree.v11, "009", active=False)
    visit(village_secretary, gone)
    visit(village_secretary, c, follow_up="协调", follow_up_owner=village_secretary, follow_up_due=TODAY)
    e = household(gb2_secretary, tree.v21, "001")
    household(gb2_secretary, tree.v21, "002")
    visit(gb2_secretary, e, follow_up="协调", follow_up_owner=gb2_secretary, follow_up_due=YESTERDAY)
    return tree


def test_coverage_is_households_visited_over_households(visited_town, town_cadre, gb_secretary, client_as):
    tree = visited_town
    response = client_as(town_cadre).get("/services/visits/coverage/", {"year": TODAY.year})
    rows = {r.village: r for r in response.context["rows"]}
    assert set(rows) == {tree.v11, tree.v12, tree.v21, tree.v22}
    for village, row in rows.items():
        expected = independent_coverage(village, TODAY.year)
        assert {k: getattr(row, k) for k in expected} == expected, village
        assert row.rate == (100 * expected["visited"] / expected["households"] if expected["households"] else None)
    assert (rows[tree.v11].households, rows[tree.v11].visited) == (4, 3)
    assert rows[tree.v21].overdue == 1 and rows[tree.v12].rate is None
    assert "75.0" in response.content.decode()
    mine = client_as(gb_secretary).get("/services/visits/coverage/").context["rows"]
    assert {r.village for r in mine} == {tree.v11, tree.v12}  # g1's villages only

    export = client_as(town_cadre).get("/services/visits/coverage/", {"year": TODAY.year, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    exported = {row[0]: row[1:4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported[tree.v11.name] == (4, 3, 75.0)


def test_the_needs_count_the_visits_of_the_year_by_topic(visited_town, town_cadre, village_secretary, client_as):
    rows = {r.topic.code: r for r in client_as(town_cadre).get("/services/visits/needs/").context["rows"]}
    counted = {}
    for v in HouseholdVisit.objects.prefetch_related("topics"):
        if v.date.year == TODAY.year:
            for t in v.topics.all():
                counted[t.code] = counted.get(t.code, 0) + 1
    assert {code: r.visits for code, r in rows.items() if r.visits} == counted
    assert rows["land"].visits == 0  # last year's visit
    assert [v.raised for v in rows["health"].latest][0] in ("看病难", "反映困难")
    assert all(v.date.year == TODAY.year for r in rows.values() for v in r.latest)
    own = {r.topic.code: r.visits for r in client_as(village_secretary).get("/services/visits/needs/").context["rows"]}
    assert own["employment"] == 3  # 东庄's own visits: not 南营's


# --- scope per persona ---------------------------------------------------------------------------------------------

SCOPE = [  # persona: the g2 household's page, its edit form, its visit form, the g2 visit's close form, the API
    ("town_cadre", 200, 200, 200, 200, 200),
    ("gb2_secretary", 200, 200, 200, 200, 200),
    ("gb_secretary", 404, 404, 404, 404, 404),
    ("deputy", 404, 404, 404, 404, 404),
    ("village_secretary", 404, 404, 404, 404, 404),
    ("neighbour_secretary", 404, 404, 404, 404, 404),
    ("dept_staff", 404, 404, 404, 404, 404),
    ("outsider", 404, 404, 404, 404, 404),
    ("superuser", 200, 403, 403, 403, 200),  # sees everything, keeps no village
]


@pytest.mark.parametrize(("persona", "page", "edit", "add", "close", "api"), SCOPE, ids=[r[0] for r in SCOPE])
def test_scope_per_persona(persona, page, edit, add, close, api, check_access, g2_visit):
    check_access(persona, "/services/households/{g2_household.pk}/", page)
    check_access(persona, "/services/households/{g2_household.pk}/edit/", edit)
    check_access(persona, "/services/households/{g2_household.pk}/visit/", add)
    check_access(persona, "/services/visits/{g2_visit.pk}/close/", close)
    check_access(persona, "/api/households/{g2_household.pk}/", api)
    check_access(persona, "/api/household-visits/{g2_visit.pk}/", api)


def test_lists_show_only_the_scope(
    g2_visit, v11_households, village_secretary, neighbour_secretary, dept_staff, client_as
):
    mine = visit(village_secretary, v11_households[0])

    def rows(user, path):
        return set(client_as(user).get(path).context["object_list"])

    assert rows(village_secretary, "/services/households/") == set(v11_households)
    assert rows(village_secretary, "/services/visits/") == {mine}
    assert rows(neighbour_secretary, "/services/households/") == set()
    assert rows(dept_staff, "/services/visits/") == set()
    assert client_as(dept_staff).get("/services/visits/coverage/").context["rows"] == []  # no village's register
    assert [r.village for r in client_as(village_secretary).get("/services/visits/coverage/").context["rows"]] == [
        v11_households[0].village
    ]
    assert {h["id"] for h in client_as(village_secretary).get("/api/households/").json()["results"]} == {
        h.pk for h in v11_households
    }
    page = client_as(village_secretary).get("/services/households/").content.decode()
    assert "南营王五" not in page
    assert client_as(dept_staff).get("/services/households/add/").status_code == 403
    assert client_as(dept_staff).get("/services/households/import/").status_code == 403


def test_the_phone_is_masked_and_never_sent_back(g2_household, gb2_secretary, client_as):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM services_household WHERE id = %s", [g2_household.pk])
        assert "13812345678" not in cursor.fetchone()[0]  # encrypted at rest
    assert not AuditEvent.objects.filter(detail__icontains="13812345678").exists()
    client = client_as(gb2_secretary)
    for path in (
        f"/services/households/{g2_household.pk}/",
        "/services/households/",
        f"/api/households/{g2_household.pk}/",
    ):
        content = client.get(path).content.decode()
        assert "138****5678" in content and "13812345678" not in content, path
    assert "13812345678" not in client.get(f"/services/households/{g2_household.pk}/edit/").content.decode()
    response = client.post(
        f"/services/households/{g2_household.pk}/edit/",
        {"village": g2_household.village_id, "number": "001", "head_name": "南营王五", "address": "南营村西街2号",
         "phone": "", "size": 5, "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    g2_household.refresh_from_db()
    assert (g2_household.phone, g2_household.size, g2_household.address) == ("13812345678", 5, "南营村西街2号")


# --- the Excel import ----------------------------------------------------------------------------------------------


def workbook(rows, headers=("村", "户号", "户主", "住址", "联系电话", "家庭人口")):
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("register.xlsx", data.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_good_file_is_checked_then_imported_and_a_second_import_adds_nothing(
    media, tree, village_secretary, client_as
):
    client = client_as(village_secretary)
    rows = [(tree.v11.name, "101", "张三", "东庄村1号", "13812345678", 4), ("V11", "102", "李四", "东庄村2号", "", 2)]
    preview = client.post("/services/households/import/", {"file": workbook(rows)})
    assert preview.status_code == 200 and len(preview.context["check"].new) == 2 and preview.context["token"]
    assert not Household.objects.exists()
    done = client.post("/services/households/import/", {"token": preview.context["token"]})
    assert done.status_code == 302
    assert set(Household.objects.values_list("village", "number", "size")) == {
        (tree.v11.pk, "101", 4),
        (tree.v11.pk, "102", 2),
    }
    again = client.post("/services/households/import/", {"file": workbook(rows)})
    assert again.context["check"].skipped == [2, 3] and not again.context["token"]
    assert client.get("/services/households/import/template/").status_code == 200


def test_a_bad_file_is_refused_whole_with_translated_row_errors(media, tree, village_secretary, client_as):
    rows = [
        (tree.v11.name, "101", "张三", "东庄村1号", "", 4),  # fine
        (tree.v21.name, "102", "李四", "南营村", "", 2),  # a village the secretary does not keep
        (tree.v11.name, "101", "王五", "东庄村3号", "", 3),  # the same number as row 2
        (tree.v11.name, "104", "", "东庄村4号", "12ab", 40),  # no head, bad phone, size too big
    ]
    response = client_as(village_secretary).post(
        "/services/households/import/", {"file": workbook(rows)}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    check = response.context["check"]
    assert {(e.row, e.column) for e in check.errors} == {
        (3, "village"),
        (4, "number"),
        (5, "head_name"),
        (5, "phone"),
        (5, "size"),
    }
    assert response.context["token"] is None and not Household.objects.exists()
    page = response.content.decode()
    assert 'id="import-errors"' in page and "此项为必填项。" in page  # the messages in the page's language
    with pytest.raises(ValidationError) as refused:  # the action refuses the same rows
        actions.household_import(actor=village_secretary, rows=read_rows(workbook(rows)))
    assert len(refused.value.check.errors) == len(check.errors)
    assert not Household.objects.exists()
    not_excel = SimpleUploadedFile("register.xlsx", b"not a workbook")
    shows_errors(client_as(village_secretary).post("/services/households/import/", {"file": not_excel}), "file")
    no_columns = workbook([("x",)], headers=("something",))
    shows_errors(client_as(village_secretary).post("/services/households/import/", {"file": no_columns}), "file")


# --- bad input saves nothing ---------------------------------------------------------------------------------------


def test_bad_input_saves_nothing(tree, v11_households, village_secretary, dept_staff, client_as):
    client = client_as(village_secretary)
    target = v11_households[0]
    good = {
        "date": YESTERDAY.isoformat(),
        "leader": village_secretary.pk,
        "topics": [topic("land").pk],
        "raised": "承包地纠纷",
        "follow_up": "",
        "follow_up_owner": "",
        "follow_up_due": "",
    }
    path = f"/services/households/{target.pk}/visit/"
    future = (TODAY + datetime.timedelta(days=2)).isoformat()
    shows_errors(client.post(path, {**good, "date": future}), "date")
    shows_errors(client.post(path, {**good, "topics": []}), "topics")
    shows_errors(client.post(path, {**good, "raised": " "}), "raised")
    shows_errors(client.post(path, {**good, "raised": "长" * 2001}), "raised")
    shows_errors(client.post(path, {**good, "leader": dept_staff.pk}), "leader")  # not an officer over 东庄
    shows_errors(client.post(path, {**good, "follow_up": "协调"}), "follow_up_owner")
    shows_errors(
        client.post(path, {**good, "follow_up": "协调", "follow_up_owner": village_secretary.pk}), "follow_up_due"
    )
    shows_errors(client.post(path, {**good, "follow_up_owner": village_secretary.pk}), "follow_up")
    shows_errors(
        client.post(path, {**good, "follow_up": "协调", "follow_up_owner": village_secretary.pk,
                           "follow_up_due": (YESTERDAY - datetime.timedelta(days=1)).isoformat()}),
        "follow_up_due",
    )  # fmt: skip
    assert not HouseholdVisit.objects.exists()

    add = {"village": tree.v11.pk, "number": "001", "head_name": "张三", "address": "东庄", "size": 3, "active": "on"}
    shows_errors(client.post("/services/households/add/", add), "number")  # taken
    shows_errors(client.post("/services/households/add/", {**add, "number": "900", "size": 31}), "size")
    shows_errors(client.post("/services/households/add/", {**add, "number": "900", "phone": "12ab"}), "phone")
    shows_errors(client.post("/services/households/add/", {**add, "number": "900", "village": tree.v21.pk}), "village")
    assert Household.objects.count() == len(v11_households)

    closed = visit(village_secretary, target)
    answer = client.post(f"/services/visits/{closed.pk}/close/", {"closed_on": TODAY, "note": "x"})
    shows_errors(answer, None)  # no follow-up to close
    open_ = visit(village_secretary, target, follow_up="协调", follow_up_owner=village_secretary, follow_up_due=TODAY)
    shows_errors(client.post(f"/services/visits/{open_.pk}/close/", {"closed_on": future, "note": "x"}), "closed_on")
    shows_errors(client.post(f"/services/visits/{open_.pk}/close/", {"closed_on": TODAY, "note": " "}), "note")
    open_.refresh_from_db()
    assert open_.is_open_follow_up


def test_bad_input_in_english(v11_households, village_secretary, client_as):
    client = client_as(village_secretary)
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/services/households/{v11_households[0].pk}/visit/",
        {"date": YESTERDAY.isoformat(), "leader": village_secretary.pk, "topics": [topic("land").pk], "raised": "x",
         "follow_up": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert "A follow-up needs an owner." in response.content.decode()


# --- the API -------------------------------------------------------------------------------------------------------


def test_the_api_adds_a_household_records_a_visit_and_closes_it(tree, village_secretary, gb2_secretary, client_as):
    client = client_as(village_secretary)
    body = {"village": tree.v11.pk, "number": "201", "head_name": "赵六", "address": "东庄村", "size": 2,
            "phone": "13700001111"}  # fmt: skip
    created = client.post("/api/households/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["phone_masked"] == "137****1111" and "phone" not in created.json()
    outside = client.post("/api/households/", {**body, "village": tree.v21.pk}, content_type="application/json")
    assert outside.status_code == 400 and Household.objects.count() == 1
    target = created.json()["id"]
    visit_body = {
        "household": target,
        "date": YESTERDAY.isoformat(),
        "leader": village_secretary.pk,
        "topics": [topic("elderly").pk],
        "raised": "独居老人需要照看",
        "follow_up": "安排志愿者探访",
        "follow_up_owner": village_secretary.pk,
        "follow_up_due": TODAY.isoformat(),
    }
    made = client.post("/api/household-visits/", visit_body, content_type="application/json")
    assert made.status_code == 201, made.json()
    assert made.json()["is_open_follow_up"] and made.json()["topics"][0]["code"] == "elderly"
    bad = client.post("/api/household-visits/", {**visit_body, "topics": []}, content_type="application/json")
    assert bad.status_code == 400 and "topics" in bad.json()
    other = client_as(gb2_secretary).post("/api/household-visits/", visit_body, content_type="application/json")
    assert other.status_code == 400 and "household" in other.json()  # not in g2's scope
    assert HouseholdVisit.objects.count() == 1
    closed = client.post(
        f"/api/household-visits/{made.json()['id']}/close/", {"closed_on": TODAY.isoformat(), "note": "已探访"},
        content_type="application/json",
    )  # fmt: skip
    assert closed.status_code == 200 and closed.json()["closed_on"] == TODAY.isoformat()
    again = client.post(
        f"/api/household-visits/{made.json()['id']}/close/", {"closed_on": TODAY.isoformat(), "note": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert again.status_code == 400


# --- query counts --------------------------------------------------------------------------------------------------


def test_query_counts_are_flat(tree, village_secretary, gb2_secretary, town_cadre, client_as):
    client = client_as(town_cadre)
    owner = client_as(village_secretary)
    numbers = iter(range(100, 1000))

    def measure(_):
        first = Household.objects.order_by("pk").first()
        return (
            page_queries(client, "/services/households/"),
            page_queries(client, "/services/visits/"),
            page_queries(client, "/services/visits/coverage/"),
            page_queries(client, "/services/visits/needs/"),
            page_queries(client, f"/services/households/{first.pk}/"),
            page_queries(client, "/api/household-visits/"),
            page_queries(owner, "/"),
        )

    def make(n):
        def build():
            for village, actor in ((tree.v11, village_secretary), (tree.v21, gb2_secretary)):
                for _ in range(n):
                    target = household(actor, village, str(next(numbers)))
                    for codes in (("health",), ("land", "housing")):
                        visit(actor, target, codes=codes, cadres=[actor], follow_up="协调",
                              follow_up_owner=actor, follow_up_due=TODAY)  # fmt: skip
            first = Household.objects.order_by("pk").first()
            visit(village_secretary if first.village == tree.v11 else gb2_secretary, first)
            return n

        return build

    assert_flat(measure, make(1), make(4))


def test_the_register_searches_and_exports_within_the_scope(g2_household, v11_households, town_cadre, client_as):
    client = client_as(town_cadre)
    found = client.get("/services/households/", {"q": "南营王"}).context["object_list"]
    assert list(found) == [g2_household]
    assert list(client.get("/services/households/", {"village": g2_household.village_id}).context["object_list"]) == [
        g2_household
    ]
    export = client.get("/services/households/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 + len(v11_households)
    cells = [str(c) for row in rows for c in row]
    assert "138****5678" in cells and "13812345678" not in cells  # the phone masked in the export too
    assert AuditEvent.objects.filter(action="export", detail__list="households").exists()


def test_the_api_refuses_writes_to_those_who_keep_no_register(tree, dept_staff, outsider, client_as):
    body = {"village": tree.v11.pk, "number": "301", "head_name": "钱七", "address": "东庄村", "size": 2}
    for user in (dept_staff, outsider):
        answer = client_as(user).post("/api/households/", body, content_type="application/json")
        assert answer.status_code == 403, user
    assert not Household.objects.exists()
