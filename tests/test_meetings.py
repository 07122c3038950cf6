"""Meetings: planned → held (minutes, attendance) → reviewed by the level above; pages, API, admin, overview.

The tree and personas come from conftest: g1 (v11 东庄, v12 西庄) and g2 (v21 南营, v22 北营) under the town;
`village_secretary` is v11's, `gb_secretary` g1's, `gb2_secretary` g2's, `deputy` g1's deputy (sees, no change).
"""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from anding.models import AuditEvent
from branches import selectors, services
from branches.choices import MeetingKind, MeetingStatus, Role
from branches.models import AgendaItem, Meeting, MeetingAttendance, Task, TaskAssignment

from .factories import PositionFactory, UserFactory, make_members

STALE_TEXT = "Someone else saved this record after you opened it."


# ---------------------------------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read English messages: pages answer in English when the browser asks for nothing."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


def plan(actor, org, kind=MeetingKind.BRANCH_COMMITTEE, planned_for=None, title="支委会"):
    return services.meeting_plan(
        actor=actor, organization=org, kind=kind, title=title, planned_for=planned_for or today()
    )


def people_of(meeting):
    return selectors.meeting_attendees(meeting)


def record(actor, meeting, held_on=None, absent=None):
    """Record a meeting through the service with everyone present except `absent` ({key: reason})."""
    absent = absent or {}
    lines = [
        services.AttendanceLine(
            member=p["member"], user=p["user"], present=p["key"] not in absent, absence_reason=absent.get(p["key"], "")
        )
        for p in people_of(meeting)
    ]
    return services.meeting_record(
        actor=actor,
        meeting=meeting,
        version=meeting.version,
        held_on=held_on or today(),
        attendance=lines,
        place="村委会",
        host="主持人",
        recorder="记录人",
    )


def record_form(meeting, *, absent=None, **overrides):
    """What a browser posts from the record page: everyone present except `absent` ({key: reason})."""
    absent = absent or {}
    data = {
        "title": meeting.title,
        "held_on": today().isoformat(),
        "place": "村委会会议室",
        "host": "张书记",
        "recorder": "李委员",
        "observers": "",
        "topics": "学习",
        "minutes": "讨论情况",
        "decisions": "举手表决，全票通过",
        "version": str(meeting.version),
    }
    for p in people_of(meeting):
        if p["key"] in absent:
            data[f"reason_{p['key']}"] = absent[p["key"]]
        else:
            data[f"present_{p['key']}"] = "on"
    data.update(overrides)
    return data


def errors_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def v11_meeting(tree, village_secretary):
    return plan(village_secretary, tree.v11)


@pytest.fixture
def v11_held(tree, village_secretary):
    meeting = plan(village_secretary, tree.v11)
    return record(village_secretary, meeting)


@pytest.fixture
def g1_work_meeting(tree, gb_secretary):
    return plan(gb_secretary, tree.g1, kind=MeetingKind.WORK_MEETING, title="十一月工作例会")


# ----------------------------------------------------------------------------------------- access to the pages

PAGES = ["list", "add", "detail", "record", "review", "agenda", "export"]


def page(name, meeting=None):
    if name == "list":
        return "/meetings/"
    if name == "add":
        return "/meetings/add/"
    if name == "export":
        return "/meetings/?export=xlsx"
    if name == "detail":
        return f"/meetings/{meeting.pk}/"
    return f"/meetings/{meeting.pk}/{name}/"


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page(client, g1_work_meeting, name):
    path = page(name, g1_work_meeting)

    response = client.get(path)

    assert response.status_code == 302
    assert urlsplit(response.url).path == "/accounts/login/"


def test_anonymous_post_saves_nothing(client, v11_meeting):
    response = client.post(page("record", v11_meeting), record_form(v11_meeting))

    assert response.status_code == 302
    v11_meeting.refresh_from_db()
    assert v11_meeting.status == MeetingStatus.PLANNED


