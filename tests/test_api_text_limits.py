"""Every text the API writes has the HTML form's maximum (issue 8): one character over it is 400 with a message at
the field, and nothing is saved; at the limit it is taken. The limits are the forms' constants, not numbers here."""

import datetime

import pytest
from django.utils import timezone

from anding.forms import LONG_TEXT_CHARS, NOTE_CHARS, TITLE_CHARS
from branches import actions
from branches.choices import MeetingKind
from branches.forms.reports import COMMENT_CHARS
from branches.models import BranchCommittee, Meeting, MonthlyReport, PartyGroup, Task, TaskAssignment

from .conftest import plan

JSON = "application/json"


def today():
    return timezone.localdate()


def meeting_plan_body(tree, **text):
    return {"organization": tree.v11.pk, "kind": "party_lecture", "title": "党课", "planned_for": str(today()), **text}


def record_body(meeting, **text):
    members = meeting.organization.members.order_by("pk")
    return {"held_on": str(today()), "attendance": [{"member": m.pk} for m in members], **text}


@pytest.fixture
def world(tree, village_secretary, gb_secretary, town_cadre):
    meeting = plan(village_secretary, tree.v11, kind=MeetingKind.PARTY_LECTURE)
    report = actions.report_start(actor=village_secretary, village=tree.v11, month=today().replace(day=1))
    task = actions.task_deploy(
        actor=town_cadre,
        issued_by=tree.town,
        title="防火",
        due_date=today() + datetime.timedelta(5),
        assignees=[tree.v11],
    )
    return {"meeting": meeting, "report": report, "assignment": TaskAssignment.objects.get(task=task)}


def cases(tree, world):
    """(method, path, body builder for a text, field, limit, what must stay unchanged)."""
    meeting, report, assignment = world["meeting"], world["report"], world["assignment"]
    members = list(tree.members["v11"])
    return [
        (
            "post",
            "/api/meetings/",
            lambda t: meeting_plan_body(tree, topics=t),
            "topics",
            NOTE_CHARS,
            lambda: Meeting.objects.count(),
        ),
        (
            "post",
            f"/api/meetings/{meeting.pk}/record/",
            lambda t: record_body(meeting, minutes=t),
            "minutes",
            LONG_TEXT_CHARS,
            lambda: Meeting.objects.get(pk=meeting.pk).status,
        ),
        (
            "patch",
            f"/api/reports/{report.pk}/",
            lambda t: {"version": report.version, "narrative": t},
            "narrative",
            LONG_TEXT_CHARS,
            lambda: MonthlyReport.objects.get(pk=report.pk).narrative,
        ),
        (
            "patch",
            f"/api/reports/{report.pk}/",
            lambda t: {"version": report.version, "problems": t},
            "problems",
            NOTE_CHARS,
            lambda: MonthlyReport.objects.get(pk=report.pk).problems,
        ),
        (
            "post",
            "/api/tasks/",
            lambda t: {"issued_by": tree.g1.pk, "title": t, "due_date": str(today()), "assignees": [tree.v11.pk]},
            "title",
            TITLE_CHARS,
            lambda: Task.objects.count(),
        ),
        (
            "post",
            f"/api/task-assignments/{assignment.pk}/progress/",
            lambda t: {"status": "in_progress", "note": t},
            "note",
            NOTE_CHARS,
            lambda: TaskAssignment.objects.get(pk=assignment.pk).progress_note,
        ),
        (
            "post",
            "/api/committees/",
            lambda t: {
                "village": tree.v11.pk,
                "term_start": "2025-01-01",
                "note": t,
                "seats": [{"member": members[0].pk, "post": "secretary"}],
            },
            "note",
            TITLE_CHARS,
            lambda: BranchCommittee.objects.count(),
        ),
        (
            "post",
            "/api/party-groups/",
            lambda t: {"village": tree.v11.pk, "name": t, "leader": members[0].pk},
            "name",
            PartyGroup._meta.get_field("name").max_length,
            lambda: PartyGroup.objects.count(),
        ),
    ]


CASES = [
    "plan topics",
    "minutes",
    "narrative",
    "problems",
    "task title",
    "progress note",
    "committee note",
    "group name",
]


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASES)
def test_one_character_over_the_forms_limit_is_400_at_the_field(
    client_as, tree, world, village_secretary, gb_secretary, case
):
    method, path, body, field, limit, state = cases(tree, world)[case]
    client = client_as(gb_secretary if path == "/api/tasks/" else village_secretary)
    before = state()

    response = getattr(client, method)(path, body("长" * (limit + 1)), content_type=JSON)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert str(limit) in response.json()[field][0]
    assert state() == before


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASES)
def test_a_text_at_the_limit_is_taken(client_as, tree, world, village_secretary, gb_secretary, case):
    method, path, body, field, limit, state = cases(tree, world)[case]
    client = client_as(gb_secretary if path == "/api/tasks/" else village_secretary)

    response = getattr(client, method)(path, body("长" * limit), content_type=JSON)

    assert response.status_code in (200, 201), response.content


def test_the_limits_are_those_of_the_forms():
    from branches.forms import MeetingReviewForm, ReportReviewForm

    assert MeetingReviewForm().fields["review_comment"].max_length == NOTE_CHARS
    assert ReportReviewForm().fields["comment"].max_length == COMMENT_CHARS
