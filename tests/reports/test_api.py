"""The report API: the same scope as the pages, a report started once, saved with its version (409 when stale,
400 for fields the secretary does not write), and the transitions calling the same workflow."""

from branches.choices import ReportStatus
from branches.models import MonthlyReport, ReportTransition

from .conftest import PAST_MONTH, THIS_MONTH, make_report, shift, write


def test_the_api_lists_reports_in_scope_with_figures_and_history(people, tree, en):
    own = make_report(people, tree, "v11", PAST_MONTH, ReportStatus.RETURNED)
    make_report(people, tree, "v12", PAST_MONTH, ReportStatus.SUBMITTED)

    listing = en(people["sec"]["v11"]).get("/api/reports/").json()
    detail = en(people["sec"]["v11"]).get(f"/api/reports/{own.pk}/").json()

    results = listing["results"] if isinstance(listing, dict) else listing
    assert [r["id"] for r in results] == [own.pk]
    assert detail["status"] == "returned" and detail["month"] == f"{PAST_MONTH:%Y-%m}"
    assert [(t["from_status"], t["to_status"]) for t in detail["transitions"]] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
    ]
    assert detail["transitions"][1]["comment"] == "请补充党员大会情况"
    assert set(detail["figures"]) >= {"meetings", "attendance", "members"}


def test_the_api_starts_a_report_once(people, tree, en):
    api = en(people["sec"]["v11"])
    body = {"village": tree.v11.pk, "month": f"{THIS_MONTH:%Y-%m}"}

    first = api.post("/api/reports/", body, content_type="application/json")
    second = api.post("/api/reports/", body, content_type="application/json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert MonthlyReport.objects.filter(village=tree.v11, month=THIS_MONTH).count() == 1
    assert (
        api.post(
            "/api/reports/", {**body, "month": f"{shift(THIS_MONTH, 1):%Y-%m}"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert api.post("/api/reports/", {**body, "month": "13/2026"}, content_type="application/json").status_code == 400
    assert api.post("/api/reports/", {**body, "month": "0202-10"}, content_type="application/json").status_code == 400
    assert (
        api.post("/api/reports/", {**body, "village": tree.v12.pk}, content_type="application/json").status_code == 404
    )
    gb1 = en(people["gb1"])
    assert (
        gb1.post("/api/reports/", {**body, "village": tree.v12.pk}, content_type="application/json").status_code == 403
    )
    assert MonthlyReport.objects.count() == 1


def test_15_the_api_saves_with_the_version_and_refuses_stale_or_foreign_fields(people, tree, en):
    report = write(tree.v11, people["sec"]["v11"], THIS_MONTH, narrative="原稿")
    api = en(people["sec"]["v11"])
    url = f"/api/reports/{report.pk}/"

    saved = api.patch(url, {"version": report.version, "problems": "新问题"}, content_type="application/json")
    stale = api.patch(url, {"version": report.version, "problems": "旧页面"}, content_type="application/json")
    forged = api.patch(
        url,
        {"version": report.version + 1, "status": "approved", "figures": {"x": 1}, "village": tree.v12.pk},
        content_type="application/json",
    )
    put = api.put(url, {"version": report.version + 1}, content_type="application/json")

    assert saved.status_code == 200 and saved.json()["problems"] == "新问题" and saved.json()["narrative"] == "原稿"
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert forged.status_code == 400 and set(forged.json()) == {"status", "figures", "village"}
    assert put.status_code == 405
    report.refresh_from_db()
    assert (report.status, report.problems, report.village_id, report.version) == ("draft", "新问题", tree.v11.pk, 3)
    assert (
        en(people["gb1"]).patch(url, {"version": 3, "problems": "x"}, content_type="application/json").status_code
        == 403
    )


def test_the_api_transitions_call_the_same_workflow(people, tree, en):
    report = write(tree.v11, people["sec"]["v11"], THIS_MONTH)
    writer, deputy, gb1 = en(people["sec"]["v11"]), en(people["dep1"]), en(people["gb1"])
    base = f"/api/reports/{report.pk}"

    assert writer.post(f"{base}/submit/").status_code == 200
    assert writer.post(f"{base}/submit/").json()["status"] == "submitted"  # a double submit changes nothing
    assert ReportTransition.objects.filter(report=report, to_status="submitted").count() == 1
    assert writer.post(f"{base}/approve/").status_code == 403
    assert deputy.post(f"{base}/return/", {"reason": " "}, content_type="application/json").status_code == 400
    assert (
        deputy.post(f"{base}/return/", {"reason": "补充"}, content_type="application/json").json()["status"]
        == "returned"
    )
    assert writer.post(f"{base}/submit/", {"version": 1}, content_type="application/json").status_code == 409
    assert writer.post(f"{base}/submit/").json()["status"] == "submitted"
    assert deputy.post(f"{base}/check/").json()["status"] == "checked"
    assert (
        gb1.post(f"{base}/approve/", {"comment": "同意"}, content_type="application/json").json()["status"]
        == "approved"
    )
    assert writer.post(f"{base}/check/").status_code == 400  # approved: no step left
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.transitions.count() == 5