ACCESS = [
    # (persona, meeting fixture, page, status)
    ("village_secretary", "v11_meeting", "detail", 200),
    ("village_secretary", "v11_meeting", "record", 200),
    ("village_secretary", "v11_held", "review", 403),  # cannot review its own meeting
    ("village_secretary", "g1_work_meeting", "detail", 404),  # the general branch is above its scope
    ("gb_secretary", "v11_meeting", "detail", 200),
    ("gb_secretary", "v11_meeting", "record", 200),
    ("gb_secretary", "v11_held", "review", 200),
    ("gb_secretary", "g1_work_meeting", "agenda", 200),
    ("gb_secretary", "g1_work_meeting", "record", 200),
    ("gb2_secretary", "v11_meeting", "detail", 404),  # a sibling general branch
    ("gb2_secretary", "v11_meeting", "record", 404),
    ("gb2_secretary", "v11_held", "review", 404),
    ("gb2_secretary", "g1_work_meeting", "agenda", 404),
    ("deputy", "v11_meeting", "detail", 200),
    ("deputy", "v11_meeting", "record", 403),  # a deputy sees but does not record
    ("deputy", "g1_work_meeting", "agenda", 403),
    ("town_cadre", "g1_work_meeting", "detail", 200),
    ("town_cadre", "v11_held", "review", 200),
    ("dept_staff", "v11_meeting", "detail", 404),
    ("outsider", "v11_meeting", "detail", 404),
]


