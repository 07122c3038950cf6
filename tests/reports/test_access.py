"""Who may do what with a report (issue 3, "Done when" 3): anonymous → login, out of scope → 404, in scope → 200,
a workflow step the user may not take → 403, a step the report's state does not allow → back to the report; verbs
are POST only; a future month cannot be written."""

from branches import actions
from branches.choices import MeetingKind, ReportStatus
from branches.models import MonthlyReport

from .. import kit
from .conftest import THIS_MONTH, TODAY, make_report, page, shift

REPORT, PACK, API = "/reports/{draft.pk}/", "/reports/pack/{work_meeting.pk}/", "/api/reports/{draft.pk}/"
PAGES = ["/reports/", "/reports/?export=xlsx", "/reports/write/", REPORT, REPORT + "edit/", REPORT + "return/"]

ACCESS = [
    *kit.anonymous(
        [*PAGES, "/reports/completeness/", "/reports/completeness/?export=xlsx", PACK, "/api/reports/", API]
    ),
    ("village_secretary", REPORT, 200),
    ("village_secretary", REPORT + "edit/", 200),
    ("village_secretary", REPORT + "return/", 302),  # a draft: nothing to return, back to the report with a message
    ("village_secretary", "/reports/write/", 200),
    ("village_secretary", PACK, 404),
    ("neighbour_secretary", REPORT, 404),
    ("neighbour_secretary", REPORT + "edit/", 404),
    ("neighbour_secretary", API, 404),
    ("gb_secretary", REPORT, 200),
    ("gb_secretary", REPORT + "edit/", 403),
    ("gb_secretary", PACK, 200),
    ("gb2_secretary", REPORT, 404),
    ("gb2_secretary", PACK, 404),
    ("deputy", REPORT, 200),
    ("deputy", REPORT + "edit/", 403),
    ("deputy", PACK, 200),
    ("town_cadre", REPORT, 200),
    ("town_cadre", PACK, 200),
    ("town_cadre", "/reports/completeness/", 200),
    ("outsider", REPORT, 404),
    ("outsider", "/reports/", 200),
    ("outsider", "/reports/completeness/", 200),
    ("outsider", "/reports/write/", 403),
    ("outsider", PACK, 404),
    ("outsider", API, 404),
]


@kit.access_table(ACCESS)
def test_access(check_access, draft, work_meeting, persona, url, status):
    check_access(persona, url, status)


def test_anonymous_posts_change_nothing(check_access, draft):
    for verb in ("submit", "check", "approve", "return", "edit"):
        data = {"reason": "x", "narrative": "x", "version": 1}
        check_access("anonymous", f"/reports/{draft.pk}/{verb}/", kit.LOGIN, method="post", data=data)
    data = {"village": draft.village_id, "month": f"{THIS_MONTH:%Y-%m}"}
    check_access("anonymous", "/api/reports/", kit.LOGIN, method="post", data=data)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.narrative != "x"


def test_a_village_secretary_cannot_review_or_see_other_villages(people, tree, en):
    own = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    neighbour = make_report(people, tree, "v12", THIS_MONTH, ReportStatus.SUBMITTED)
    writer = en(people["sec"]["v11"])

    assert writer.post(f"/reports/{own.pk}/approve/").status_code == 403
    assert writer.post(f"/reports/{own.pk}/check/").status_code == 403
    assert writer.get(f"/reports/{own.pk}/return/").status_code == 403
    assert writer.post(f"/reports/{own.pk}/return/", {"reason": "x"}).status_code == 403
    for path in ("", "edit/", "return/"):
        assert writer.get(f"/reports/{neighbour.pk}/{path}").status_code == 404
    assert writer.post(f"/reports/{neighbour.pk}/submit/").status_code == 404
    assert writer.get(f"/api/reports/{neighbour.pk}/").status_code == 404
    listing = writer.get("/reports/")
    assert [r.pk for r in listing.context["object_list"]] == [own.pk]
    own.refresh_from_db()
    assert own.status == ReportStatus.SUBMITTED


