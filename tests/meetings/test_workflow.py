"""The meeting workflow: planned → held (minutes, attendance) → reviewed by the level above, done by the right
people; bad input refused with the input kept; officers' meetings and the agenda of a work meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from anding.models import AuditEvent
from branches import actions
from branches.choices import MeetingKind, MeetingStatus, Role
from branches.models import AgendaItem, Meeting, MeetingAttendance, Task, TaskAssignment

from ..conftest import plan
from ..factories import PositionFactory, UserFactory
from .conftest import STALE_TEXT, page, record_form, today


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
        actions.meeting_record(
            actor=village_secretary,
            meeting=v11_meeting,
            version=v11_meeting.version,
            held_on=today(),
            attendance=[actions.AttendanceLine(member=stranger)],
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

    # Saved again as the page shows it, items unchanged and one more added: nothing is lost.
    again = {**data, "agenda-INITIAL_FORMS": "2", "agenda-2-title": "冬季防火", "agenda-2-outcome": ""}
    assert client.post(page("agenda", g1_work_meeting), again).status_code == 302
    titles = list(AgendaItem.objects.filter(meeting=g1_work_meeting).values_list("title", flat=True))
    assert titles == ["部署秸秆禁烧", "西庄村务", "冬季防火"]


def test_agenda_is_only_for_work_meetings(client_as, gb_secretary, v11_meeting):
    response = client_as(gb_secretary).get(page("agenda", v11_meeting))

    assert response.status_code == 302 and response.url == v11_meeting.get_absolute_url()
