"""Emergency response (紧急情况处置): a case opened by the village, its first, follow-up and final reports and its
actions, closed by the general branch's secretary; who sees it; lateness against the configured deadlines; the
refusals (closing without a final report, bad times and levels) that save nothing; the API; query counts."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anding.models import AuditEvent
from branches import actions
from branches.models import EmergencyAction, EmergencyIncident, EmergencyReport

from .. import kit
from ..cases import open_case

S = EmergencyIncident.Status
CODE = EmergencyIncident.power
API = "/api/emergency-response/"
# A fixed morning in the past: the incident happened at 07:30 and was known at 08:00 (Beijing time).
DAY = datetime.date(2026, 6, 1)


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def url(name, *args):
    return reverse(f"branches:{CODE}_{name}", args=args)


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def case(tree, v21_secretary):
    return open_case(CODE, v21_secretary, tree.v21)


def fixed_case(actor, village, **fields):
    return open_case(CODE, actor, village, occurred_at=at(7, 30), known_at=at(8), **fields)


def report(actor, case, kind, when, **fields):
    case.refresh_from_db()
    data = {"content": "情况报告", "reporter": "张书记", "recipient": "镇应急办", **fields}
    return actions.emergency_report_add(actor=actor, incident=case, kind=kind, reported_at=when, **data)


def test_a_case_opened_by_the_village_is_worked_and_closed_by_the_general_branch(
    tree, client_as, v21_secretary, gb2_secretary
):
    village = client_as(v21_secretary)
    opening = village.get(url("open"))
    assert list(opening.context["form"].fields["village"].queryset) == [tree.v21]  # their own village, offered
    now = timezone.localtime()
    response = village.post(
        url("open"),
        {
            "village": tree.v21.pk,
            "title": "村南仓库火情",
            "kind": "accident",
            "level": 4,
            "occurred_at": local(now - datetime.timedelta(minutes=50)),
            "known_at": local(now - datetime.timedelta(minutes=40)),
            "source": "村民电话",
            "place": "村南仓库",
            "description": "仓库起火，已扑灭。",
            "casualties": "无人员伤亡",
            "people_sent": "村两委三人",
        },
    )
    case = EmergencyIncident.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.status == S.REPORTED and case.general_branch == tree.g2 and case.created_by == v21_secretary
    assert case.next_report_due == case.known_at + datetime.timedelta(minutes=60)

    secretary = client_as(gb2_secretary)
    page = secretary.get(case.get_absolute_url())
    assert url("report", case.pk) in page.content.decode()
    assert url("transition", case.pk, "first_report") not in page.content.decode()  # taken by filing the report
    for kind, content in (
        ("first", "首报：火已扑灭"),
        ("follow_up", "续报：起火原因为电线老化"),
        ("final", "终报：处置完毕"),
    ):
        case.refresh_from_db()
        posted = secretary.post(
            url("report", case.pk),
            {
                "kind": kind,
                "reported_at": local(timezone.now()),
                "content": content,
                "reporter": "第二总支书记",
                "recipient": "镇应急办",
                "version": case.version,
            },
        )
        assert posted.status_code == 302, posted.context and posted.context["form"].errors
        if kind == "first":
            case.refresh_from_db()
            assert case.status == S.RESPONDING
            logged = village.post(
                url("action", case.pk), {"at": local(timezone.now()), "action": "切断仓库电源", "taken_by": "村电工"}
            )
            assert logged.status_code == 302
    case.refresh_from_db()
    assert case.status == S.FINAL and case.next_report_due is None
    assert [(r.kind, r.number) for r in case.reports.all()] == [("first", 0), ("follow_up", 1), ("final", 0)]
    assert client_as(v21_secretary).get(url("transition", case.pk, "close")).status_code == 403  # the secretary's
    assert secretary.post(url("transition", case.pk, "close"), {"version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.CLOSED and case.closed_on == timezone.localdate()

    steps = ["open", "first_report", "final_report", "close"]
    assert list(case.events.values_list("transition", flat=True)) == steps
    audited = list(
        AuditEvent.objects.filter(object_type="branches.emergencyincident", object_id=str(case.pk))
        .exclude(action__startswith="history_")  # the case's field history (tests/test_history.py)
        .values_list("action", flat=True)
    )
    assert sorted(audited) == sorted([*(f"{CODE}_{s}" for s in steps), *[f"{CODE}_report"] * 3, f"{CODE}_action"])
    page = village.get(case.get_absolute_url()).content.decode()
    assert "终报：处置完毕" in page and "切断仓库电源" in page
    assert url("report", case.pk) not in page and url("action", case.pk) not in page
    closed = secretary.get(url("report", case.pk))
    assert closed.status_code == 302 and closed["Location"] == case.get_absolute_url()
    refused = village.post(url("action", case.pk), {"at": local(timezone.now()), "action": "补记", "taken_by": "甲"})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert case.action_log.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("gb2_secretary", 200),
        ("g2_deputy", 200),
        ("v21_secretary", 200),  # the village sees its emergencies always
        ("town_cadre", 200),
        ("gb_secretary", 404),  # gb1
        ("village_secretary", 404),  # v11
        ("deputy", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_an_emergency(fixtures, client_as, case, persona, status):
    client = client_as(fixtures[persona])
    assert client.get(case.get_absolute_url()).status_code == status
    assert client.get(f"{API}{case.pk}/").status_code == status
    listed = client.get(url("list")).content.decode()
    assert (case.title in listed) == (status == 200)
    if status == 404:
        assert client.get(url("report", case.pk)).status_code == 404
        assert client.post(url("action", case.pk), {}).status_code == 404
        assert client.post(f"{API}{case.pk}/reports/", {}, content_type="application/json").status_code == 404


def test_the_town_sees_but_does_not_report(client_as, case, town_cadre):
    town = client_as(town_cadre)
    assert town.get(url("report", case.pk)).status_code == 403
    assert town.get(url("action", case.pk)).status_code == 403
    assert town.get(url("open")).status_code == 403


def test_lateness_follows_the_configured_deadlines(settings, tree, gb2_secretary, v21_secretary, client_as):
    settings.EMERGENCY_FIRST_REPORT_MINUTES = 30
    settings.EMERGENCY_FOLLOW_UP_HOURS = 6
    on_time = fixed_case(v21_secretary, tree.v21, title="准时")
    assert on_time.next_report_due == at(8, 30) and on_time.due_on == DAY
    assert not report(v21_secretary, on_time, "first", at(8, 30)).late  # on the deadline is in time
    late = fixed_case(v21_secretary, tree.v21, title="迟报")
    first = report(v21_secretary, late, "first", at(8, 31))
    assert first.late and first.due_at == at(8, 30)
    late.refresh_from_db()
    assert late.status == S.RESPONDING and late.next_report_due == at(14, 31)

    follow = report(gb2_secretary, late, "follow_up", at(15))  # 6 h after 08:31 was 14:31
    assert follow.late and follow.number == 1 and follow.due_at == at(14, 31)
    second = report(gb2_secretary, late, "follow_up", at(16))
    assert not second.late and second.number == 2
    late.refresh_from_db()
    assert late.next_report_due == at(22) and late.report_overdue  # that evening is long past

    settings.EMERGENCY_FIRST_REPORT_MINUTES = 120  # a looser rule: the same time is in time
    relaxed = fixed_case(v21_secretary, tree.v21, title="放宽")
    assert not report(v21_secretary, relaxed, "first", at(8, 31)).late

    page = client_as(gb2_secretary).get(late.get_absolute_url())
    html = page.content.decode()
    assert html.count("emergency-report-late") == 2 and "emergency-overdue" in html
    timeline = page.context["timeline"]
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)


def test_overdue_reports_are_on_the_to_do_lists_of_those_who_act(tree, v21_secretary, gb2_secretary, town_cadre):
    from branches.todo import power_todos

    earlier = timezone.now() - datetime.timedelta(days=2)
    case = open_case(CODE, v21_secretary, tree.v21, occurred_at=earlier - datetime.timedelta(hours=1), known_at=earlier)
    assert case.is_overdue

    def mine(user):
        return [i for i in power_todos(user) if f"/{CODE.replace('_', '-')}/" in i["url"]]

    for user in (v21_secretary, gb2_secretary):
        assert [i["badge_class"] for i in mine(user)] == ["danger"]
    assert mine(town_cadre) == []
    report(v21_secretary, case, "first", timezone.now())
    case.refresh_from_db()
    assert not case.is_overdue and [i["badge_class"] for i in mine(gb2_secretary)] != ["danger"]  # follow-up due
    with pytest.raises(ValidationError) as refused:  # a correction cannot put the report before the news
        actions.case_update(actor=gb2_secretary, case=case, known_at=timezone.now())
    assert "known_at" in refused.value.message_dict


def test_closing_needs_the_final_report(tree, client_as, gb2_secretary, v21_secretary, case):
    report(v21_secretary, case, "first", timezone.now())
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.case_transition(actor=gb2_secretary, case=case, name="close")
    with pytest.raises(ValidationError, match="终报|final report"):
        actions.case_transition(actor=gb2_secretary, case=case, name="final_report")  # not on its own
    secretary = client_as(gb2_secretary)
    page = secretary.post(url("transition", case.pk, "close"), {"version": case.version})
    assert page.status_code == 302 and page["Location"] == case.get_absolute_url()
    api = secretary.post(f"{API}{case.pk}/transition/", {"step": "close"}, content_type="application/json")
    assert api.status_code == 400
    case.refresh_from_db()
    assert case.status == S.RESPONDING and case.closed_on is None
    assert list(case.events.values_list("transition", flat=True)) == ["open", "first_report"]


def test_a_withdrawal_needs_its_reason(client_as, case, gb2_secretary):
    secretary = client_as(gb2_secretary)
    response = secretary.post(url("transition", case.pk, "withdraw"), {"comment": " ", "version": case.version})
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    posted = secretary.post(url("transition", case.pk, "withdraw"), {"comment": "重复上报", "version": case.version})
    assert posted.status_code == 302
    case.refresh_from_db()
    assert case.status == S.WITHDRAWN and not case.is_open


def test_bad_input_saves_nothing(tree, client_as, v21_secretary, gb2_secretary, gb_secretary):
    village = client_as(v21_secretary)
    now = timezone.localtime()
    good = {
        "village": tree.v21.pk,
        "title": "山洪",
        "kind": "natural_disaster",
        "level": 3,
        "occurred_at": local(now - datetime.timedelta(hours=1)),
        "known_at": local(now - datetime.timedelta(minutes=30)),
        "place": "西沟",
        "description": "山洪冲毁便桥。",
    }
    for field, value in (
        ("level", 5),  # outside I–IV
        ("kind", "earthquake"),
        ("known_at", local(now - datetime.timedelta(hours=2))),  # known before it happened
        ("occurred_at", local(now + datetime.timedelta(days=1))),  # in the future
        ("occurred_at", "1899-01-01T10:00"),  # a typing mistake
        ("description", "x" * 6000),
        ("village", tree.v22.pk),  # not their village
    ):
        response = village.post(url("open"), {**good, field: value})
        assert response.status_code == 200 and field in response.context["form"].errors, field
    assert not EmergencyIncident.objects.exists()
    api = village.post(API, {**good, "level": 0}, content_type="application/json")
    assert api.status_code == 400 and "level" in api.json()
    with pytest.raises(PermissionDenied):
        open_case(CODE, gb_secretary, tree.v21)  # g1 does not act over v21
    assert not EmergencyIncident.objects.exists()

    case = open_case(CODE, v21_secretary, tree.v21, occurred_at=at(7, 30), known_at=at(8))
    secretary = client_as(gb2_secretary)
    data = {"kind": "first", "content": "首报", "reporter": "甲", "recipient": "镇", "version": case.version}
    for field, value in (
        ("reported_at", "2026-06-01T07:45"),  # before it was known
        ("reported_at", "2026-06-01T07:00"),  # before the incident
        ("reported_at", local(now + datetime.timedelta(days=1))),
        ("content", ""),
        ("reporter", "x" * 101),
        ("kind", "follow_up"),  # not before the first report: the state's refusal
    ):
        response = secretary.post(url("report", case.pk), {"reported_at": "2026-06-01T09:00", **data, field: value})
        assert response.status_code == 200, field
        form = response.context["form"]
        assert field in form.errors or (field == "kind" and form.non_field_errors()), field
    api = secretary.post(
        f"{API}{case.pk}/reports/",
        {**data, "reported_at": "2026-06-01T06:00:00+08:00"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "reported_at" in api.json()
    response = secretary.post(url("action", case.pk), {"at": "2026-06-01T07:00", "action": "x", "taken_by": "y"})
    assert response.status_code == 200 and "at" in response.context["form"].errors
    assert not EmergencyReport.objects.exists() and not EmergencyAction.objects.exists()
    case.refresh_from_db()
    assert case.status == S.REPORTED and list(case.events.values_list("transition", flat=True)) == ["open"]


def test_the_api_files_reports_and_actions_once_per_key(tree, client_as, case, gb2_secretary):
    api = client_as(gb2_secretary)
    body = {
        "kind": "first",
        "reported_at": timezone.now().isoformat(),
        "content": "首报",
        "reporter": "甲",
        "recipient": "镇",
    }
    key = str(uuid.uuid4())
    first = api.post(
        f"{API}{case.pk}/reports/", body, content_type="application/json", headers={"Idempotency-Key": key}
    )
    again = api.post(
        f"{API}{case.pk}/reports/", body, content_type="application/json", headers={"Idempotency-Key": key}
    )
    assert first.status_code == again.status_code == 200 and again.content == first.content
    answer = first.json()
    assert answer["status"] == "responding" and [r["kind"] for r in answer["reports"]] == ["first"]
    logged = api.post(
        f"{API}{case.pk}/actions.json",
        {"at": timezone.now().isoformat(), "action": "设置警戒线", "taken_by": "村民兵"},
        content_type="application/json",
    )
    assert logged.status_code == 200 and logged.json()["action_log"][0]["action"] == "设置警戒线"
    assert case.reports.count() == 1


def test_query_counts_do_not_grow_with_the_timeline_or_the_cases(tree, client_as, gb2_secretary, v21_secretary):
    busy = open_case(CODE, v21_secretary, tree.v21, occurred_at=at(7, 30), known_at=at(8), title="长事件")

    report(v21_secretary, busy, "first", at(8, 20))
    made = []

    def timeline(n):
        def build():
            for _ in range(n):
                when = at(9) + datetime.timedelta(minutes=len(made))
                made.append(report(gb2_secretary, busy, "follow_up", when))
                actions.emergency_action_add(actor=gb2_secretary, incident=busy, at=when, action="措施", taken_by="甲")
                open_case(CODE, gb2_secretary, tree.v21 if len(made) % 2 else tree.v22, title=f"事件{len(made)}")
            return n

        return build

    secretary, village = client_as(gb2_secretary), client_as(v21_secretary)

    def measure(_):
        return tuple(
            kit.page_queries(c, p)
            for c in (secretary, village)
            for p in (busy.get_absolute_url(), url("list"), f"{API}{busy.pk}/", API)
        )

    kit.assert_flat(measure, timeline(2), timeline(12))
