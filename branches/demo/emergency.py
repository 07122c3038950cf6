"""Demo emergencies (紧急情况处置): one incident per general branch, spread over the year, opened by the village's
secretary and reported up by the general branch through the actions: most closed after their final report, one
whose first report came late, and a recent one still open with its follow-up report due."""

import datetime

from django.utils import timezone

from .. import actions
from ..models import EmergencyIncident
from .common import Counts, Life

__all__ = ["emergency_demo"]

K, L = EmergencyIncident.Kind, EmergencyIncident.Level
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)

INCIDENTS = [
    # (title, type, level, days ago, place, what happened, casualties, minutes to the first report, still open)
    (
        "暴雨致村道塌方",
        K.NATURAL,
        L.IV,
        150,
        "村东主路",
        "连续强降雨致村东主路路基塌方约二十米，车辆无法通行。",
        "无人员伤亡，道路损毁",
        40,
        False,
    ),
    (
        "养殖场火情",
        K.ACCIDENT,
        L.IV,
        100,
        "村北养殖场",
        "养殖场饲料间起火，村民发现后报警，消防到场扑灭。",
        "无人员伤亡，饲料及棚舍损失约三万元",
        95,
        False,
    ),
    (
        "学校聚集性腹泻",
        K.HEALTH,
        L.III,
        60,
        "村小学",
        "村小学十余名学生出现腹泻症状，疑似饮水污染。",
        "14人就医，无重症",
        30,
        False,
    ),
    (
        "土地纠纷引发聚集",
        K.SECURITY,
        L.IV,
        25,
        "村委会门前",
        "因土地流转补偿分歧，二十余名村民聚集村委会。",
        "无人员伤亡",
        25,
        False,
    ),
    (
        "大风刮倒大棚",
        K.NATURAL,
        L.IV,
        0,
        "村西蔬菜大棚区",
        "午后大风刮倒蔬菜大棚六座，部分棚膜撕裂。",
        "无人员伤亡，大棚损失正在统计",
        35,
        True,
    ),
]
ACTIONS = ["村两委成员赶赴现场，设置警戒", "转移受影响群众并登记", "联系镇应急办和相关部门到场处置"]


def emergency_demo(life: Life, branch, villages, rng) -> Counts:
    counts = Counts()
    secretary = life.secretary.get(branch.pk)
    if secretary is None:
        return counts
    index = life.generals.index(branch)
    title, kind, level, days_ago, place, text, losses, first_after, still_open = INCIDENTS[index % len(INCIDENTS)]
    if index >= len(INCIDENTS):  # more branches than stories: the same kind of incident, earlier in the year
        days_ago += 180
    village = villages[rng.randrange(len(villages))]
    if EmergencyIncident.objects.filter(village=village, title=title).exists():
        return counts
    start = life.now - 6 * H if still_open else life.at(life.today - datetime.timedelta(days=days_ago), 14)
    occurred, known, first, *later = life.chain(
        [start, start + 20 * M, start + (20 + first_after) * M, start + 3 * H, start + 5 * H, start + 26 * H]
    )
    opener = life.secretary.get(village.pk) or secretary
    case = actions.case_open(
        actor=opener,
        model=EmergencyIncident,
        village=village,
        title=title,
        kind=kind,
        level=level,
        occurred_at=occurred,
        known_at=known,
        source="村民电话报告",
        place=place,
        description=text,
        casualties=losses,
        people_sent="村党支部书记、村委会主任、治保主任",
        opened_on=timezone.localdate(known),
    )
    counts.add("emergencies")
    to_town = {"reporter": secretary.get_full_name() or secretary.username, "recipient": "镇应急办"}
    actions.emergency_report_add(
        actor=secretary, incident=case, kind="first", reported_at=first, content=f"首报：{text}{losses}。", **to_town
    )
    for n, at in enumerate(later[:2]):
        actions.emergency_action_add(actor=opener, incident=case, at=at - 30 * M, action=ACTIONS[n], taken_by="村两委")
    actions.emergency_report_add(
        actor=secretary,
        incident=case,
        kind="follow_up",
        reported_at=later[0],
        content="续报：现场已控制，正在排查。",
        **to_town,
    )
    if still_open:
        _backdate(life, case, {"open": known, "first_report": first})
        counts.add("open")
        return counts
    actions.emergency_action_add(actor=opener, incident=case, at=later[1], action=ACTIONS[2], taken_by="村两委")
    actions.emergency_report_add(
        actor=secretary,
        incident=case,
        kind="final",
        reported_at=later[2],
        content="终报：处置完毕，善后工作已落实。",
        **to_town,
    )
    case.refresh_from_db()
    actions.case_transition(actor=secretary, case=case, name="close", comment="处置完毕，资料归档。")
    closed = later[2] + 2 * H
    life.stamp(case, closed_on=timezone.localdate(closed))
    _backdate(life, case, {"open": known, "first_report": first, "final_report": later[2], "close": closed})
    counts.add("closed")
    return counts


def _backdate(life: Life, case, times: dict) -> None:
    """The case's history at the story's times (its steps were taken "now" by the actions)."""
    for event in case.events.all():
        life.stamp(event, at=min(times.get(event.transition, life.now), life.now))
    life.stamp(case, created_at=times["open"])