def test_a_submitted_report_cannot_be_changed(people, tree, en):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED, problems="原问题")
    writer = en(people["sec"]["v11"])

    response = writer.get(f"/reports/{report.pk}/edit/")
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/"
    response = writer.post(
        f"/reports/{report.pk}/edit/", {"version": report.version, "problems": "改了", "action": "save"}, follow=True
    )
    assert "can no longer be changed" in page(response)
    api = writer.patch(
        f"/api/reports/{report.pk}/", {"version": report.version, "problems": "改了"}, content_type="application/json"
    )
    assert api.status_code == 400

    report.refresh_from_db()
    assert report.problems == "原问题"
    assert not writer.get(f"/reports/{report.pk}/").context["actions"]["edit"]


def test_a_general_branch_secretary_cannot_review_another_branchs_villages(people, tree, en):
    report = make_report(people, tree, "v21", THIS_MONTH, ReportStatus.SUBMITTED)
    gb1 = en(people["gb1"])

    assert gb1.get(f"/reports/{report.pk}/").status_code == 404
    assert gb1.post(f"/reports/{report.pk}/approve/").status_code == 404
    assert gb1.get(f"/reports/{report.pk}/return/").status_code == 404
    assert gb1.post(f"/api/reports/{report.pk}/approve/").status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_deputy_cannot_approve_and_a_town_cadre_cannot_review(people, tree, en):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.CHECKED)

    assert en(people["dep1"]).post(f"/reports/{report.pk}/approve/").status_code == 403
    assert en(people["town"]).post(f"/reports/{report.pk}/approve/").status_code == 403
    assert en(people["town"]).get(f"/reports/{report.pk}/").status_code == 200

    report.refresh_from_db()
    assert report.status == ReportStatus.CHECKED


def test_writing_is_refused_outside_scope_for_other_roles_and_for_future_months(people, tree, en):
    writer = en(people["sec"]["v11"])
    next_month = shift(THIS_MONTH, 1)

    assert writer.get(f"/reports/write/?village={tree.v12.pk}&month={THIS_MONTH:%Y-%m}").status_code == 404
    assert writer.post("/reports/write/", {"village": tree.v12.pk, "month": f"{THIS_MONTH:%Y-%m}"}).status_code == 404
    assert writer.post("/reports/write/", {"village": tree.g1.pk, "month": f"{THIS_MONTH:%Y-%m}"}).status_code == 404
    response = writer.post("/reports/write/", {"village": tree.v11.pk, "month": f"{next_month:%Y-%m}"})
    assert response.status_code == 200 and "has not begun" in page(response)
    response = writer.post("/reports/write/", {"village": tree.v11.pk, "month": "2026-13"})
    assert response.status_code == 200 and "YYYY-MM" in page(response)
    gb1 = en(people["gb1"])
    assert gb1.get("/reports/write/").status_code == 403
    assert gb1.get(f"/reports/write/?village={tree.v11.pk}&month={THIS_MONTH:%Y-%m}").status_code == 403
    assert gb1.post("/reports/write/", {"village": tree.v11.pk, "month": f"{THIS_MONTH:%Y-%m}"}).status_code == 403
    assert MonthlyReport.objects.count() == 0


def test_submit_is_post_only_and_a_review_asks_to_confirm(people, tree, en):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    assert en(people["dep1"]).get(f"/reports/{report.pk}/submit/").status_code == 405
    assert en(people["dep1"]).get(f"/reports/{report.pk}/check/").status_code == 200  # the confirmation page
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # a GET changes nothing


def test_a_meeting_that_is_not_a_work_meeting_has_no_pack(people, tree, en):
    meeting = actions.meeting_plan(
        actor=people["sec"]["v11"],
        organization=tree.v11,
        kind=MeetingKind.BRANCH_COMMITTEE,
        title="支委会",
        planned_for=TODAY,
    )
    assert en(people["town"]).get(f"/reports/pack/{meeting.pk}/").status_code == 404
