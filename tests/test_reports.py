"""Monthly reports (issue 3, "Done when" 1-4 and 6): the workflow from the village secretary to the general branch,
one report per village and month everywhere, idempotent submits, stale saves, who may do what, the completeness
view and its Excel export against an independent computation, the meeting pack, the to-do items, and query
counts that do not grow with the data.

The small tree of conftest: g1 (v11, v12; deputy dep1 liaises with both) and g2 (v21, v22; no liaison deputy).
Pages are read in English (a language cookie), so that the assertions hold whatever the Chinese catalogue says.
"""

import datetime
import io
import threading

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from anding.models import AuditEvent
from branches import selectors, services
from branches.choices import MeetingKind, MeetingStatus, OrgKind, ReportStatus, Role, TaskAssignmentStatus
from branches.models import Meeting, MonthlyReport, PartyMember, ReportTransition, TaskAssignment
from branches.todo import report_todos

from .factories import OrganizationFactory, PositionFactory, UserFactory, make_members

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)


def shift(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months from `month` (computed here, independently of the code under test)."""
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return datetime.date(y, m + 1, 1)


def due(month: datetime.date) -> datetime.date:
    return shift(month, 1).replace(day=settings.REPORT_DUE_DAY)


LAST_MONTH = shift(THIS_MONTH, -1)
PAST_MONTH = shift(THIS_MONTH, -2)  # always past its due date


# --- fixtures and helpers ---------------------------------------------------------------------------------------


@pytest.fixture
def people(tree, town_cadre, gb_secretary, gb2_secretary, village_secretary, deputy, outsider):
    """The personas of conftest plus the secretaries of v12, v21 and v22."""
    secretaries = {"v11": village_secretary}
    for key in ("v12", "v21", "v22"):
        user = UserFactory(username=f"sec-{key}", full_name=f"sec-{key}")
        PositionFactory(user=user, organization=getattr(tree, key), role=Role.VILLAGE_SECRETARY)
        secretaries[key] = user
    return {
        "town": town_cadre,
        "gb1": gb_secretary,
        "gb2": gb2_secretary,
        "dep1": deputy,
        "outsider": outsider,
        "sec": secretaries,
    }


@pytest.fixture
def en(client_as):
    """`en(user)`: a logged-in client whose pages are in English."""

    def make(user):
        client = client_as(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def hold(village, kind, on, actor, *, absent: int = 0, members=None):
    """A meeting recorded as held through the meeting services, with every current member on the list."""
    meeting = services.meeting_plan(actor=actor, organization=village, kind=kind, title=f"{kind} {on}", planned_for=on)
    members = members if members is not None else list(PartyMember.objects.filter(branch=village).order_by("pk"))
    lines = [
        services.AttendanceLine(member=m, present=i >= absent, absence_reason="" if i >= absent else "病假")
        for i, m in enumerate(members)
    ]
    return services.meeting_record(actor=actor, meeting=meeting, version=meeting.version, held_on=on, attendance=lines)


def write(village, secretary, month, narrative="本月开展了组织生活。", **text):
    report = services.report_start(actor=secretary, village=village, month=month)
    return services.report_save(
        actor=secretary,
        report=report,
        version=report.version,
        narrative=narrative,
        problems=text.get("problems", ""),
        requests=text.get("requests", ""),
    )


def make_report(people, tree, key, month, status, *, submitted_on=None, **text):
    """A report of village `key` brought to `status` through the services; `submitted_on` backdates its first
    submission (test data for lateness)."""
    village, secretary = getattr(tree, key), people["sec"][key]
    report = write(village, secretary, month, **text)
    if status == ReportStatus.DRAFT:
        return report
    report = services.report_submit(actor=secretary, report=report)
    has_deputy = key in ("v11", "v12")
    secretary_above = people["gb1"] if has_deputy else people["gb2"]
    if status == ReportStatus.RETURNED:
        reviewer = people["dep1"] if has_deputy else secretary_above
        report = services.report_return(actor=reviewer, report=report, reason="请补充党员大会情况")
    if status in (ReportStatus.CHECKED, ReportStatus.APPROVED) and has_deputy:
        report = services.report_check(actor=people["dep1"], report=report)
    if status == ReportStatus.APPROVED:
        report = services.report_approve(actor=secretary_above, report=report)
    if submitted_on is not None:
        at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(10, 0)))
        MonthlyReport.objects.filter(pk=report.pk).update(first_submitted_at=at, submitted_at=at)
        report.refresh_from_db()
    return report


def page(response) -> str:
    return response.content.decode()


# --- 1. the workflow, as v05 would do it ----------------------------------------------------------------------------


def test_the_monthly_report_workflow_from_writing_to_approval(people, tree, en):
    village, secretary = tree.v11, people["sec"]["v11"]
    # The meetings of the month, recorded through the meeting service.
    hold(village, MeetingKind.BRANCH_COMMITTEE, THIS_MONTH, people["town"], absent=1)
    hold(village, MeetingKind.BRANCH_COMMITTEE, THIS_MONTH, people["town"])
    hold(village, MeetingKind.THEMED_DAY, THIS_MONTH, people["town"])
    hold(tree.v12, MeetingKind.PARTY_GROUP, THIS_MONTH, people["town"])  # another village: not counted
    writer = en(secretary)

    # The list invites the secretary to write this month's report.
    listing = page(writer.get("/reports/"))
    assert "Write this month&#x27;s report" in listing or "Write this month's report" in listing

    response = writer.post("/reports/write/", {"village": village.pk, "month": f"{THIS_MONTH:%Y-%m}"})
    report = MonthlyReport.objects.get(village=village, month=THIS_MONTH)
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/edit/"
    assert report.status == ReportStatus.DRAFT and report.general_branch == tree.g1

    # The figures are computed from the meetings recorded, live while the report is a draft.
    detail = writer.get(f"/reports/{report.pk}/")
    sections = {s["key"]: dict(s["rows"]) for s in detail.context["figure_sections"]}
    assert sections["meetings"][MeetingKind.BRANCH_COMMITTEE.label] == 2
    assert sections["meetings"][MeetingKind.THEMED_DAY.label] == 1
    assert sections["meetings"][MeetingKind.PARTY_GROUP.label] == 0
    assert sections["attendance"]["attendance rate"] == f"{100 * 8 / 9:.1f}%"
    assert "branch committee meeting" in page(detail)

    # A draft saves without the narrative; submitting asks for it.
    edit = f"/reports/{report.pk}/edit/"
    response = writer.post(edit, {"version": 1, "narrative": "", "problems": "缺少活动经费", "action": "save"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.problems == "缺少活动经费" and report.version == 2
    response = writer.post(edit, {"version": 2, "narrative": "", "problems": "缺少活动经费", "action": "submit"})
    assert response.status_code == 200
    assert "Describe the work done this month before submitting." in page(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    response = writer.post(
        edit,
        {"version": report.version, "narrative": "召开支委会两次。", "problems": "缺少活动经费", "action": "submit"},
    )
    assert response.status_code == 302 and response.url == f"/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    expected = independent_figures(village, THIS_MONTH)
    assert report.figures == expected
    assert report.figures["meetings"] == {"branch_committee": 2, "themed_day": 1}
    assert report.figures["attendance"] == {"present": 8, "total": 9}

    # The liaison deputy returns it with a reason (an empty reason is refused).
    reviewer = en(people["dep1"])
    detail = reviewer.get(f"/reports/{report.pk}/")
    assert detail.context["actions"]["check"] and detail.context["actions"]["return"]
    assert not detail.context["actions"]["approve"]
    assert reviewer.get(f"/reports/{report.pk}/return/").status_code == 200
    response = reviewer.post(f"/reports/{report.pk}/return/", {"reason": "   "})
    assert response.status_code == 200 and "This field is required." in page(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    response = reviewer.post(f"/reports/{report.pk}/return/", {"reason": "请补充党小组会情况"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    # The secretary sees the reason, corrects and resubmits.
    detail = writer.get(f"/reports/{report.pk}/")
    assert "请补充党小组会情况" in page(detail) and detail.context["actions"]["submit"]
    response = writer.post(
        edit, {"version": report.version, "narrative": "召开支委会两次，党小组会待补。", "action": "save"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert writer.post(f"/reports/{report.pk}/submit/", {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # The deputy passes the first review, then the general-branch secretary approves.
    assert reviewer.post(f"/reports/{report.pk}/check/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CHECKED and report.checked_by == people["dep1"]
    approver = en(people["gb1"])
    assert approver.get(f"/reports/{report.pk}/").context["actions"]["approve"]
    assert approver.post(f"/reports/{report.pk}/approve/").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == people["gb1"]

    # Every step is in the report's history and in the audit trail.
    steps = [(t.from_status, t.to_status, t.actor.username) for t in report.transitions.order_by("at", "id")]
    assert steps == [
        ("draft", "submitted", "v11"),
        ("submitted", "returned", "dep1"),
        ("returned", "submitted", "v11"),
        ("submitted", "checked", "dep1"),
        ("checked", "approved", "gb1"),
    ]
    assert report.transitions.get(to_status="returned").comment == "请补充党小组会情况"
    audit = list(
        AuditEvent.objects.filter(object_type="branches.monthlyreport", object_id=str(report.pk))
        .order_by("at", "id")
        .values_list("action", "actor__username")
    )
    assert [a for a in audit if a[0] != "report_save"] == [
        ("report_start", "v11"),
        ("report_submitted", "v11"),
        ("report_returned", "dep1"),
        ("report_submitted", "v11"),
        ("report_checked", "dep1"),
        ("report_approved", "gb1"),
    ]
    assert ("report_save", "v11") in audit
    history = page(writer.get(f"/reports/{report.pk}/"))
    for text in ("dep1", "gb1", "请补充党小组会情况", "Approved", "First review passed"):
        assert text.lower() in history.lower()


def independent_figures(village, month):
    first, last = month, shift(month, 1) - datetime.timedelta(days=1)
    held = Meeting.objects.filter(
        organization=village, status__in=["held", "reviewed"], held_on__gte=first, held_on__lte=last
    )
    meetings = {}
    present = total = 0
    for meeting in held.prefetch_related("attendance"):
        meetings[meeting.kind] = meetings.get(meeting.kind, 0) + 1
        for line in meeting.attendance.all():
            total += 1
            present += line.present
    members = {}
    for member in PartyMember.objects.filter(branch=village):
        members[member.status] = members.get(member.status, 0) + 1
    return {"meetings": meetings, "attendance": {"present": present, "total": total}, "members": members}


def test_a_village_without_liaison_deputy_is_approved_by_the_secretary_directly(people, tree, en):
    report = make_report(people, tree, "v21", THIS_MONTH, ReportStatus.SUBMITTED)
    detail = en(people["gb2"]).get(f"/reports/{report.pk}/")
    assert detail.context["actions"]["approve"] and not detail.context["actions"]["check"]
    assert [s["status"] for s in detail.context["steps"]] == ["draft", "submitted", "approved"]

    assert en(people["gb2"]).post(f"/reports/{report.pk}/approve/").status_code == 302

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_the_secretary_waits_for_the_deputys_first_review(people, tree, en):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    detail = en(people["gb1"]).get(f"/reports/{report.pk}/")
    assert not detail.context["actions"]["approve"] and not detail.context["actions"]["return"]

    assert en(people["gb1"]).post(f"/reports/{report.pk}/approve/").status_code == 403

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_step_indicator_shows_returned(people, tree, en):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.RETURNED)
    steps = en(people["sec"]["v11"]).get(f"/reports/{report.pk}/").context["steps"]
    assert [(s["status"], s["state"]) for s in steps] == [
        ("draft", "done"),
        ("submitted", "done"),
        ("returned", "current"),
        ("checked", "todo"),
        ("approved", "todo"),
    ]


def test_registry_figures_are_shown_generically(people, tree, en, monkeypatch):
    from anding import registry

    monkeypatch.setitem(registry._providers, "report_figures", [lambda village, first, last: {"visits": {"homes": 7}}])
    report = write(tree.v11, people["sec"]["v11"], THIS_MONTH)
    sections = en(people["sec"]["v11"]).get(f"/reports/{report.pk}/").context["figure_sections"]
    assert {"key": "visits", "title": "visits", "rows": [("homes", 7)]} in sections


# --- 2. one report per village and month; double submits; stale saves ------------------------------------------


def test_writing_twice_lands_on_the_same_report(people, tree, en):
    writer = en(people["sec"]["v11"])
    data = {"village": tree.v11.pk, "month": f"{LAST_MONTH:%Y-%m}"}

    first = writer.post("/reports/write/", data)
    second = writer.post("/reports/write/", data)

    assert MonthlyReport.objects.filter(village=tree.v11, month=LAST_MONTH).count() == 1
    assert first.url == second.url
    # Following a link to write it again opens the same report.
    again = writer.get(f"/reports/write/?village={tree.v11.pk}&month={LAST_MONTH:%Y-%m}")
    assert again.status_code == 302 and again.url == first.url


def test_concurrent_starts_that_both_missed_the_existing_report_make_one_row(people, tree, monkeypatch):
    original_first = QuerySet.first

    def first_sees_nothing(self):
        # Both requests checked for an existing report before either inserted one.
        return None if self.model is MonthlyReport else original_first(self)

    monkeypatch.setattr(QuerySet, "first", first_sees_nothing)
    one = services.report_start(actor=people["sec"]["v11"], village=tree.v11, month=THIS_MONTH)
    two = services.report_start(actor=people["sec"]["v11"], village=tree.v11, month=THIS_MONTH)

    assert one.pk == two.pk
    assert MonthlyReport.objects.filter(village=tree.v11, month=THIS_MONTH).count() == 1


def test_the_database_refuses_a_second_report_for_the_same_village_and_month(people, tree):
    write(tree.v11, people["sec"]["v11"], THIS_MONTH)

    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.create(village=tree.v11, month=THIS_MONTH, created_by=people["sec"]["v11"])

    assert MonthlyReport.objects.filter(village=tree.v11, month=THIS_MONTH).count() == 1


def test_the_admin_cannot_add_change_or_delete_reports(people, tree, superuser, client_as):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    admin = client_as(superuser)

    assert admin.get("/admin/branches/monthlyreport/").status_code == 200
    assert admin.get("/admin/branches/monthlyreport/add/").status_code == 403
    assert admin.get(f"/admin/branches/monthlyreport/{report.pk}/change/").status_code == 200
    admin.post(f"/admin/branches/monthlyreport/{report.pk}/change/", {"status": "approved", "narrative": "x"})
    assert admin.get(f"/admin/branches/monthlyreport/{report.pk}/delete/").status_code == 403

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.narrative != "x"
    assert MonthlyReport.objects.count() == 1


def test_a_double_clicked_submit_creates_one_submission(people, tree, en):
    report = write(tree.v11, people["sec"]["v11"], THIS_MONTH)
    writer = en(people["sec"]["v11"])

    responses = [writer.post(f"/reports/{report.pk}/submit/", {"version": report.version}) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    assert ReportTransition.objects.filter(report=report, to_status=ReportStatus.SUBMITTED).count() == 1
    assert AuditEvent.objects.filter(action="report_submitted", object_id=str(report.pk)).count() == 1
    # "Save and submit" clicked twice: the second lands on the submitted report and changes nothing.
    response = writer.post(f"/reports/{report.pk}/edit/", {"version": 1, "narrative": "again", "action": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.narrative != "again"
    assert ReportTransition.objects.filter(report=report).count() == 1


def test_two_people_saving_from_stale_pages_get_a_conflict_and_lose_nothing(people, tree, en, client_as):
    report = write(tree.v11, people["sec"]["v11"], THIS_MONTH, narrative="原稿")
    # A second account of the same village secretary's office (two browsers) opens the same page.
    colleague = UserFactory(username="v11-b")
    PositionFactory(user=colleague, organization=tree.v11, role=Role.VILLAGE_SECRETARY)
    first, second = en(people["sec"]["v11"]), en(colleague)
    version = first.get(f"/reports/{report.pk}/edit/").context["form"]["version"].value()
    assert second.get(f"/reports/{report.pk}/edit/").context["form"]["version"].value() == version

    saved = first.post(f"/reports/{report.pk}/edit/", {"version": version, "narrative": "甲的修改", "action": "save"})
    stale = second.post(
        f"/reports/{report.pk}/edit/",
        {"version": version, "narrative": "乙的修改", "problems": "乙的问题", "action": "save"},
    )

    assert saved.status_code == 302
    assert stale.status_code == 200
    text = page(stale)
    assert "Someone else saved this record after you opened it." in text
    assert "乙的修改" in text and "乙的问题" in text  # the user's own text is still in the form
    assert "甲的修改" in text  # and what is stored now is shown next to it
    report.refresh_from_db()
    assert report.narrative == "甲的修改" and report.problems == ""


# --- 3. who may do what ------------------------------------------------------------------------------------------


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


def test_verbs_are_post_only(people, tree, en):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    for verb in ("submit", "check", "approve"):
        assert en(people["dep1"]).get(f"/reports/{report.pk}/{verb}/").status_code == 405


REPORT_PAGES = [
    "/reports/",
    "/reports/?export=xlsx",
    "/reports/write/",
    "report:",
    "report:edit/",
    "report:return/",
    "/reports/completeness/",
    "/reports/completeness/?export=xlsx",
    "pack:",
    "/api/reports/",
    "api:",
]


@pytest.fixture
def sample(people, tree):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.DRAFT)
    meeting = services.meeting_plan(
        actor=people["gb1"],
        organization=tree.g1,
        kind=MeetingKind.WORK_MEETING,
        title="十一月工作例会",
        planned_for=TODAY,
    )
    return {"report": report, "meeting": meeting}


def resolve(spec, sample):
    if spec.startswith("/"):
        return spec
    kind, rest = spec.split(":")
    if kind == "report":
        return f"/reports/{sample['report'].pk}/{rest}"
    if kind == "pack":
        return f"/reports/pack/{sample['meeting'].pk}/"
    return f"/api/reports/{sample['report'].pk}/"


@pytest.mark.parametrize("spec", REPORT_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, sample, spec):
    path = resolve(spec, sample)
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_anonymous_posts_change_nothing(client, sample):
    report = sample["report"]
    for verb in ("submit", "check", "approve", "return", "edit"):
        response = client.post(f"/reports/{report.pk}/{verb}/", {"reason": "x", "narrative": "x", "version": 1})
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.post("/api/reports/", {"village": report.village_id, "month": f"{THIS_MONTH:%Y-%m}"}).status_code in (
        401,
        403,
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.narrative != "x"


ACCESS = [
    ("sec:v11", "report:", 200),
    ("sec:v11", "report:edit/", 200),
    ("sec:v11", "report:return/", 302),  # a draft: nothing to return, back to the report with a message
    ("sec:v11", "/reports/write/", 200),
    ("sec:v11", "pack:", 404),
    ("sec:v12", "report:", 404),
    ("sec:v12", "report:edit/", 404),
    ("sec:v12", "api:", 404),
    ("gb1", "report:", 200),
    ("gb1", "report:edit/", 403),
    ("gb1", "pack:", 200),
    ("gb2", "report:", 404),
    ("gb2", "pack:", 404),
    ("dep1", "report:", 200),
    ("dep1", "report:edit/", 403),
    ("dep1", "pack:", 200),
    ("town", "report:", 200),
    ("town", "pack:", 200),
    ("town", "/reports/completeness/", 200),
    ("outsider", "report:", 404),
    ("outsider", "/reports/", 200),
    ("outsider", "/reports/completeness/", 200),
    ("outsider", "/reports/write/", 403),
    ("outsider", "pack:", 404),
    ("outsider", "api:", 404),
]


@pytest.mark.parametrize(("who", "spec", "status"), ACCESS)
def test_access(people, sample, en, who, spec, status):
    user = people["sec"][who.split(":")[1]] if who.startswith("sec:") else people[who]
    assert en(user).get(resolve(spec, sample)).status_code == status


def test_a_meeting_that_is_not_a_work_meeting_has_no_pack(people, tree, en):
    meeting = services.meeting_plan(
        actor=people["sec"]["v11"],
        organization=tree.v11,
        kind=MeetingKind.BRANCH_COMMITTEE,
        title="支委会",
        planned_for=TODAY,
    )
    assert en(people["town"]).get(f"/reports/pack/{meeting.pk}/").status_code == 404


# --- the list ---------------------------------------------------------------------------------------------------------


def test_the_list_filters_by_month_status_branch_and_lateness(people, tree, en):
    late = make_report(
        people,
        tree,
        "v11",
        PAST_MONTH,
        ReportStatus.SUBMITTED,
        submitted_on=due(PAST_MONTH) + datetime.timedelta(days=3),
    )
    on_time = make_report(people, tree, "v21", PAST_MONTH, ReportStatus.APPROVED, submitted_on=due(PAST_MONTH))
    overdue_draft = make_report(people, tree, "v12", PAST_MONTH, ReportStatus.DRAFT)
    current = make_report(people, tree, "v22", THIS_MONTH, ReportStatus.DRAFT)
    town = en(people["town"])

    def pks(query):
        response = town.get(f"/reports/?{query}")
        assert response.status_code == 200
        return {r.pk for r in response.context["paginator"].object_list}

    assert pks("") == {late.pk, on_time.pk, overdue_draft.pk, current.pk}
    assert pks(f"month={PAST_MONTH:%Y-%m}") == {late.pk, on_time.pk, overdue_draft.pk}
    assert pks("status=approved") == {on_time.pk}
    assert pks(f"branch={tree.g1.pk}") == {late.pk, overdue_draft.pk}
    assert pks("late=true") == {late.pk, overdue_draft.pk}
    assert pks("late=false") == {on_time.pk, current.pk}
    assert {r.pk for r in MonthlyReport.objects.all() if r.is_late} == {late.pk, overdue_draft.pk}
    assert pks("month=nonsense") == set()
    assert pks("sort=-village") == pks("sort=month")


def test_the_list_exports_what_it_shows(people, tree, en):
    make_report(people, tree, "v11", PAST_MONTH, ReportStatus.APPROVED)
    make_report(people, tree, "v21", PAST_MONTH, ReportStatus.SUBMITTED)
    response = en(people["gb1"]).get("/reports/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("month", "general branch", "village branch", "status")
    assert [row[2] for row in rows[1:]] == [tree.v11.name]
    assert AuditEvent.objects.filter(action="export", actor=people["gb1"]).exists()


def test_the_reviewers_filter_shows_what_waits_for_them(people, tree, en):
    waiting = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.SUBMITTED)
    checked = make_report(people, tree, "v12", THIS_MONTH, ReportStatus.CHECKED)

    dep = en(people["dep1"]).get("/reports/?waiting=me")
    gb = en(people["gb1"]).get("/reports/?waiting=me")

    assert [r.pk for r in dep.context["object_list"]] == [waiting.pk]
    assert [r.pk for r in gb.context["object_list"]] == [checked.pk]


def test_the_list_invites_the_secretary_to_write_missing_reports(people, tree, en):
    make_report(people, tree, "v11", LAST_MONTH, ReportStatus.SUBMITTED)
    prompts = en(people["sec"]["v11"]).get("/reports/").context["prompts"]
    assert [(p["month"], p["report"]) for p in prompts] == [(THIS_MONTH, None)]
    assert en(people["gb1"]).get("/reports/").context["prompts"] == []


# --- 4. completeness ----------------------------------------------------------------------------------------------


@pytest.fixture
def month_data(people, tree):
    """PAST_MONTH: v11 approved on time, v12 submitted late, v21 returned (on time), v22 missing; v11 held every
    meeting of 三会一课, v12 only its branch committee, v21 all monthly ones but no lecture; a reviewed meeting counts,
    a planned one does not."""
    on_time, late = due(PAST_MONTH), due(PAST_MONTH) + datetime.timedelta(days=2)
    make_report(people, tree, "v11", PAST_MONTH, ReportStatus.APPROVED, submitted_on=on_time)
    make_report(people, tree, "v12", PAST_MONTH, ReportStatus.SUBMITTED, submitted_on=late)
    make_report(people, tree, "v21", PAST_MONTH, ReportStatus.RETURNED, submitted_on=PAST_MONTH)
    actor = people["town"]
    for kind in MeetingKind.values[:5]:
        hold(tree.v11, kind, PAST_MONTH, actor)
    hold(tree.v12, MeetingKind.BRANCH_COMMITTEE, PAST_MONTH, actor)
    for kind in (MeetingKind.BRANCH_COMMITTEE, MeetingKind.PARTY_GROUP, MeetingKind.THEMED_DAY):
        hold(tree.v21, kind, PAST_MONTH, actor)
    quarter_start = datetime.date(PAST_MONTH.year, (PAST_MONTH.month - 1) // 3 * 3 + 1, 1)
    hold(tree.v21, MeetingKind.BRANCH_ASSEMBLY, quarter_start, actor)
    meeting = hold(tree.v22, MeetingKind.BRANCH_COMMITTEE, PAST_MONTH, actor)
    services.meeting_review(actor=people["gb2"], meeting=meeting, comment="好")
    services.meeting_plan(
        actor=actor, organization=tree.v22, kind=MeetingKind.PARTY_GROUP, title="planned", planned_for=PAST_MONTH
    )
    return PAST_MONTH


def expected_completeness(villages, month):
    """The completeness figures computed here, from the rows, without the selector."""
    quarter_first = datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    quarter_last = shift(quarter_first, 3) - datetime.timedelta(days=1)
    month_last = shift(month, 1) - datetime.timedelta(days=1)
    rows = {}
    for village in villages:
        report = MonthlyReport.objects.filter(village=village, month=month).first()
        held = Meeting.objects.filter(organization=village, status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED])
        in_month = {m.kind for m in held.filter(held_on__gte=month, held_on__lte=month_last)}
        in_quarter = {m.kind for m in held.filter(held_on__gte=quarter_first, held_on__lte=quarter_last)}
        submitted = report is not None and report.first_submitted_at is not None
        late_submission = submitted and timezone.localdate(report.first_submitted_at) > due(month)
        flags = {
            "committee": MeetingKind.BRANCH_COMMITTEE in in_month,
            "party_group": MeetingKind.PARTY_GROUP in in_month,
            "themed_day": MeetingKind.THEMED_DAY in in_month,
            "assembly_quarter": MeetingKind.BRANCH_ASSEMBLY in in_quarter,
            "lecture_quarter": MeetingKind.PARTY_LECTURE in in_quarter,
        }
        rows[village.name] = {
            "general_branch": village.parent.name,
            "status": report.status if report else "missing",
            "submitted": submitted,
            "on_time": submitted and not late_submission,
            "late": late_submission or (not submitted and TODAY > due(month)),
            "meetings": flags,
            "complete": all(flags.values()),
        }
    return rows


def summarize(rows) -> dict:
    values = list(rows)
    return {
        "villages": len(values),
        "submitted": sum(r["submitted"] for r in values),
        "on_time": sum(r["on_time"] for r in values),
        "late": sum(r["late"] for r in values),
        "missing": sum(not r["submitted"] for r in values),
        "returned": sum(r["status"] == "returned" for r in values),
        "approved": sum(r["status"] == "approved" for r in values),
        "meetings_complete": sum(r["complete"] for r in values),
    }


def shown_rows(data) -> dict:
    return {
        row.village.name: {
            "general_branch": row.general_branch.name,
            "status": row.status,
            "submitted": row.submitted,
            "on_time": row.on_time,
            "late": row.late,
            "meetings": row.meetings,
            "complete": row.meetings_complete,
        }
        for row in data.rows
    }


def summary_of(group) -> dict:
    return {key: value for key, _label, value in group.figures}


@pytest.mark.parametrize(("who", "keys"), [("town", ["v11", "v12", "v21", "v22"]), ("gb1", ["v11", "v12"])])
def test_completeness_matches_an_independent_computation(people, tree, en, month_data, who, keys):
    villages = [getattr(tree, key) for key in keys]
    expected = expected_completeness(villages, month_data)

    response = en(people[who]).get(f"/reports/completeness/?month={month_data:%Y-%m}")

    assert response.status_code == 200
    data = response.context["data"]
    assert shown_rows(data) == expected
    assert summary_of(data.total) == summarize(expected.values())
    for group in data.branches:
        in_group = [r for r in expected.values() if r["general_branch"] == group.label]
        assert summary_of(group) == summarize(in_group)
    assert [g.label for g in data.branches] == sorted({r["general_branch"] for r in expected.values()})
    # The concrete figures of the scenario, so that the independent computation cannot drift with the code.
    assert expected[tree.v11.name]["on_time"] and expected[tree.v11.name]["complete"]
    assert expected[tree.v12.name]["late"] and not expected[tree.v12.name]["complete"]
    if who == "town":
        assert summarize(expected.values()) == {
            "villages": 4,
            "submitted": 3,
            "on_time": 2,
            "late": 2,
            "missing": 1,
            "returned": 1,
            "approved": 1,
            "meetings_complete": 1,
        }
        assert expected[tree.v22.name]["meetings"]["committee"]  # a reviewed meeting counts
        assert not expected[tree.v22.name]["meetings"]["party_group"]  # a planned one does not
        assert expected[tree.v21.name]["meetings"]["assembly_quarter"]


def test_completeness_for_one_general_branch_chosen_by_the_town(people, tree, en, month_data):
    response = en(people["town"]).get(f"/reports/completeness/?month={month_data:%Y-%m}&branch={tree.g2.pk}")
    data = response.context["data"]
    assert shown_rows(data) == expected_completeness([tree.v21, tree.v22], month_data)
    # A general branch out of scope is not a choice.
    response = en(people["gb1"]).get(f"/reports/completeness/?month={month_data:%Y-%m}&branch={tree.g2.pk}")
    assert response.status_code == 200 and response.context["form"].errors
    assert {r.village.name for r in response.context["data"].rows} == {tree.v11.name, tree.v12.name}


def test_completeness_defaults_to_the_previous_month_and_survives_bad_input(people, en):
    town = en(people["town"])
    assert town.get("/reports/completeness/").context["data"].month == LAST_MONTH
    response = town.get("/reports/completeness/?month=2026-99&branch=abc")
    assert response.status_code == 200 and response.context["data"].month == LAST_MONTH
    assert "YYYY-MM" in page(response)
    for month in (shift(THIS_MONTH, 1), datetime.date(1999, 12, 1), datetime.date(9999, 12, 1)):
        response = town.get(f"/reports/completeness/?month={month:%Y-%m}")
        assert response.status_code == 200 and response.context["data"].month == LAST_MONTH
        assert response.context["form"].errors["month"]


@pytest.mark.parametrize(("who", "keys"), [("town", ["v11", "v12", "v21", "v22"]), ("gb1", ["v11", "v12"])])
def test_the_completeness_export_holds_the_same_figures(people, tree, en, month_data, who, keys):
    expected = expected_completeness([getattr(tree, key) for key in keys], month_data)

    response = en(people[who]).get(f"/reports/completeness/?month={month_data:%Y-%m}&export=xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    villages, summary = book.worksheets
    header, *rows = list(villages.iter_rows(values_only=True))
    assert header[:4] == ("month", "general branch", "village branch", "report status")
    yes = {"yes": True, "no": False}
    statuses = {"missing": "missing", **{s.label: s.value for s in ReportStatus}}
    got = {
        row[2]: {
            "general_branch": row[1],
            "status": statuses[row[3]],
            "submitted": row[4] is not None,
            "on_time": yes[row[5]],
            "late": yes[row[6]],
            "meetings": dict(
                zip(
                    ["committee", "party_group", "themed_day", "assembly_quarter", "lecture_quarter"],
                    [yes[v] for v in row[7:12]],
                    strict=True,
                )
            ),
            "complete": yes[row[12]],
        }
        for row in rows
    }
    assert got == expected
    assert all(row[0] == f"{month_data:%Y-%m}" for row in rows)
    header, *groups = list(summary.iter_rows(values_only=True))
    assert header[2:] == (
        "villages",
        "submitted",
        "on time",
        "late",
        "not submitted",
        "returned",
        "approved",
        "meetings complete",
    )
    keys_in_order = ["villages", "submitted", "on_time", "late", "missing", "returned", "approved", "meetings_complete"]
    by_label = {row[1]: dict(zip(keys_in_order, row[2:], strict=True)) for row in groups}
    assert by_label.pop("Total") == summarize(expected.values())
    for label, figures in by_label.items():
        assert figures == summarize([r for r in expected.values() if r["general_branch"] == label])
    assert AuditEvent.objects.filter(action="export", detail__list="report-completeness").exists()


def test_the_completeness_selector_agrees_with_the_page(people, tree, month_data):
    data = selectors.report_completeness(people["gb1"], month_data, within=tree.g1)
    assert shown_rows(data) == expected_completeness([tree.v11, tree.v12], month_data)


# --- the meeting pack --------------------------------------------------------------------------------------------------


def test_the_meeting_pack_holds_the_agenda_the_reports_and_the_tasks(people, tree, en):
    make_report(
        people,
        tree,
        "v11",
        LAST_MONTH,
        ReportStatus.SUBMITTED,
        problems="道路破损\n经费不足",
        requests="请拨付维修经费",
    )
    make_report(people, tree, "v21", LAST_MONTH, ReportStatus.SUBMITTED, problems="别的总支的问题")
    task = services.task_deploy(
        actor=people["town"],
        issued_by=tree.town,
        title="秋季防火检查",
        due_date=TODAY,
        assignees=[tree.g1, tree.v11, tree.v21],
    )
    done_task = services.task_deploy(
        actor=people["town"], issued_by=tree.town, title="已完成的任务", due_date=TODAY, assignees=[tree.v12]
    )
    TaskAssignment.objects.filter(task=done_task).update(status=TaskAssignmentStatus.DONE)
    meeting = services.meeting_plan(
        actor=people["gb1"], organization=tree.g1, kind=MeetingKind.WORK_MEETING, title="工作例会", planned_for=TODAY
    )
    services.meeting_set_agenda(
        actor=people["gb1"],
        meeting=meeting,
        items=[
            services.AgendaLine(title="部署防火检查", task=task),
            services.AgendaLine(title="东庄村道路问题", village=tree.v11),
        ],
    )

    response = en(people["gb1"]).get(f"/reports/pack/{meeting.pk}/")

    assert response.status_code == 200
    text = page(response)
    for expected in (
        "部署防火检查",
        "东庄村道路问题",
        tree.g1.name,
        "道路破损",
        "经费不足",
        "请拨付维修经费",
        "秋季防火检查",
    ):
        assert expected in text
    assert "别的总支的问题" not in text and "已完成的任务" not in text and tree.v21.name not in text
    assert text.count("pack-village page-break") == 2  # one page per village of the branch
    assert "No report has been written for this month." in text  # v12
    assert response.context["month"] == shift(TODAY.replace(day=1), -1)
    [entry] = response.context["tasks"]
    assert [a.assignee for a in entry["assignments"]] == [tree.g1, tree.v11]
    assert f'href="{task.get_absolute_url()}"' in text


# --- the API -------------------------------------------------------------------------------------------------------------


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


def test_the_api_saves_with_the_version_and_refuses_stale_or_foreign_fields(people, tree, en):
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


# --- to-do items ------------------------------------------------------------------------------------------------------------


def test_todos_for_each_persona(people, tree):
    returned = make_report(people, tree, "v11", PAST_MONTH, ReportStatus.RETURNED)
    submitted_v12 = make_report(people, tree, "v12", LAST_MONTH, ReportStatus.SUBMITTED)
    checked_v11 = make_report(people, tree, "v11", shift(THIS_MONTH, -3), ReportStatus.CHECKED)
    submitted_v21 = make_report(people, tree, "v21", LAST_MONTH, ReportStatus.SUBMITTED)
    draft_v22 = make_report(people, tree, "v22", LAST_MONTH, ReportStatus.DRAFT)

    v11 = report_todos(people["sec"]["v11"], today=TODAY.replace(day=10))
    assert [item["url"] for item in v11] == [
        f"/reports/write/?village={tree.v11.pk}&month={LAST_MONTH:%Y-%m}",
        returned.get_absolute_url(),
    ]
    v22 = report_todos(people["sec"]["v22"], today=TODAY.replace(day=25))
    assert [item["url"] for item in v22] == [
        f"/reports/{draft_v22.pk}/edit/",
        f"/reports/write/?village={tree.v22.pk}&month={THIS_MONTH:%Y-%m}",
    ]
    assert [i["url"] for i in report_todos(people["dep1"])] == [submitted_v12.get_absolute_url()]
    assert [i["url"] for i in report_todos(people["gb1"])] == [checked_v11.get_absolute_url()]
    assert [i["url"] for i in report_todos(people["gb2"])] == [submitted_v21.get_absolute_url()]
    assert report_todos(people["town"]) == []
    assert all({"label", "url", "badge", "badge_class"} <= set(i) for i in v11 + v22)


# --- 6. query counts -------------------------------------------------------------------------------------------------------


def grow(people, tree, count: int, tag: str):
    """`count` more villages in g1, each with a member, a held meeting and last month's report (submitted, with
    history), and a task assigned to each."""
    villages = [
        OrganizationFactory(kind=OrgKind.VILLAGE, name=f"{tag}村{i:02d}", code=f"{tag}{i:03d}", parent=tree.g1)
        for i in range(count)
    ]
    tree.g1.refresh_from_db()
    tree.town.refresh_from_db()
    cadre = type(people["town"]).objects.get(pk=people["town"].pk)  # positions (and their tree ranges) read afresh
    task = services.task_deploy(
        actor=cadre, issued_by=tree.town, title=f"任务{tag}", due_date=TODAY, assignees=villages
    )
    for village in villages:
        village.refresh_from_db()
        make_members(village, 2, prefix=tag)
        secretary = UserFactory(username=f"sec-{tag}-{village.pk}")
        PositionFactory(user=secretary, organization=village, role=Role.VILLAGE_SECRETARY)
        hold(village, MeetingKind.BRANCH_COMMITTEE, LAST_MONTH, cadre)
        report = write(village, secretary, LAST_MONTH, problems="问题")
        services.report_submit(actor=secretary, report=report)
    return task


def count(client, path):
    client.get(path)  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_pages_and_api_lists_keep_their_query_count_as_villages_grow(people, tree, en):
    meeting = services.meeting_plan(
        actor=people["gb1"], organization=tree.g1, kind=MeetingKind.WORK_MEETING, title="例会", planned_for=TODAY
    )
    grow(people, tree, 3, "A")
    paths = [
        "/reports/",
        f"/reports/?month={LAST_MONTH:%Y-%m}&late=false&waiting=me",
        "/reports/?export=xlsx",
        f"/reports/completeness/?month={LAST_MONTH:%Y-%m}",
        f"/reports/completeness/?month={LAST_MONTH:%Y-%m}&export=xlsx",
        f"/reports/pack/{meeting.pk}/",
        "/api/reports/",
    ]
    clients = {"town": en(people["town"]), "gb1": en(people["gb1"])}
    small = {(who, path): count(c, path) for who, c in clients.items() for path in paths}
    small_todos = todo_queries(people["gb1"])

    grow(people, tree, 27, "B")
    large = {(who, path): count(c, path) for who, c in clients.items() for path in paths}

    assert large == small
    assert todo_queries(people["gb1"]) == small_todos
    assert MonthlyReport.objects.filter(month=LAST_MONTH).count() == 30


def todo_queries(user):
    user = type(user).objects.get(pk=user.pk)  # a fresh user: positions are read again
    with CaptureQueriesContext(connection) as queries:
        items = report_todos(user)
    assert items
    return len(queries)


def test_the_detail_page_keeps_its_query_count_as_history_grows(people, tree, en):
    report = make_report(people, tree, "v11", THIS_MONTH, ReportStatus.RETURNED)
    small = count(en(people["gb1"]), f"/reports/{report.pk}/")
    for _ in range(5):
        services.report_submit(actor=people["sec"]["v11"], report=report)
        report = services.report_return(actor=people["dep1"], report=report, reason="再改")
    assert count(en(people["gb1"]), f"/reports/{report.pk}/") == small


# --- concurrency on PostgreSQL --------------------------------------------------------------------------------------------


def run_together(*calls):
    """Run the calls in threads released at the same moment; return their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # collected for the assertion
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_and_submits_on_postgresql(people, tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with real concurrent transactions")
    secretary = people["sec"]["v11"]

    started = run_together(
        *[lambda: services.report_start(actor=secretary, village=tree.v11, month=THIS_MONTH) for _ in range(4)]
    )
    assert len({r.pk for r in started}) == 1
    report = MonthlyReport.objects.get(village=tree.v11, month=THIS_MONTH)
    report = services.report_save(
        actor=secretary, report=report, version=report.version, narrative="x", problems="", requests=""
    )

    submitted = run_together(*[lambda: services.report_submit(actor=secretary, report=report) for _ in range(4)])
    assert all(isinstance(r, MonthlyReport) for r in submitted)
    assert ReportTransition.objects.filter(report=report, to_status="submitted").count() == 1


def test_meeting_counts_use_held_meetings_only(people, tree):
    # The figures count held and reviewed meetings of the month, not planned ones or other months.
    hold(tree.v11, MeetingKind.PARTY_GROUP, THIS_MONTH, people["town"])
    hold(tree.v11, MeetingKind.PARTY_GROUP, LAST_MONTH, people["town"])
    services.meeting_plan(
        actor=people["town"], organization=tree.v11, kind=MeetingKind.PARTY_GROUP, title="p", planned_for=THIS_MONTH
    )
    counts = dict(
        Meeting.objects.filter(organization=tree.v11, held_on__gte=THIS_MONTH)
        .values_list("kind")
        .annotate(n=Count("id", filter=Q(status__in=["held", "reviewed"])))
    )
    assert services.report_figures(tree.v11, THIS_MONTH)["meetings"] == {k: n for k, n in counts.items() if n}
