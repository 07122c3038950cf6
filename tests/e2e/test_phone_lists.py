"""At 375 px no list page cuts off its status column (issue 8, done-when 7): a village secretary opens each list on a
phone and sees every row's status whole, inside the viewport, without scrolling sideways."""

import datetime

import pytest
from django.utils import timezone

from branches import actions
from branches.choices import MeetingKind, Role

from ..factories import PositionFactory, UserFactory
from .test_browser import browser, log_in, open_page  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.e2e
WIDTH = 375
LISTS = ["/members/", "/meetings/", "/tasks/", "/reports/"]


@pytest.fixture(autouse=True)
def _allow_async_unsafe(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def village_rows(transactional_db, tree):
    """v11's secretary with a row in every list: a meeting and a task with long titles, a report."""
    town = UserFactory(username="town", full_name="江东飞")
    PositionFactory(user=town, organization=tree.town, role=Role.TOWN_CADRE)
    secretary = UserFactory(username="v11", full_name="熊志")
    PositionFactory(user=secretary, organization=tree.v11, role=Role.VILLAGE_SECRETARY, title="村党支部书记")
    today = timezone.localdate()
    actions.meeting_plan(
        actor=secretary,
        organization=tree.v11,
        kind=MeetingKind.THEMED_DAY,
        title="学习贯彻党的二十届四中全会精神主题党日活动暨冬季环境整治动员部署",
        planned_for=today + datetime.timedelta(days=3),
    )
    actions.task_deploy(
        actor=town,
        issued_by=tree.town,
        title="关于做好二〇二六年度基层党组织书记抓党建述职评议考核工作的通知",
        due_date=today + datetime.timedelta(days=10),
        assignees=[tree.v11],
    )
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    actions.report_start(actor=secretary, village=tree.v11, month=month)
    return secretary


def test_each_list_shows_its_status_column_whole_on_a_phone(browser, live_server, village_rows):  # noqa: F811
    page = open_page(browser, width=WIDTH)
    log_in(page, live_server.url, "v11")
    for path in LISTS:
        page.goto(live_server.url + path)
        cells = page.locator("main td[data-column=status]")
        assert cells.count() >= 1, path
        for i in range(cells.count()):
            box = cells.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (path, box)
        headers = page.locator("main table thead th").all_inner_texts()
        assert not any(h.strip() in ("村党支部", "党支部", "village branch") for h in headers), (path, headers)
    assert page.problems == []
