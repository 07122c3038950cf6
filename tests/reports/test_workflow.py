"""The monthly report's workflow (issue 3, "Done when" 1), as a village secretary, the liaison deputy and the
general-branch secretary do it: writing, figures computed from the meetings held, returning with a reason, the first
review and the approval, each step in the history and the audit trail."""

import datetime

from django.db.models import Count, Q

from anding.models import AuditEvent
from branches import actions
from branches.choices import MeetingKind, ReportStatus
from branches.models import Meeting, MonthlyReport, PartyMember, RecruitmentCase, case_models
from services.models import HouseholdVisit, ServiceRecord

from ..factories import whole_village_group
from .conftest import LAST_MONTH, THIS_MONTH, hold, make_report, page, shift, write


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
        .exclude(action__startswith="history_")  # the report's field history (tests/test_history.py)
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
    powers = {}
    for code, model in case_models().items():
        cases = list(model.objects.filter(village=village))
        powers[code] = {
            "opened": sum(first <= c.opened_on <= last for c in cases),
            "closed": sum(c.closed_on is not None and first <= c.closed_on <= last for c in cases),
        }
    recruits = {}  # the recruitment's cases by stage (issue 9), ended ones left out
    for case in RecruitmentCase.objects.filter(village=village, opened_on__lte=last):
        if case.stage not in ("withdrawn", "cancelled"):
            recruits[case.stage] = recruits.get(case.stage, 0) + 1
    return {
        "meetings": meetings,
        "attendance": {"present": present, "total": total},
        "members": members,
        "powers": powers,
        "recruits": recruits,
        # The services app lends its figure through the registry: the village's villagers served in the month.
        "service_records": sum(
            first <= r.session.date <= last
            for r in ServiceRecord.objects.filter(village=village).select_related("session")
        ),
        # ... and household visits: the visits made to the village's households in the month.
        "household_visits": sum(
            first <= v.date <= last for v in HouseholdVisit.objects.filter(household__village=village)
        ),
    }


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


def test_meeting_counts_use_held_meetings_only(people, tree):
    # The figures count held and reviewed meetings of the month, not planned ones or other months.
    hold(tree.v11, MeetingKind.PARTY_GROUP, THIS_MONTH, people["town"])
    hold(tree.v11, MeetingKind.PARTY_GROUP, LAST_MONTH, people["town"])
    actions.meeting_plan(
        actor=people["town"],
        organization=tree.v11,
        kind=MeetingKind.PARTY_GROUP,
        title="p",
        planned_for=THIS_MONTH,
        party_group=whole_village_group(tree.v11),
    )
    counts = dict(
        Meeting.objects.filter(organization=tree.v11, held_on__gte=THIS_MONTH)
        .values_list("kind")
        .annotate(n=Count("id", filter=Q(status__in=["held", "reviewed"])))
    )
    assert actions.report_figures(tree.v11, THIS_MONTH)["meetings"] == {k: n for k, n in counts.items() if n}