@pytest.mark.parametrize(("persona", "fixture", "name", "status"), ACCESS)
def test_page_access(request, client_as, persona, fixture, name, status):
    meeting = request.getfixturevalue(fixture)

    response = client_as(request.getfixturevalue(persona)).get(page(name, meeting))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("town_cadre", 200), ("gb_secretary", 200), ("village_secretary", 200), ("deputy", 403), ("outsider", 403)],
)
def test_plan_page_needs_a_role_that_records_meetings(request, client_as, tree, persona, status):
    response = client_as(request.getfixturevalue(persona)).get("/meetings/add/")

    assert response.status_code == status


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary", "deputy", "outsider"])
def test_list_and_export_open_for_every_logged_in_user(request, client_as, v11_meeting, persona):
    client = client_as(request.getfixturevalue(persona))

    assert client.get("/meetings/").status_code == 200
    export = client.get("/meetings/?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_shows_only_meetings_in_scope(client_as, tree, village_secretary, gb2_secretary, v11_meeting):
    plan(gb2_secretary, tree.v21, title="南营支委会")

    html = client_as(village_secretary).get("/meetings/").content.decode()

    assert v11_meeting.title in html
    assert "南营支委会" not in html


def test_a_planned_meeting_whose_day_has_passed_is_marked_overdue(client_as, tree, village_secretary):
    plan(village_secretary, tree.v11, planned_for=today() - datetime.timedelta(days=3), title="过期支委会")
    plan(village_secretary, tree.v11, planned_for=today() + datetime.timedelta(days=3), title="下周支委会")

    html = client_as(village_secretary).get("/meetings/").content.decode()
    overdue_only = client_as(village_secretary).get("/meetings/?overdue=on").content.decode()

    assert html.count("Overdue: not recorded") == 1
    assert "过期支委会" in overdue_only
    assert "下周支委会" not in overdue_only


def test_list_filters_by_kind_month_and_organization(client_as, tree, gb_secretary, village_secretary):
    last_month = selectors.month_range(today())[0] - datetime.timedelta(days=1)
    plan(village_secretary, tree.v11, title="东庄本月支委会")
    plan(village_secretary, tree.v11, kind=MeetingKind.THEMED_DAY, title="东庄主题党日")
    plan(gb_secretary, tree.v12, planned_for=last_month, title="西庄上月支委会")
    client = client_as(gb_secretary)

    by_kind = client.get("/meetings/?kind=themed_day").content.decode()
    by_month = client.get(f"/meetings/?month={last_month:%Y-%m}").content.decode()
    by_org = client.get(f"/meetings/?organization={tree.v12.pk}").content.decode()
    bad_month = client.get("/meetings/?month=2026-13")

    assert "东庄主题党日" in by_kind and "东庄本月支委会" not in by_kind
    assert "西庄上月支委会" in by_month and "东庄本月支委会" not in by_month
    assert "西庄上月支委会" in by_org and "东庄" not in by_org.split("<table", 1)[-1]
    assert bad_month.status_code == 200
    assert "YYYY-MM" in bad_month.content.decode()


# ------------------------------------------------------------------------------------------ the whole workflow


def test_plan_record_review_as_the_right_people(client_as, tree, village_secretary, gb_secretary):
    vs, gb = client_as(village_secretary), client_as(gb_secretary)
    members = tree.members["v11"]

    # The village secretary plans the meeting.
    response = vs.post(
        "/meetings/add/",
        {
            "organization": tree.v11.pk,
            "kind": MeetingKind.BRANCH_COMMITTEE,
            "title": "十一月支委会",
            "planned_for": today().isoformat(),
            "topics": "学习\n部署",
        },
    )
    meeting = Meeting.objects.get(title="十一月支委会")
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert meeting.status == MeetingStatus.PLANNED and meeting.general_branch == tree.g1

    # ... records it as held, one member absent with a reason.
    page_html = vs.get(page("record", meeting)).content.decode()
    for m in members:
        assert f'name="present_m{m.pk}"' in page_html
    response = vs.post(page("record", meeting), record_form(meeting, absent={f"m{members[0].pk}": "外出务工"}))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.place == "村委会会议室"
    lines = {a.member_id: a for a in meeting.attendance.all()}
    assert set(lines) == {m.pk for m in members}
    assert not lines[members[0].pk].present and lines[members[0].pk].absence_reason == "外出务工"
    detail = vs.get(meeting.get_absolute_url()).content.decode()
    assert "外出务工" in detail and "举手表决" in detail
    assert f"/meetings/{meeting.pk}/review/" not in detail  # no review button for the village secretary

    # ... the general-branch secretary sees the review button and reviews it.
    assert f"/meetings/{meeting.pk}/review/" in gb.get(meeting.get_absolute_url()).content.decode()
    response = gb.post(page("review", meeting), {"review_comment": "记录完整"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.REVIEWED
    assert meeting.review_comment == "记录完整" and meeting.reviewed_by == gb_secretary
    actions = set(AuditEvent.objects.filter(object_id=str(meeting.pk)).values_list("action", flat=True))
    assert {"meeting_plan", "meeting_record", "meeting_review"} <= actions

    # A reviewed meeting can no longer be recorded: back to the minutes with a message.
    response = vs.get(page("record", meeting))
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()


def test_village_secretary_cannot_review(client_as, village_secretary, v11_held):
    client = client_as(village_secretary)

    response = client.post(page("review", v11_held), {"review_comment": "自己审自己"})

    assert response.status_code == 403
    v11_held.refresh_from_db()
    assert v11_held.status == MeetingStatus.HELD
    with pytest.raises(PermissionDenied):
        services.meeting_review(actor=village_secretary, meeting=v11_held, comment="x")


def test_sibling_general_branch_secretary_gets_404(client_as, gb2_secretary, v11_held):
    client = client_as(gb2_secretary)

    assert client.get(page("detail", v11_held)).status_code == 404
    assert client.post(page("review", v11_held), {"review_comment": "越界"}).status_code == 404
    assert client.post(page("record", v11_held), record_form(v11_held)).status_code == 404
    v11_held.refresh_from_db()
    assert v11_held.status == MeetingStatus.HELD


def test_review_needs_a_comment(client_as, gb_secretary, v11_held):
    response = client_as(gb_secretary).post(page("review", v11_held), {"review_comment": "   "})

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    v11_held.refresh_from_db()
    assert v11_held.status == MeetingStatus.HELD


# ------------------------------------------------------------------------------------------------- bad input


def test_a_held_date_in_the_future_is_refused(client_as, village_secretary, v11_meeting):
    tomorrow = today() + datetime.timedelta(days=1)

    response = client_as(village_secretary).post(
        page("record", v11_meeting), record_form(v11_meeting, held_on=tomorrow.isoformat(), place="未来会议室")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be recorded as held on a date in the future" in html
    assert 'value="未来会议室"' in html  # the user's input is kept
    v11_meeting.refresh_from_db()
    assert v11_meeting.status == MeetingStatus.PLANNED and v11_meeting.held_on is None
    assert not MeetingAttendance.objects.filter(meeting=v11_meeting).exists()


def test_attendance_for_a_member_of_another_branch_is_refused(client_as, tree, village_secretary, v11_meeting):
    stranger = tree.members["v12"][0]
    data = record_form(v11_meeting, **{f"present_m{stranger.pk}": "on"})

    response = client_as(village_secretary).post(page("record", v11_meeting), data)

    assert response.status_code == 200
    assert "not on this meeting&#x27;s list" in response.content.decode()
    assert stranger.name not in response.content.decode()
    v11_meeting.refresh_from_db()
    assert v11_meeting.status == MeetingStatus.PLANNED
    assert not MeetingAttendance.objects.exists()


def test_the_service_refuses_a_member_of_another_branch(tree, village_secretary, v11_meeting):
    stranger = tree.members["v12"][0]

    with pytest.raises(ValidationError) as caught:
        services.meeting_record(
            actor=village_secretary,
            meeting=v11_meeting,
            version=v11_meeting.version,
            held_on=today(),
            attendance=[services.AttendanceLine(member=stranger)],
        )

    assert "attendance" in caught.value.message_dict
    assert not MeetingAttendance.objects.exists()


def test_an_absence_without_a_reason_is_refused(client_as, tree, village_secretary, v11_meeting):
    absent = tree.members["v11"][1]
    data = record_form(v11_meeting, absent={f"m{absent.pk}": "  "})

    response = client_as(village_secretary).post(page("record", v11_meeting), data)

    assert response.status_code == 200
    assert f"Give the reason why {absent.name} was absent." in response.content.decode()
    v11_meeting.refresh_from_db()
    assert v11_meeting.status == MeetingStatus.PLANNED
    assert not MeetingAttendance.objects.exists()


def test_a_stale_save_shows_the_conflict_and_keeps_the_input(client_as, tree, village_secretary, gb_secretary):
    meeting = plan(village_secretary, tree.v11)
    first = record_form(meeting, place="第一次保存")
    second = record_form(meeting, place="第二次保存")  # read from the same version
    assert client_as(gb_secretary).post(page("record", meeting), first).status_code == 302

    response = client_as(village_secretary).post(page("record", meeting), second)

    assert response.status_code == 200
    html = response.content.decode()
    assert STALE_TEXT in html
    assert 'value="第二次保存"' in html
    meeting.refresh_from_db()
    assert meeting.place == "第一次保存" and meeting.version == 2


def test_plan_refuses_a_kind_the_organization_does_not_hold(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).post(
        "/meetings/add/",
        {"organization": tree.v11.pk, "kind": MeetingKind.WORK_MEETING, "title": "例会", "planned_for": "2026-01-05"},
    )

    assert response.status_code == 200
    assert "does not hold a" in response.content.decode()
    assert not Meeting.objects.exists()


def test_plan_refuses_an_organization_outside_the_change_scope(client_as, tree, village_secretary):
    response = client_as(village_secretary).post(
        "/meetings/add/",
        {"organization": tree.v12.pk, "kind": MeetingKind.BRANCH_COMMITTEE, "title": "x", "planned_for": "2026-01-05"},
    )

    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_plan_form_prefills_the_organization_kind_and_title(client_as, tree, village_secretary):
    html = client_as(village_secretary).get(f"/meetings/add/?organization={tree.v11.pk}&kind=themed_day").content
    html = html.decode()

    assert f'<option value="{tree.v11.pk}" selected>' in html
    assert 'value="work_meeting"' not in html  # only the kinds a village holds
    assert 'name="title" value="' in html


# ------------------------------------------------------------------------- officers' meetings and the agenda


def test_work_meeting_attendance_lists_the_officers_of_the_general_branch(
    client_as, tree, gb_secretary, deputy, village_secretary, g1_work_meeting
):
    committee = UserFactory(username="委员甲")
    PositionFactory(user=committee, organization=tree.g1, role=Role.COMMITTEE_MEMBER)
    client = client_as(gb_secretary)

    html = client.get(page("record", g1_work_meeting)).content.decode()

    for officer in (gb_secretary, deputy, committee):
        assert f'name="present_u{officer.pk}"' in html
    data = record_form(g1_work_meeting, absent={f"u{deputy.pk}": "区里开会"})
    assert client.post(page("record", g1_work_meeting), data).status_code == 302
    lines = {a.user_id: a for a in MeetingAttendance.objects.filter(meeting=g1_work_meeting)}
    assert set(lines) == {gb_secretary.pk, deputy.pk, committee.pk}
    assert lines[deputy.pk].absence_reason == "区里开会"


def test_town_leadership_meeting_lists_the_town_cadres_and_is_reviewed_above_the_town(
    client_as, tree, town_cadre, dept_staff, gb_secretary
):
    meeting = plan(town_cadre, tree.town, kind=MeetingKind.LEADERSHIP, title="班子会")
    client = client_as(town_cadre)

    html = client.get(page("record", meeting)).content.decode()
    assert client.post(page("record", meeting), record_form(meeting)).status_code == 302

    assert f'name="present_u{town_cadre.pk}"' in html
    assert f'name="present_u{dept_staff.pk}"' not in html and f'name="present_u{gb_secretary.pk}"' not in html
    assert list(MeetingAttendance.objects.filter(meeting=meeting).values_list("user_id", flat=True)) == [town_cadre.pk]
    assert client.get(page("review", meeting)).status_code == 403  # the level above the town is the district


def test_agenda_links_tasks_and_villages_of_the_general_branch(
    client_as, tree, town_cadre, gb_secretary, g1_work_meeting
):
    task = Task.objects.create(
        title="秸秆禁烧", issued_by=tree.town, due_date=today() + datetime.timedelta(days=30), created_by=town_cadre
    )
    TaskAssignment.objects.create(task=task, assignee=tree.g1)
    other = Task.objects.create(
        title="第二总支的任务",
        issued_by=tree.town,
        due_date=today() + datetime.timedelta(days=30),
        created_by=town_cadre,
    )
    TaskAssignment.objects.create(task=other, assignee=tree.g2)
    client = client_as(gb_secretary)
    form_page = client.get(page("agenda", g1_work_meeting)).content.decode()
    assert "秸秆禁烧" in form_page and "第二总支的任务" not in form_page
    assert tree.v12.name in form_page and tree.v21.name not in form_page
    data = {
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "15",
        "agenda-0-title": "部署秸秆禁烧",
        "agenda-0-task": str(task.pk),
        "agenda-0-village": "",
        "agenda-0-outcome": "各村落实",
        "agenda-1-title": "西庄村务",
        "agenda-1-task": "",
        "agenda-1-village": str(tree.v12.pk),
        "agenda-1-outcome": "",
    }

    refused = client.post(page("agenda", g1_work_meeting), {**data, "agenda-0-task": str(other.pk)})
    saved = client.post(page("agenda", g1_work_meeting), data)

    assert refused.status_code == 200
    assert saved.status_code == 302
    items = list(AgendaItem.objects.filter(meeting=g1_work_meeting))
    assert [(i.order, i.title, i.task_id, i.village_id) for i in items] == [
        (1, "部署秸秆禁烧", task.pk, None),
        (2, "西庄村务", None, tree.v12.pk),
    ]
    detail = client.get(g1_work_meeting.get_absolute_url()).content.decode()
    assert task.get_absolute_url() in detail and tree.v12.get_absolute_url() in detail


def test_agenda_is_only_for_work_meetings(client_as, gb_secretary, v11_meeting):
    response = client_as(gb_secretary).get(page("agenda", v11_meeting))

    assert response.status_code == 302 and response.url == v11_meeting.get_absolute_url()


# -------------------------------------------------------------------------------------------- the overview


def _overview_rows(tree, village_secretary, gb_secretary, gb2_secretary):
    """Meetings that count and meetings that must not count, for this month and quarter."""
    first_of_month = selectors.month_range(today())[0]
    first_of_quarter = selectors.quarter_range(today())[0]
    last_month = first_of_month - datetime.timedelta(days=1)
    last_quarter = first_of_quarter - datetime.timedelta(days=1)
    record(village_secretary, plan(village_secretary, tree.v11))  # counts: committee, this month
    record(village_secretary, plan(village_secretary, tree.v11, kind=MeetingKind.THEMED_DAY))  # counts
    plan(gb_secretary, tree.v12)  # planned only: does not count
    record(gb_secretary, plan(gb_secretary, tree.v12, kind=MeetingKind.THEMED_DAY, planned_for=last_month), last_month)
    record(  # counts for the quarter (the first day of the quarter is never in the future)
        gb2_secretary,
        plan(gb2_secretary, tree.v21, kind=MeetingKind.BRANCH_ASSEMBLY, planned_for=first_of_quarter),
        first_of_quarter,
    )
    record(  # last quarter: does not count
        gb2_secretary,
        plan(gb2_secretary, tree.v22, kind=MeetingKind.PARTY_LECTURE, planned_for=last_quarter),
        last_quarter,
    )


def _expected(villages):
    """The overview computed independently, from the meeting rows themselves."""
    m_first, m_last = selectors.month_range(today())
    q_first, q_last = selectors.quarter_range(today())
    rows = list(Meeting.objects.filter(status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED]))

    def held(village, kind, first, last):
        return any(m.organization_id == village.pk and m.kind == kind and first <= m.held_on <= last for m in rows)

    return {
        v.name: (
            held(v, MeetingKind.BRANCH_COMMITTEE, m_first, m_last),
            held(v, MeetingKind.THEMED_DAY, m_first, m_last),
            held(v, MeetingKind.BRANCH_ASSEMBLY, q_first, q_last),
            held(v, MeetingKind.PARTY_LECTURE, q_first, q_last),
        )
        for v in villages
    }


def test_overview_figures_match_the_rows(
    django_assert_num_queries, tree, town_cadre, village_secretary, gb_secretary, gb2_secretary
):
    _overview_rows(tree, village_secretary, gb_secretary, gb2_secretary)

    with django_assert_num_queries(2):  # the user's positions, then one aggregate query
        town = selectors.meetings_overview(town_cadre, today())
    g1 = selectors.meeting_status_overview(gb_secretary, tree.g1, today().strftime("%Y-%m"))

    got = {
        r["village"].name: (r["committee"], r["themed_day"], r["assembly_quarter"], r["lecture_quarter"]) for r in town
    }
    assert got == _expected([tree.v11, tree.v12, tree.v21, tree.v22])
    assert got[tree.v11.name] == (True, True, False, False)
    assert got[tree.v12.name] == (False, False, False, False)
    assert got[tree.v21.name] == (False, False, True, False)
    assert got[tree.v22.name] == (False, False, False, False)
    assert [r["village"] for r in g1] == [tree.v11, tree.v12]
    assert {r["general_branch"] for r in g1} == {tree.g1}


def test_overview_shows_on_the_list_for_a_general_branch_not_for_a_village(
    client_as, tree, village_secretary, gb_secretary, gb2_secretary
):
    _overview_rows(tree, village_secretary, gb_secretary, gb2_secretary)

    gb_html = client_as(gb_secretary).get("/meetings/").content.decode()
    vs_html = client_as(village_secretary).get("/meetings/").content.decode()

    assert "meeting-overview" in gb_html
    overview = gb_html.split("meeting-overview", 1)[1].split("</section>", 1)[0]
    assert tree.v11.name in overview and tree.v12.name in overview and tree.v21.name not in overview
    assert "meeting-overview" not in vs_html


# ------------------------------------------------------------------------------------------------------- API


def test_api_access(client_as, client, gb_secretary, gb2_secretary, village_secretary, v11_held):
    url = f"/api/meetings/{v11_held.pk}/"

    assert client.get("/api/meetings/").status_code in (401, 403)
    assert client_as(gb2_secretary).get(url).status_code == 404
    assert client_as(gb2_secretary).get("/api/meetings/").json()["count"] == 0
    data = client_as(gb_secretary).get(url).json()
    assert data["status"] == MeetingStatus.HELD
    assert data["present_count"] == 3 and data["absent_count"] == 0
    assert len(data["attendance"]) == 3
    listed = client_as(village_secretary).get("/api/meetings/?kind=branch_committee").json()
    assert [m["id"] for m in listed["results"]] == [v11_held.pk]


def test_api_plan_record_review(client_as, tree, village_secretary, gb_secretary):
    vs, gb = client_as(village_secretary), client_as(gb_secretary)
    members = tree.members["v11"]

    created = vs.post(
        "/api/meetings/",
        {"organization": tree.v11.pk, "kind": "party_lecture", "title": "党课", "planned_for": today().isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    attendance = [{"member": m.pk, "present": True} for m in members[1:]]
    attendance.append({"member": members[0].pk, "present": False, "absence_reason": "生病"})
    body = {"version": 1, "held_on": today().isoformat(), "place": "党员活动室", "attendance": attendance}

    recorded = vs.post(f"/api/meetings/{pk}/record/", body, content_type="application/json")
    refused = vs.post(f"/api/meetings/{pk}/review/", {"comment": "好"}, content_type="application/json")
    reviewed = gb.post(f"/api/meetings/{pk}/review/", {"comment": "好"}, content_type="application/json")

    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["present_count"] == 2 and recorded.json()["absent_count"] == 1
    assert refused.status_code == 403
    assert reviewed.status_code == 200 and reviewed.json()["status"] == MeetingStatus.REVIEWED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("future", "future"),
        ("stranger", "attendance list"),
        ("no_reason", "reason"),
        ("stale", "Someone else saved"),
    ],
)
def test_api_record_refuses_bad_input(client_as, tree, village_secretary, v11_meeting, change, message):
    members = tree.members["v11"]
    body = {
        "version": v11_meeting.version,
        "held_on": today().isoformat(),
        "attendance": [{"member": m.pk, "present": True} for m in members],
    }
    if change == "future":
        body["held_on"] = (today() + datetime.timedelta(days=2)).isoformat()
    elif change == "stranger":
        body["attendance"].append({"member": tree.members["v21"][0].pk, "present": True})
    elif change == "no_reason":
        body["attendance"][0] = {"member": members[0].pk, "present": False, "absence_reason": ""}
    elif change == "stale":
        body["version"] = v11_meeting.version + 5

    response = client_as(village_secretary).post(
        f"/api/meetings/{v11_meeting.pk}/record/", body, content_type="application/json"
    )

    assert response.status_code == (409 if change == "stale" else 400)  # a stale version is a conflict
    assert message in response.content.decode()
    assert tree.members["v21"][0].name not in response.content.decode()
    v11_meeting.refresh_from_db()
    assert v11_meeting.status == MeetingStatus.PLANNED
    assert not MeetingAttendance.objects.exists()


def test_api_record_by_a_deputy_is_forbidden(client_as, tree, deputy, v11_meeting):
    body = {"held_on": today().isoformat(), "attendance": []}

    response = client_as(deputy).post(f"/api/meetings/{v11_meeting.pk}/record/", body, content_type="application/json")

    assert response.status_code == 403


# ----------------------------------------------------------------------------------------------------- admin


def test_admin_shows_meetings_read_only(client_as, superuser, v11_held):
    client = client_as(superuser)

    changelist = client.get("/admin/branches/meeting/")
    change = client.get(f"/admin/branches/meeting/{v11_held.pk}/change/")

    assert changelist.status_code == 200 and v11_held.title in changelist.content.decode()
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.post(f"/admin/branches/meeting/{v11_held.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=v11_held.pk).exists()


# ------------------------------------------------------------------------------------------- query counts


def _meetings(n, tree, creator):
    """n meetings spread over the villages, every one held with its three members' attendance."""
    villages = [tree.v11, tree.v12, tree.v21, tree.v22]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            organization=villages[i % 4],
            general_branch=villages[i % 4].parent,
            kind=MeetingKind.BRANCH_COMMITTEE,
            status=MeetingStatus.HELD,
            title=f"会议{i}",
            planned_for=today(),
            held_on=today(),
            created_by=creator,
        )
        for i in range(n)
    )
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=m, member=member, present=True)
        for m in meetings
        for member in tree.members[next(k for k in ("v11", "v12", "v21", "v22") if getattr(tree, k) == m.organization)]
    )
    return meetings


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", ["/meetings/", "/api/meetings/", "/meetings/?export=xlsx"])
def test_lists_run_the_same_queries_for_3_and_30_meetings(client_as, tree, town_cadre, path):
    client = client_as(town_cadre)
    _meetings(3, tree, town_cadre)
    few = _count(client, path)
    _meetings(27, tree, town_cadre)

    many = _count(client, path)

    assert few == many


def test_record_and_detail_pages_run_the_same_queries_for_3_and_30_members(
    client_as, tree, village_secretary, v11_meeting
):
    client = client_as(village_secretary)
    record_few = _count(client, page("record", v11_meeting))
    make_members(tree.v11, 27, prefix="新")

    record_many = _count(client, page("record", v11_meeting))
    client.post(page("record", v11_meeting), record_form(v11_meeting))
    detail_many = _count(client, page("detail", v11_meeting))
    Meeting.objects.filter(pk=v11_meeting.pk).update(status=MeetingStatus.PLANNED)
    MeetingAttendance.objects.filter(meeting=v11_meeting, member__name__startswith="新").delete()
    detail_few = _count(client, page("detail", v11_meeting))

    assert record_few == record_many
    assert detail_few == detail_many
