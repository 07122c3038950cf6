"""Who reaches which meeting page: anonymous → login, out of scope → 404, in scope → 200, wrong role → 403; the
admin shows meetings read only."""

import pytest
from django.core.exceptions import PermissionDenied

from branches import actions
from branches.choices import MeetingStatus
from branches.models import Meeting

from .. import kit
from .conftest import page, record_form

V11, V11_HELD, G1_WORK = "/meetings/{v11_meeting.pk}/", "/meetings/{v11_held.pk}/", "/meetings/{g1_work_meeting.pk}/"
PAGES = ["/meetings/", "/meetings/add/", G1_WORK, *(G1_WORK + verb for verb in ("record/", "review/", "agenda/"))]

ACCESS = [
    *kit.anonymous([*PAGES, "/meetings/?export=xlsx"]),
    ("village_secretary", V11, 200),
    ("village_secretary", V11 + "record/", 200),
    ("village_secretary", V11_HELD + "review/", 403),  # cannot review its own meeting
    ("village_secretary", G1_WORK, 404),  # the general branch is above its scope
    ("gb_secretary", V11, 200),
    ("gb_secretary", V11 + "record/", 200),
    ("gb_secretary", V11_HELD + "review/", 200),
    ("gb_secretary", G1_WORK + "agenda/", 200),
    ("gb_secretary", G1_WORK + "record/", 200),
    ("gb2_secretary", V11, 404),  # a sibling general branch
    ("gb2_secretary", V11 + "record/", 404),
    ("gb2_secretary", V11_HELD + "review/", 404),
    ("gb2_secretary", G1_WORK + "agenda/", 404),
    ("deputy", V11, 200),
    ("deputy", V11 + "record/", 403),  # a deputy sees but does not record
    ("deputy", G1_WORK + "agenda/", 403),
    ("town_cadre", G1_WORK, 200),
    ("town_cadre", V11_HELD + "review/", 200),
    ("dept_staff", V11, 404),
    ("outsider", V11, 404),
    # Planning needs a role that records meetings.
    ("town_cadre", "/meetings/add/", 200),
    ("gb_secretary", "/meetings/add/", 200),
    ("village_secretary", "/meetings/add/", 200),
    ("deputy", "/meetings/add/", 403),
    ("outsider", "/meetings/add/", 403),
]


@kit.access_table(ACCESS)
def test_page_access(check_access, tree, persona, url, status):
    check_access(persona, url, status)


def test_anonymous_post_saves_nothing(check_access, v11_meeting):
    check_access("anonymous", V11 + "record/", kit.LOGIN, method="post", data=record_form(v11_meeting))

    v11_meeting.refresh_from_db()
    assert v11_meeting.status == MeetingStatus.PLANNED


@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary", "deputy", "outsider"])
def test_list_and_export_open_for_every_logged_in_user(check_access, v11_meeting, persona):
    check_access(persona, "/meetings/", 200)
    export = check_access(persona, "/meetings/?export=xlsx", 200)
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_village_secretary_cannot_review(client_as, village_secretary, v11_held):
    client = client_as(village_secretary)

    response = client.post(page("review", v11_held), {"review_comment": "自己审自己"})

    assert response.status_code == 403
    v11_held.refresh_from_db()
    assert v11_held.status == MeetingStatus.HELD
    with pytest.raises(PermissionDenied):
        actions.meeting_review(actor=village_secretary, meeting=v11_held, comment="x")


def test_sibling_general_branch_secretary_gets_404(client_as, gb2_secretary, v11_held):
    client = client_as(gb2_secretary)

    assert client.get(page("detail", v11_held)).status_code == 404
    assert client.post(page("review", v11_held), {"review_comment": "越界"}).status_code == 404
    assert client.post(page("record", v11_held), record_form(v11_held)).status_code == 404
    v11_held.refresh_from_db()
    assert v11_held.status == MeetingStatus.HELD


def test_admin_shows_meetings_read_only(client_as, superuser, v11_held):
    client = client_as(superuser)

    changelist = client.get("/admin/branches/meeting/")
    change = client.get(f"/admin/branches/meeting/{v11_held.pk}/change/")

    assert changelist.status_code == 200 and v11_held.title in changelist.content.decode()
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.post(f"/admin/branches/meeting/{v11_held.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=v11_held.pk).exists()
