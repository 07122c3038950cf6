"""Demo cases of the major-matter review and the village-affairs inspection (issue 9), through the actions: in each
general branch, major matters at different steps of 四议两公开 (one closed, one resolved by the villagers, one in
the preliminary review with the deputy's draft opinion, one sent back), and inspections (one closed with its items
verified, one rectifying with an overdue item, one draft)."""

import datetime

from .. import actions
from ..models import AffairsInspection, CaseEvent, MajorMatter, MatterStep
from .common import Counts, Life, backdate_case

__all__ = ["inspection_demo", "major_matter_demo"]

D = datetime.timedelta

MATTERS = [
    # (title, kind, description, amount, days ago of step 1, how far it got)
    ("村集体鱼塘对外承包", "land", "村东鱼塘40亩公开招标承包，期限五年。", "60000.00", 120, "closed"),
    (
        "村级道路硬化工程",
        "project",
        "村内主路2.3公里硬化，申请上级补助，村集体自筹部分资金。",
        "380000.00",
        60,
        "resolved",
    ),  # or a step before or after
    (
        "征地补偿款分配方案",
        "compensation",
        "京台高速辅路征地补偿款按户分配，预留10%作为集体发展资金。",
        "1250000.00",
        25,
        "reviewing",
    ),
    ("闲置宅基地收回再利用", "homestead", "收回三处闲置宅基地，用于建设村民活动中心。", None, 20, "returned"),
]
ORDER = ["draft", "proposed", "reviewing", "approved", "deliberated", "resolved", "published", "closed"]


def _vote(number, village_members):
    if number == MatterStep.Number.MEMBERS:
        entitled = max(len(village_members), 12)
        present = entitled - entitled // 8
        return {"entitled": entitled, "present": present, "in_favour": present - 2, "against": 1, "abstained": 1}
    return {"body": "representatives", "entitled": 35, "present": 31, "in_favour": 28, "against": 2, "abstained": 1}


def _record(life, case, village_secretary, number, held_on):
    fields = {"held_on": held_on, "note": ""}
    if number in MatterStep.VOTES:
        fields.update(_vote(number, life.members.get(case.village_id, [])))
    if number in MatterStep.PUBLICATIONS:
        fields["published_how"] = "村务公开栏张贴，村微信群同步发布"
    actions.matter_record_step(actor=village_secretary, case=case, number=number, **fields)
    case.refresh_from_db()


def major_matter_demo(life: Life, branch, villages, rng) -> Counts:
    counts = Counts()
    secretary = life.secretary.get(branch.pk)
    staffed = [v for v in villages if life.secretary.get(v.pk) is not None]
    if secretary is None or not staffed:
        return counts
    for n, (title, kind, description, amount, days_ago, state) in enumerate(MATTERS):
        village = staffed[(n + rng.randrange(len(staffed))) % len(staffed)]
        if state == "resolved":  # how far the second matter got differs between the general branches
            state = rng.choice(["approved", "deliberated", "resolved", "published"])
        if MajorMatter.objects.filter(village=village, title=title).exists():
            continue
        village_secretary = life.secretary[village.pk]
        start = life.today - D(days=days_ago)
        case = actions.case_open(
            actor=village_secretary,
            model=MajorMatter,
            village=village,
            title=title,
            kind=kind,
            description=description,
            amount=amount,
            opened_on=start,
        )
        counts.add("major_matters")
        reach = ORDER.index("reviewing" if state == "returned" else state)
        day = start
        for number in (1, 2):
            if reach >= number:
                _record(life, case, village_secretary, number, day)
                day += D(days=5)
        if state in ("reviewing", "returned"):
            deputy = life.deputy.get(village.pk) or secretary
            actions.case_transition(
                actor=deputy, case=case, name="draft_opinion", comment="程序合规，建议补充分配明细后提交党员大会审议。"
            )
        if state == "returned":
            actions.case_transition(
                actor=secretary, case=case, name="send_back", comment="未附宅基地权属材料，补齐后重新提交。"
            )
            backdate_case(life, case, start, day)
            counts.add("returned")
            continue
        if reach >= ORDER.index("approved"):
            actions.case_transition(actor=secretary, case=case, name="approve", comment="同意提交党员大会审议。")
            # The members' assembly is checked to come after this approval: date it in the story first.
            CaseEvent.objects.filter(case_id=case.pk, transition="approve", case_type__model="majormatter").update(
                at=life.at(day, 10)
            )
            case.refresh_from_db()
            for number in (3, 4, 5, 6):
                if reach >= ORDER.index(["deliberated", "resolved", "published", "closed"][number - 3]):
                    day += D(days=7)
                    _record(life, case, village_secretary, number, day)
        backdate_case(life, case, start, day)
        if case.status == MajorMatter.Status.CLOSED:
            life.stamp(case, closed_on=day)
            counts.add("closed")
    return counts


INSPECTIONS = [
    # (title, area, findings, days ago, items as (what, days after the inspection), how far it got)
    (
        "村级财务收支检查",
        "property",
        "部分报销凭证缺少监委会签字；固定资产台账未及时更新。",
        90,
        [("补齐凭证监委会签字", 20), ("更新固定资产台账", 30)],
        "closed",
    ),
    (
        "惠农补贴发放检查",
        "policies",
        "耕地地力保护补贴公示时间不足七天。",
        40,
        [("重新公示补贴名单满七天", 10), ("建立补贴发放台账", 25)],
        "rectifying",
    ),
    ("村务公开栏检查", "decisions", "", 3, [], "draft"),
]


def inspection_demo(life: Life, branch, villages, rng) -> Counts:
    counts = Counts()
    secretary = life.secretary.get(branch.pk)
    staffed = [v for v in villages if life.secretary.get(v.pk) is not None]
    if secretary is None or not staffed:
        return counts
    for n, (title, area, findings, days_ago, items, state) in enumerate(INSPECTIONS):
        village = staffed[(n + rng.randrange(len(staffed))) % len(staffed)]
        if AffairsInspection.objects.filter(village=village, title=title).exists():
            continue
        inspected = life.today - D(days=days_ago)
        inspector = life.deputy.get(village.pk) or secretary
        case = actions.case_open(
            actor=inspector,
            model=AffairsInspection,
            village=village,
            title=title,
            area=area,
            inspected_on=inspected,
            inspectors=f"{inspector.get_full_name()}、村务监督委员会主任",
            findings=findings,
            opened_on=inspected,
        )
        counts.add("inspections")
        made = [
            actions.inspection_add_item(actor=inspector, case=case, what=what, deadline=inspected + D(days=after))
            for what, after in items
        ]
        if state == "draft":
            backdate_case(life, case, inspected, inspected)
            continue
        actions.case_transition(actor=secretary, case=case, name="issue")
        village_secretary = life.secretary[village.pk]
        for k, item in enumerate(made):
            done = state == "closed" or k == 0
            item.inspection = case
            actions.inspection_report_item(
                actor=village_secretary,
                item=item,
                follow_up="已整改完毕，材料已归档。" if done else "正在整理台账。",
                done_on=min(item.deadline - D(days=2), life.today) if done else None,
            )
            case.refresh_from_db()
            if state == "closed":
                actions.inspection_verify_item(actor=inspector, item=item)
                life.stamp(item, verified_on=item.deadline)
        if state == "closed":
            actions.case_transition(actor=secretary, case=case, name="close", comment="整改全部到位。")
            life.stamp(case, closed_on=inspected + D(days=35))
            counts.add("closed")
        backdate_case(life, case, inspected, inspected + D(days=35 if state == "closed" else days_ago // 2))
    return counts
