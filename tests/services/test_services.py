"""The "55819" service days (issue 10, first part): recording as a department, follow-ups, the compliance figures
against rows counted here independently, the Excel export, scope per persona, bad input and query counts."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anding.models import AuditEvent
from branches.actions import report_figures
from branches.months import add_months
from services import actions
from services.choices import DEPARTMENT_TARGET, HALF_DAY_TARGET, SERVICE_TARGET, Outcome
from services.models import Department, ServiceCentre, ServiceItem, ServiceRecord, ServiceSession
from services.todo import todo_items

from ..kit import assert_flat, page_queries, shows_errors

TODAY = timezone.localdate()
LAST_MONTH = add_months(TODAY.replace(day=1), -1)


def item(code):
    return ServiceItem.objects.get(code=code)


def weekdays(month, count):
    days = [month + datetime.timedelta(days=d) for d in range(31)]
    return [d for d in days if d.month == month.month and d.weekday() < 5][:count]


def full_month(centre, village, month, half_days, staff):
    """`half_days` sessions at `centre` in `month`, every department present and every service item recorded once,
    written straight to the tables (the figures are then counted from these rows)."""
    departments = list(Department.objects.all())
    items = list(ServiceItem.objects.all())
    sessions = []
    for n, day in enumerate(weekdays(month, half_days)):
        session = ServiceSession.objects.create(centre=centre, date=day, half="am" if n % 2 else "pm")
        session.departments.set(departments[n::half_days])
        session.staff.set([staff])
        sessions.append(session)
    for n, service in enumerate(items):
        ServiceRecord.objects.create(
            session=sessions[n % len(sessions)],
            date=sessions[n % len(sessions)].date,
            department=service.department,
            service_item=service,
            villager_name=f"村民{n}",
            village=village,
            request="咨询",
            outcome=Outcome.RESOLVED,
        )
    return sessions


def counted(centre, month):
    """The compliance figures of `centre` in `month`, counted from the rows without the selector."""
    sessions = [
        s
        for s in ServiceSession.objects.filter(centre=centre)
        if (s.date.year, s.date.month) == (month.year, month.month)
    ]
    departments = {d.pk for s in sessions for d in s.departments.all()}
    records = [r for r in ServiceRecord.objects.all() if r.session in sessions]
    return {
        "half_days": len(sessions),
        "departments": len(departments),
        "services": len({r.service_item_id for r in records}),
        "categories": len({r.service_item.category_id for r in records}),
    }


# --- done-when 1: the 司法 account records three services, closes a follow-up ----------------------------------------


def test_sifa_records_three_services_and_closes_the_follow_up(tree, service_centres, sifa, client_as):
    client = client_as(sifa)
    centre = service_centres["g1"]
    response = client.post("/services/add/", {"centre": centre.pk, "date": TODAY.isoformat(), "half": "am"})
    session = ServiceSession.objects.get(centre=centre, date=TODAY, half="am")
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    form = client.get(session.get_absolute_url()).context["record_form"]  # the half-day's page offers the form
    assert {i.department.code for i in form.fields["service_item"].queryset} == {"sifa"}
    assert set(form.fields["village"].queryset) == {tree.v11, tree.v12}  # the villages the centre serves

    services = [
        ("legal-advice", Outcome.RESOLVED, ""),
        ("mediation", Outcome.REFERRED, ""),
        ("legal-aid", Outcome.FOLLOW_UP, (TODAY + datetime.timedelta(days=10)).isoformat()),
    ]
    for n, (code, outcome, due) in enumerate(services):
        response = client.post(
            f"/services/{session.pk}/record/",
            {
                "service_item": item(code).pk,
                "villager_name": f"东庄村民{n}",
                "village": tree.v11.pk,
                "phone": "13912345678",
                "request": "咨询",
                "outcome": outcome,
                "due_on": due,
            },
        )
        assert response.status_code == 302, response.context["form"].errors
    records = list(ServiceRecord.objects.filter(session=session).order_by("pk"))
    assert [r.outcome for r in records] == [o for _, o, _ in services]
    assert {r.department.code for r in records} == {"sifa"}
    assert list(session.departments.values_list("code", flat=True)) == ["sifa"]
    assert list(session.staff.all()) == [sifa]
    page = client.get(session.get_absolute_url()).content.decode()
    assert "139****5678" in page and "13912345678" not in page  # the phone is masked

    follow_up = records[2]
    assert todo_items(sifa, today=follow_up.due_on) and not todo_items(sifa, today=TODAY - datetime.timedelta(days=30))
    response = client.post(
        f"/services/records/{follow_up.pk}/close/", {"closed_on": TODAY.isoformat(), "note": "已援助"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.closed_on == TODAY and follow_up.closing_note == "已援助" and not follow_up.is_open_follow_up
    assert AuditEvent.objects.filter(action="service_follow_up_close", object_id=str(follow_up.pk)).exists()
    assert AuditEvent.objects.filter(action="service_record_add").count() == 3

    response = client.get(f"/services/centres/{centre.pk}/", {"month": f"{TODAY:%Y-%m}"})
    figures = response.context["figures"]
    assert (figures.half_days, figures.departments, figures.services, figures.categories) == (1, 1, 3, 2)
    assert figures.short_half_days and figures.short_departments and figures.short_services
    assert report_figures(tree.v11, TODAY.replace(day=1))["service_records"] == 3


# --- done-when 2: the compliance figures, the flagged month and the export ----------------------------------------


@pytest.fixture
def year_rows(tree, service_centres, sifa):
    full_month(service_centres["g1"], tree.v11, LAST_MONTH, HALF_DAY_TARGET, sifa)
    full_month(service_centres["g2"], tree.v21, LAST_MONTH, HALF_DAY_TARGET - 1, sifa)  # one half-day short
    earlier = add_months(LAST_MONTH, -1)
    full_month(service_centres["g2"], tree.v22, earlier, HALF_DAY_TARGET, sifa)
    return service_centres


def test_the_compliance_figures_match_the_rows_and_flag_the_short_month(year_rows, town_cadre, client_as):
    response = client_as(town_cadre).get("/services/compliance/", {"year": LAST_MONTH.year})
    assert response.status_code == 200
    rows = {months[0].centre.code: months for months in response.context["rows"]}
    # The town sees every centre serving a general branch, side by side (a centre serving none is in nobody's scope).
    assert set(rows) == {c.code for c in ServiceCentre.objects.filter(general_branches__isnull=False)}
    for centre in year_rows.values():
        for cell in rows[centre.code]:
            figures = counted(centre, cell.month)
            assert {k: getattr(cell, k) for k in figures} == figures, (centre.code, cell.month)
    g1 = rows["centre-1"][LAST_MONTH.month - 1]
    g2 = rows["centre-2"][LAST_MONTH.month - 1]
    assert (g1.half_days, g1.departments, g1.services) == (HALF_DAY_TARGET, DEPARTMENT_TARGET, SERVICE_TARGET)
    assert not g1.short
    assert g2.half_days == 4 and g2.short_half_days and g2.short
    assert not (g2.short_departments or g2.short_services or g2.short_categories)
    assert response.content.decode().count("table-danger short") >= 1


def test_the_excel_export_has_the_same_figures(year_rows, town_cadre, client_as):
    client = client_as(town_cadre)
    page = client.get("/services/compliance/", {"year": LAST_MONTH.year}).context["rows"]
    response = client.get("/services/compliance/", {"year": LAST_MONTH.year, "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    expected = [
        [c.centre.name, f"{c.month:%Y-%m}", c.half_days, 5, c.departments, 8, c.services, 19, c.categories, 3]
        for months in page
        for c in months
    ]
    assert [list(row[:10]) for row in exported] == expected
    short = {(row[0], row[1]) for row in exported if row[10] in ("yes", "是")}
    assert (year_rows["g2"].name, f"{LAST_MONTH:%Y-%m}") in short
    assert (year_rows["g1"].name, f"{LAST_MONTH:%Y-%m}") not in short


def test_a_general_branch_sees_only_its_centre(year_rows, gb_secretary, village_secretary, client_as):
    rows = client_as(gb_secretary).get("/services/compliance/").context["rows"]
    assert [months[0].centre for months in rows] == [year_rows["g1"]]
    assert client_as(village_secretary).get("/services/compliance/").context["rows"] == []


# --- scope per persona -------------------------------------------------------------------------------------------


@pytest.fixture
def v11_record(tree, service_centres, sifa):
    session = actions.session_open(actor=sifa, centre=service_centres["g1"], date=TODAY, half="pm")
    return actions.record_add(
        actor=sifa,
        session=session,
        service_item=item("mediation"),
        villager_name="东庄李四",
        village=tree.v11,
        request="邻里纠纷",
        outcome=Outcome.RESOLVED,
    )


SCOPE = [  # persona: the g2 half-day, the g2 record (司法, 南营), its closing form, the g2 centre's month
    ("town_cadre", 200, 200, 403, 200),
    ("gb_secretary", 404, 404, 404, 404),
    ("gb2_secretary", 200, 200, 403, 200),
    ("deputy", 404, 404, 404, 404),
    ("village_secretary", 404, 404, 404, 404),
    ("guihua", 200, 404, 404, 200),  # another department: every centre's half-days, not 司法's records
    ("sifa", 200, 200, 200, 200),
    ("outsider", 404, 404, 404, 404),
]


@pytest.mark.parametrize(("persona", "session", "record", "close", "centre"), SCOPE, ids=[r[0] for r in SCOPE])
def test_scope_per_persona(persona, session, record, close, centre, check_access, g2_service_record, service_centres):
    check_access(persona, "/services/{g2_session.pk}/", session)
    check_access(persona, "/api/service-sessions/{g2_session.pk}/", session)
    check_access(persona, "/api/service-records/{g2_service_record.pk}/", record)
    check_access(persona, "/services/records/{g2_service_record.pk}/close/", close)
    check_access(persona, "/services/centres/{service_centres[g2].pk}/", centre)
    record_add = 200 if persona in ("sifa", "guihua") else 403 if session == 200 else 404
    check_access(persona, "/services/{g2_session.pk}/record/", record_add)


def test_lists_show_only_the_scope(
    g2_service_record, v11_record, client_as, village_secretary, neighbour_secretary, gb_secretary, guihua, sifa
):
    def records(user):
        return set(client_as(user).get("/services/records/").context["object_list"])

    def sessions(user):
        return set(client_as(user).get("/services/").context["object_list"])

    assert records(village_secretary) == {v11_record}  # their own villagers
    assert records(neighbour_secretary) == set()
    assert records(gb_secretary) == {v11_record}
    assert records(sifa) == {v11_record, g2_service_record}
    assert records(guihua) == set()
    assert sessions(guihua) == {v11_record.session, g2_service_record.session}
    assert sessions(gb_secretary) == {v11_record.session}
    assert sessions(village_secretary) == set()


def test_anonymous_visitors_log_in(check_access, g2_service_record):
    for url in ("/services/", "/services/{g2_session.pk}/", "/services/compliance/", "/api/service-records/"):
        check_access("anonymous", url, "login")


# --- bad input saves nothing ---------------------------------------------------------------------------------------


def test_bad_input_saves_nothing(tree, service_centres, sifa, guihua, client_as, v11_record):
    session = v11_record.session
    client = client_as(sifa)
    good = {
        "service_item": item("legal-advice").pk,
        "villager_name": "东庄王五",
        "village": tree.v11.pk,
        "phone": "",
        "request": "咨询",
        "outcome": Outcome.FOLLOW_UP,
        "due_on": "",
    }
    before = ServiceRecord.objects.count()
    shows_errors(client.post(f"/services/{session.pk}/record/", good), "due_on")
    shows_errors(client.post(f"/services/{session.pk}/record/", {**good, "village": tree.v21.pk}), "village")
    other = {**good, "service_item": item("planning-advice").pk, "outcome": Outcome.RESOLVED}
    shows_errors(client.post(f"/services/{session.pk}/record/", other), "service_item")
    shows_errors(client.post(f"/services/{session.pk}/record/", {**good, "phone": "12ab"}), "phone")
    shows_errors(client.post(f"/services/{session.pk}/record/", {**good, "request": "长" * 2001}), "request")
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    shows_errors(
        client.post("/services/add/", {"centre": service_centres["g1"].pk, "date": future, "half": "am"}), "date"
    )
    api = client.post(
        "/api/service-records/",
        {**good, "session": session.pk, "due_on": None, "village": tree.v11.pk},
        content_type="application/json",
    )
    assert api.status_code == 400 and "due_on" in api.json()
    assert ServiceRecord.objects.count() == before
    resolved = v11_record
    answer = client.post(
        f"/api/service-records/{resolved.pk}/close/",
        {"closed_on": TODAY.isoformat(), "note": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 400  # no follow-up to close
    resolved.refresh_from_db()
    assert resolved.closed_on is None


def test_a_record_keeps_its_half_days_date_and_the_lists_sort_by_it(
    tree, service_centres, sifa, town_cadre, client_as, v11_record
):
    earlier = actions.session_open(
        actor=sifa, centre=service_centres["g1"], date=TODAY - datetime.timedelta(days=3), half="am"
    )
    old = actions.record_add(
        actor=sifa,
        session=earlier,
        service_item=item("legal-aid"),
        villager_name="东庄王五",
        village=tree.v11,
        request="咨询",
        outcome=Outcome.RESOLVED,
    )
    assert ServiceRecord.objects.get(pk=old.pk).date == earlier.date
    assert ServiceRecord.objects.get(pk=v11_record.pk).date == TODAY
    listed = client_as(town_cadre).get("/api/service-records/").json()["results"]
    assert [r["id"] for r in listed] == [v11_record.pk, old.pk]
    oldest_first = client_as(town_cadre).get("/services/records/?sort=date").content.decode()
    assert oldest_first.index("东庄王五") < oldest_first.index("东庄李四")


def test_the_api_records_and_closes(tree, service_centres, sifa, client_as, v11_record):
    client = client_as(sifa)
    body = {
        "session": v11_record.session.pk,
        "service_item": item("legal-aid").pk,
        "villager_name": "东庄赵六",
        "village": tree.v11.pk,
        "phone": "13700001111",
        "request": "申请法律援助",
        "outcome": Outcome.FOLLOW_UP,
        "due_on": (TODAY + datetime.timedelta(days=5)).isoformat(),
    }
    created = client.post("/api/service-records/", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["phone_masked"] == "137****1111" and "phone" not in created.json()
    closed = client.post(
        f"/api/service-records/{created.json()['id']}/close/",
        {"closed_on": TODAY.isoformat(), "note": "已办结"},
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["closed_on"] == TODAY.isoformat()


# --- query counts ----------------------------------------------------------------------------------------------------


def test_query_counts_are_flat(tree, service_centres, sifa, town_cadre, client_as):
    client = client_as(town_cadre)
    staff_client = client_as(sifa)
    months = iter(add_months(LAST_MONTH, -n) for n in range(0, 12))

    def measure(_):
        session = ServiceSession.objects.order_by("-date").first()
        return (
            page_queries(client, "/services/"),
            page_queries(client, "/services/records/"),
            page_queries(client, f"/services/compliance/?year={LAST_MONTH.year}"),
            page_queries(client, f"/services/centres/{service_centres['g1'].pk}/?month={LAST_MONTH:%Y-%m}"),
            page_queries(staff_client, session.get_absolute_url()),
            page_queries(client_as(sifa), "/"),
        )

    def make(n):
        def build():
            for _ in range(n):
                month = next(months)
                full_month(service_centres["g1"], tree.v11, month, HALF_DAY_TARGET, sifa)
                full_month(service_centres["g2"], tree.v21, month, HALF_DAY_TARGET, sifa)
            return n

        return build

    assert_flat(measure, make(1), make(3))
