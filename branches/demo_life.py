"""Demo data of branch life (issue 3): a year of meetings, deployed tasks and monthly reports.

For the 12 months before the current month and the current month so far, on the demo town loaded by `demo.load`:

- every village branch holds its 支委会, 党小组会 and 主题党日 each month, its 支部党员大会 and 党课 each quarter
  and its 组织生活会 in December, with a few gaps (a missed 支委会, a 党课 still due this quarter), attendance of
  its members with absence reasons, and the review of its general-branch secretary;
- each general branch holds a monthly work meeting of its officers whose agenda links deployed tasks and village
  matters, reviewed by the town; the town's leadership meeting hears the general branches each month;
- the town (and now and then a general branch) deploys about two tasks a month; the assignees report progress;
  old tasks are mostly done, a few are overdue, recent ones are under way;
- every village reports every month: some late, some returned once and resubmitted; last month's reports are
  partly approved, partly awaiting review, a few still drafts or missing; this month's are partly drafted.

Everything is written through the workflow services with the demo users as the actors, so the permissions,
transitions and audit events are real. The services stamp "now"; afterwards the timestamps of the records (not
of the append-only audit trail) are moved back to the dates the story needs, with queryset updates.

The load is idempotent: a village-month (or general-branch month, or town month) that already has a meeting, a
village-month that already has a report, and a task whose issuer and title exist are skipped. Choices come from
fixed seeds, so a second run on the same day adds nothing. `today` (default: the local date) may be earlier than
the real date, never later: the services refuse meetings held and reports written in the future.
"""

import datetime
import random
import sys
from collections import Counter, defaultdict

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from .choices import MeetingKind, MeetingStatus, MemberStatus, OrgKind, ReportStatus, Role, TaskAssignmentStatus
from .models import (
    Meeting,
    MonthlyReport,
    Organization,
    PartyMember,
    Position,
    ReportTransition,
    Task,
    TaskAssignment,
    report_due_date,
)
from .services import (
    AgendaLine,
    AttendanceLine,
    meeting_plan,
    meeting_record,
    meeting_review,
    meeting_set_agenda,
    report_approve,
    report_check,
    report_return,
    report_save,
    report_start,
    report_submit,
    task_deploy,
    task_report_progress,
)

__all__ = ["MONTHS_BACK", "load"]

SEED = "110115105-life"
MONTHS_BACK = 12  # full months before the current one
# Full attendance lists for the meetings of the last few months; older meetings list a sample of the members.
FULL_ATTENDANCE_MONTHS = 3
OLD_ATTENDANCE_SAMPLE = 25
BATCH = 500

# Text -------------------------------------------------------------------------------------------------------

# The work of the season, by calendar month: (work for the agenda, what the branch did, a decision taken).
SEASON = {
    1: [
        ("冬季供暖和防火安全", "逐户排查取暖设备和用电线路", "组织党员对独居老人家庭开展取暖安全巡查"),
        ("春节前走访慰问困难党员群众", "走访慰问困难党员和老党员", "确定春节前走访慰问名单和慰问标准"),
    ],
    2: [
        ("春节期间安全稳定", "安排党员干部节日值班值守", "落实春节期间24小时值班和烟花爆竹禁放巡查"),
        ("新一年度党建工作计划", "研究制定年度党建工作计划", "通过本年度党支部工作计划"),
    ],
    3: [
        ("春耕备耕", "协调农资供应，开展春耕技术指导", "组织党员志愿者帮助缺劳力农户春耕"),
        ("植树造林和村庄绿化", "组织党员参加义务植树", "划定党员责任绿化区"),
    ],
    4: [
        ("人居环境整治春季行动", "集中清理村内垃圾和残垣断壁", "实行党员门前三包责任制"),
        ("春季森林防火", "在林地和坟地周边设置防火宣传点", "安排党员在清明期间值守防火检查点"),
    ],
    5: [
        ("防汛准备", "清理排水沟渠，检查防汛物资", "成立村防汛抢险突击队"),
        ("三夏生产", "组织农机具检修，做好麦收准备", "协调收割机具，优先保障困难户麦收"),
    ],
    6: [
        ("汛期安全", "排查低洼院落和危旧房屋", "落实汛期危旧房屋人员转移预案"),
        ("庆祝建党纪念日活动", "筹备“七一”走访慰问老党员", "确定“七一”表彰和慰问名单"),
    ],
    7: [
        ("防汛值守", "落实汛期值班和雨情巡查", "党员干部分片包户，强降雨时逐户巡查"),
        ("高温天气安全", "走访高龄老人，发放防暑物品", "调整户外作业时间，防范中暑"),
    ],
    8: [
        ("垃圾分类", "开展垃圾分类入户宣传和桶前值守", "党员每周轮流开展桶前值守"),
        ("秋季征兵宣传", "宣传征兵政策，动员适龄青年报名", "确定本村适龄青年动员名单"),
    ],
    9: [
        ("秋收和秸秆禁烧", "组织秋收，开展秸秆禁烧巡查", "划分禁烧网格，党员包片巡查"),
        ("国庆节前安全生产", "检查村内企业和出租房屋安全", "对发现的安全隐患建立台账限期整改"),
    ],
    10: [
        ("秋季防火", "清理可燃物，开展防火宣传", "落实秋冬季防火巡查制度"),
        ("冬季供暖准备", "检修煤改电设备和村内供电线路", "摸清需要帮扶的取暖困难家庭"),
    ],
    11: [
        ("党员冬训", "组织党员参加冬训集中学习", "制定党员冬训学习计划和补学安排"),
        ("冬季供暖", "开展煤改电设备入户检查", "建立供暖设备故障报修台账"),
    ],
    12: [
        ("年终总结和民主评议党员", "总结全年工作，准备组织生活会", "确定组织生活会和民主评议党员的时间安排"),
        ("冬季安全生产", "检查村内企业和出租房屋消防安全", "对出租房屋开展冬季消防安全检查"),
    ],
}
STUDY = [
    "学习贯彻习近平新时代中国特色社会主义思想",
    "学习《中国共产党农村基层组织工作条例》",
    "学习《中国共产党支部工作条例（试行）》",
    "学习党章和党的纪律规定",
    "学习习近平总书记关于“三农”工作的重要论述",
    "学习乡村振兴有关政策",
    "学习《中国共产党纪律处分条例》",
    "学习习近平总书记关于基层治理的重要论述",
    "学习区委、镇党委有关农村工作的部署",
    "学习全面从严治党有关要求",
]
LECTURES = [
    "坚定理想信念，做合格农村党员",
    "发挥党员先锋模范作用，助力乡村振兴",
    "守纪律讲规矩，做清正廉洁的村干部",
    "传承红色基因，赓续奋斗精神",
    "抓党建促产业，带领群众增收致富",
    "践行群众路线，办好群众身边小事",
]
THEMED_ACTIVITIES = [
    "集中学习并重温入党誓词",
    "人居环境整治志愿服务",
    "走访慰问困难群众",
    "民主议事，讨论村内公共事务",
    "观看警示教育片",
    "参观红色教育基地",
]
ASSEMBLY_ITEMS = [
    "通报本季度支部工作和党费收缴情况",
    "审议村级重大事项",
    "讨论发展党员工作",
    "通报村务财务公开情况",
]
PLACES = ["村委会会议室", "党群服务站", "村党员活动室"]
REVIEW_COMMENTS = [
    "会议程序规范，记录完整。",
    "记录完整，决议事项请抓好落实。",
    "议题明确，讨论充分。",
    "请督促缺席党员及时补学。",
    "请在下次会议通报决议落实情况。",
    "会议记录较简略，请注意记录讨论发言要点。",
]
TOWN_REVIEW_COMMENTS = [
    "安排具体，请抓好各项任务落实。",
    "任务分解到村，请按时间节点督导推进。",
    "请重点关注未按时报送月报的村。",
    "请将各村反映的问题梳理后报镇党委。",
]
ABSENCE_REASONS = ["病假", "外出务工", "事假", "外出务工", "年老行动不便", "在外地照顾家人"]
OFFICER_ABSENCE_REASONS = ["下村督导", "参加区里培训", "病假", "事假"]
INDUSTRY_WORK = {
    # season (by month) -> what a village's industry is busy with
    "spring": "做好春季生产技术指导",
    "summer": "协调销售渠道，帮助农户增收",
    "autumn": "组织采收和农产品销售",
    "winter": "开展冬季管护和技术培训",
}
PROBLEMS = [
    "部分老党员年龄偏大、行动不便，参加集中学习有困难。",
    "外出务工党员较多，组织生活参与率不高。",
    "村集体经济收入来源单一，增收渠道不多。",
    "设施大棚老化，维修资金不足。",
    "煤改电设备故障报修较多，部分农户取暖受影响。",
    "人居环境整治长效管护机制还不健全，部分街巷反弹。",
    "农产品销售渠道有限，价格波动大。",
    "垃圾分类桶站设置不足，分类准确率不高。",
    "年轻党员少，后备干部培养不足。",
    "村内部分道路破损，雨季积水。",
]
SPECIFIC = [
    "具体为：本月缺席党员6人，其中外出务工4人，已安排线上补学。",
    "具体为：东侧两条街巷垃圾堆放反弹，已安排党员包片清理。",
    "具体为：12座大棚棚膜破损，需资金约3万元。",
    "具体为：报修煤改电设备9户，已修复6户，3户等待配件。",
]
REQUESTS = [
    "请总支协调镇农业服务中心开展技术培训。",
    "请协调资金维修村内道路。",
    "申请增配垃圾分类桶站。",
    "请总支帮助对接农产品销售渠道。",
    "请协调供电所对村内线路进行检修。",
    "",
    "",
]
RETURN_REASONS = [
    "数据与会议记录不符，请核对后重新提交。",
    "问题部分过于笼统，请具体说明。",
    "未说明总支交办任务的落实情况，请补充。",
    "请补充主题党日活动的具体内容。",
]
CHECK_COMMENTS = ["已核对会议记录，情况属实。", "已核对。", ""]
APPROVE_COMMENTS = ["同意。", "审核通过。", ""]

# Tasks the town deploys, by calendar month: (title, scope, description). Scope: "generals" (all general
# branches), "villages" (all villages), or an industry whose villages get the task.
TOWN_TASKS = {
    1: [
        ("春节前走访慰问困难党员群众", "villages", "摸清困难党员和困难群众底数，春节前完成走访慰问并报送名单。"),
        ("冬季安全生产大检查", "generals", "各总支组织对所联村的企业、出租房屋开展安全生产检查，建立隐患台账。"),
    ],
    2: [
        ("春节期间安全稳定工作", "generals", "落实节日值班值守，做好烟花爆竹禁放和矛盾纠纷排查。"),
        ("春季防火宣传", "villages", "在村内主要路口、林地设置防火宣传标语，开展入户宣传。"),
    ],
    3: [
        ("春季植树造林和村庄绿化", "villages", "组织党员群众开展义务植树，完成村庄绿化补植任务。"),
        ("学雷锋志愿服务月活动", "generals", "各总支组织所联村党员开展志愿服务，报送活动情况。"),
    ],
    4: [
        ("人居环境整治春季攻坚行动", "villages", "集中清理村内积存垃圾、残垣断壁和乱堆乱放，月底前完成自查。"),
        ("清明节期间森林防火", "generals", "落实清明期间重点部位值守，严防野外用火。"),
    ],
    5: [
        ("防汛准备工作检查", "generals", "检查防汛物资储备、抢险队伍和低洼地区排水设施。"),
        ("桑椹采摘季交通和食品安全保障", "桑椹", "做好采摘季交通疏导、停车管理和食品安全检查。"),
    ],
    6: [
        ("汛期应急演练", "villages", "每村组织一次防汛应急演练，检验人员转移预案。"),
        ("“七一”走访慰问老党员和生活困难党员", "villages", "走访慰问老党员和生活困难党员，报送慰问名单。"),
    ],
    7: [
        ("防汛值班和隐患排查", "generals", "落实汛期24小时值班，对危旧房屋和低洼院落逐户排查。"),
        ("设施大棚高温季节安全检查", "蔬菜", "检查设施大棚用电和通风设施，防范高温季节安全事故。"),
    ],
    8: [
        ("垃圾分类示范村创建", "villages", "开展垃圾分类入户宣传和桶前值守，各村报送创建方案。"),
        ("秋季征兵宣传", "generals", "宣传征兵政策，动员适龄青年报名应征。"),
    ],
    9: [
        ("秋收期间秸秆禁烧", "villages", "落实禁烧网格责任，党员包片巡查，杜绝秸秆焚烧。"),
        ("国庆节前安全生产检查", "generals", "对村内企业、出租房屋和人员密集场所开展安全检查。"),
    ],
    10: [
        ("秋季防火", "villages", "清理林下可燃物，落实秋冬季防火巡查。"),
        ("冬季供暖设备安全检查", "generals", "各总支督导所联村完成煤改电设备和供电线路检查。"),
    ],
    11: [
        ("党员冬训", "generals", "各总支组织所联村党员参加冬训集中学习，做好外出党员补学。"),
        ("煤改电设备入户检查", "villages", "逐户检查煤改电设备运行情况，建立故障报修台账。"),
    ],
    12: [
        ("组织生活会和民主评议党员", "generals", "各总支指导所联村召开组织生活会，开展民主评议党员。"),
        ("冬季安全生产检查", "villages", "检查村内企业和出租房屋消防安全，排查用电隐患。"),
    ],
}
# Tasks a general branch deploys to its villages (one general branch a month, in turn).
BRANCH_TASKS = [
    ("报送党费收缴情况", "核对本季度党费收缴台账，报送总支。"),
    ("村务财务公开检查", "对照公开目录检查村务公开栏，补齐缺项。"),
    ("党员档案整理", "整理党员档案，核对党员基本信息。"),
    ("农村人居环境自查", "对照人居环境整治标准开展自查，报送整改清单。"),
    ("党员积分管理台账核对", "核对党员积分管理台账，做好公示。"),
    ("后备干部摸底", "摸清本村后备干部人选，报送推荐名单。"),
]

# Helpers ----------------------------------------------------------------------------------------------------


def _add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def _last_day(month: datetime.date) -> int:
    return (_add_months(month, 1) - datetime.timedelta(days=1)).day


def _day(month: datetime.date, day: int) -> datetime.date:
    return month.replace(day=max(1, min(day, _last_day(month))))


def _season(month: datetime.date) -> str:
    return {12: "winter", 1: "winter", 2: "winter"}.get(month.month) or ("spring", "summer", "autumn")[
        (month.month - 3) // 3
    ]


def _quarter(month: datetime.date) -> int:
    return (month.month - 1) // 3 + 1


def _short(org: Organization) -> str:
    return org.name.removesuffix("村党支部")


def _rng(*key) -> random.Random:
    return random.Random("-".join([SEED, *map(str, key)]))


class _Counts:
    """What a step did, for its line of output."""

    def __init__(self):
        self.made = Counter()

    def add(self, key, n=1):
        self.made[str(key)] += n


class _Life:
    """The demo town, its officers and members, and the clock of the story."""

    def __init__(self, town: Organization, today: datetime.date):
        self.town = town
        self.today = today
        real_today = timezone.localdate()
        self.real_today = real_today
        if today == real_today:
            self.now = timezone.now()
        else:
            self.now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(18, 0)))
        self.current = today.replace(day=1)
        self.months = [_add_months(self.current, -k) for k in range(MONTHS_BACK, -1, -1)]
        in_town = {"tree_id": town.tree_id, "lft__gt": town.lft, "rght__lt": town.rght}
        nodes = list(Organization.objects.filter(**in_town).select_related("parent").order_by("code"))
        self.generals = [n for n in nodes if n.kind == OrgKind.GENERAL]
        self.villages = [n for n in nodes if n.kind == OrgKind.VILLAGE and n.parent.kind == OrgKind.GENERAL]
        self.villages_of = defaultdict(list)
        for village in self.villages:
            self.villages_of[village.parent_id].append(village)
        self._load_people()
        # Timestamps to move back once the services have run: model -> {pk: {field: value}}.
        self.backdate = defaultdict(lambda: defaultdict(dict))

    def _load_people(self):
        users = {}  # one instance per user, so that each caches its positions once

        def user(u):
            return users.setdefault(u.pk, u)

        positions = (
            Position.objects.active(self.today)
            .filter(
                organization__tree_id=self.town.tree_id,
                organization__lft__gte=self.town.lft,
                organization__rght__lte=self.town.rght,
            )
            .select_related("user")
            .prefetch_related("liaison_villages")
            .order_by("user__username", "pk")
        )
        self.town_user = None
        self.secretary = {}  # general branch or village pk -> user
        self.deputy = {}  # village pk -> liaison deputy
        self.officers = defaultdict(list)  # general branch pk -> users with a position on it
        for position in positions:
            person = user(position.user)
            org_id = position.organization_id
            if position.role == Role.TOWN_CADRE and org_id == self.town.pk:
                if self.town_user is None or person.username == "town":
                    self.town_user = person
            elif position.role in (Role.GENERAL_SECRETARY, Role.VILLAGE_SECRETARY):
                self.secretary.setdefault(org_id, person)
            if position.role == Role.DEPUTY_SECRETARY:
                for village in position.liaison_villages.all():
                    self.deputy.setdefault(village.pk, person)
            if position.role in (Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER):
                if person not in self.officers[org_id]:
                    self.officers[org_id].append(person)
        self.members = defaultdict(list)
        for member in (
            PartyMember.objects.current()
            .filter(branch__in=self.villages)
            .only("id", "name", "joined_on", "status", "branch_id")
            .order_by("id")
        ):
            self.members[member.branch_id].append(member)

    # Time ----------------------------------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def chain(self, times: list[datetime.datetime]) -> list[datetime.datetime]:
        """`times` in order, none in the future: clamped to now, each at least a minute after the one before."""
        result = list(times)
        limit = self.now - datetime.timedelta(minutes=1)
        for i in range(len(result) - 1, -1, -1):
            result[i] = min(result[i], limit)
            limit = result[i] - datetime.timedelta(minutes=1)
        return result

    def stamp(self, obj_or_model, pk=None, **fields):
        model = obj_or_model if pk is not None else type(obj_or_model)
        pk = pk if pk is not None else obj_or_model.pk
        self.backdate[model][pk].update(fields)

    def flush_backdates(self) -> int:
        """Write the collected timestamps with bulk updates (queryset updates: no service, no audit event)."""
        done = 0
        for model, rows in self.backdate.items():
            by_fields = defaultdict(list)
            for pk, values in rows.items():
                by_fields[tuple(sorted(values))].append((pk, values))
            for names, items in by_fields.items():
                objs = []
                for pk, values in items:
                    obj = model(pk=pk)
                    for name, value in values.items():
                        setattr(obj, name, value)
                    objs.append(obj)
                model.objects.bulk_update(objs, list(names), batch_size=BATCH)
                done += len(objs)
        self.backdate.clear()
        return done


# Tasks ------------------------------------------------------------------------------------------------------


def _task_assignees(life: _Life, scope: str, issued_by: Organization) -> list[Organization]:
    if issued_by.kind == OrgKind.GENERAL:
        return list(life.villages_of[issued_by.pk])
    if scope == "generals":
        return list(life.generals)
    if scope == "villages":
        return list(life.villages)
    return [v for v in life.villages if scope in (v.main_industries or "")]


def _plan_tasks(life: _Life) -> list[dict]:
    """The tasks of the year: about two a month from the town, one a month from a general branch in turn."""
    plans = []
    for index, month in enumerate(life.months):
        rng = _rng("tasks", month)
        town_tasks = TOWN_TASKS[month.month]
        # Both of the month's town tasks every other month, the first one otherwise.
        for k, (stem, scope, description) in enumerate(town_tasks[: 2 if index % 2 == 0 else 1]):
            issued = _day(month, rng.randint(2, 8) + 5 * k)
            plans.append(
                {
                    "issued_by": life.town,
                    "actor": life.town_user,
                    "title": f"{month.year}年{stem}",
                    "scope": scope,
                    "description": description,
                    "issued_on": issued,
                    "due_date": issued + datetime.timedelta(days=rng.choice([14, 20, 25, 30, 40])),
                }
            )
        if life.generals:
            general = life.generals[index % len(life.generals)]
            stem, description = BRANCH_TASKS[index % len(BRANCH_TASKS)]
            issued = _day(month, rng.randint(10, 16))
            plans.append(
                {
                    "issued_by": general,
                    "actor": life.secretary.get(general.pk),
                    "title": f"{month.year}年{month.month}月{stem}",
                    "scope": "villages",
                    "description": description,
                    "issued_on": issued,
                    "due_date": issued + datetime.timedelta(days=rng.choice([10, 15, 20])),
                }
            )
    return [p for p in plans if p["issued_on"] <= life.today and p["actor"] is not None]


def _progress_plan(life: _Life, rng: random.Random, issued: datetime.date, due: datetime.date):
    """The progress reports of one assignee: [(status, date)], dates not after today."""
    started = issued + datetime.timedelta(days=rng.randint(1, 6))
    finished = due + datetime.timedelta(days=rng.randint(-12, 2))
    finished = max(finished, started + datetime.timedelta(days=1))
    overdue = due < life.today
    roll = rng.random()
    if overdue and roll < 0.01:
        steps = []  # never reported: overdue and not started
    elif overdue and roll < 0.03:
        steps = [(TaskAssignmentStatus.IN_PROGRESS, started)]  # overdue and not done
    elif not overdue and roll < 0.25:
        steps = []
    else:
        steps = [(TaskAssignmentStatus.IN_PROGRESS, started), (TaskAssignmentStatus.DONE, finished)]
    return [(status, day) for status, day in steps if day <= life.today]


def _load_tasks(life: _Life) -> dict:
    counts = _Counts()
    existing = set(Task.objects.filter(issued_by__tree_id=life.town.tree_id).values_list("issued_by_id", "title"))
    for plan in _plan_tasks(life):
        if (plan["issued_by"].pk, plan["title"]) in existing:
            counts.add("skipped")
            continue
        assignees = _task_assignees(life, plan["scope"], plan["issued_by"])
        if not assignees:
            continue
        task = task_deploy(
            actor=plan["actor"],
            issued_by=plan["issued_by"],
            title=plan["title"],
            description=plan["description"]
            + f"请于{plan['due_date'].month}月{plan['due_date'].day}日前完成并报送进展。",
            due_date=max(plan["due_date"], life.real_today),
            assignees=assignees,
        )
        Task.objects.filter(pk=task.pk).update(issued_on=plan["issued_on"], due_date=plan["due_date"])
        life.stamp(task, created_at=life.at(plan["issued_on"], 9, 30))
        counts.add("tasks")
        by_assignee = {a.assignee_id: a for a in task.assignments.all()}
        for assignee in assignees:
            assignment = by_assignee[assignee.pk]
            assignment.assignee = assignee
            counts.add("assignments")
            actor = life.secretary.get(assignee.pk)
            rng = _rng("progress", task.title, assignee.code)
            steps = _progress_plan(life, rng, plan["issued_on"], plan["due_date"]) if actor else []
            times = life.chain([life.at(day, rng.randint(9, 17), rng.randint(0, 59)) for _, day in steps])
            for (status, _planned), moment in zip(steps, times, strict=True):
                note = (
                    f"已召开专题会议部署，{_short(assignee)}正在组织落实。"
                    if status == TaskAssignmentStatus.IN_PROGRESS
                    else "已按要求完成，相关材料已报送。"
                )
                progress = task_report_progress(
                    actor=actor, assignment=assignment, status=status, note=note, version=assignment.version
                )
                life.stamp(progress, reported_at=moment)
                counts.add("progress")
                if status == TaskAssignmentStatus.DONE:
                    life.stamp(assignment, completed_on=timezone.localdate(moment), updated_at=moment)
                else:
                    life.stamp(assignment, updated_at=moment)
            counts.add(assignment.status)
    return counts.made


# Village meetings -------------------------------------------------------------------------------------------


def _existing_meeting_months(life: _Life) -> set:
    rows = Meeting.objects.filter(organization__tree_id=life.town.tree_id, planned_for__gte=life.months[0]).values_list(
        "organization_id", "planned_for"
    )
    return {(org_id, day.replace(day=1)) for org_id, day in rows}


def _village_schedule(life: _Life, village: Organization, month: datetime.date, laggards: dict) -> list:
    """The meetings a village holds (or plans) in a month: [(kind, day)]."""
    rng = _rng("schedule", village.code, month)
    meetings = []
    current = month == life.current
    miss = 0.10 if current else 0.08
    if rng.random() >= miss:
        meetings.append((MeetingKind.BRANCH_COMMITTEE, rng.randint(2, 8)))
    if rng.random() >= 0.05:
        meetings.append((MeetingKind.PARTY_GROUP, rng.randint(9, 20)))
    if rng.random() >= 0.04:
        meetings.append((MeetingKind.THEMED_DAY, rng.choice([10, 15, 15, 20, 25])))
    # Quarterly: in one month of the quarter, chosen per village and quarter.
    offset = (month.month - 1) % 3
    for kind in (MeetingKind.BRANCH_ASSEMBLY, MeetingKind.PARTY_LECTURE):
        q_rng = _rng("quarter", village.code, month.year, _quarter(month), kind)
        chosen = q_rng.choice([0, 1, 2, 2])
        in_current_quarter = _quarter(month) == _quarter(life.current) and month.year == life.current.year
        if in_current_quarter:
            current_offset = (life.current.month - 1) % 3
            if village.pk in laggards[kind]:
                # Not held yet this quarter: planned for the end of the quarter's last month, if that is now.
                if current and current_offset == 2:
                    meetings.append((kind, 28))
                continue
            chosen = min(chosen, current_offset)
        if chosen == offset:
            day = q_rng.randint(18, 27)
            if current and day > life.today.day:
                day = max(1, life.today.day - q_rng.randint(0, 6))  # only the laggards are still due
            meetings.append((kind, day))
    if month.month == 12:
        meetings.append((MeetingKind.ORG_LIFE, rng.randint(20, 28)))
    if not meetings:
        # Every village-month keeps at least one meeting: a second load recognises the month by it.
        meetings.append((MeetingKind.PARTY_GROUP, rng.randint(9, 20)))
    return [(kind, _day(month, day)) for kind, day in meetings]


def _village_roles(village: Organization, members: list) -> tuple[list, list[list]]:
    """The committee (members who sit on the branch committee) and the party groups of a village."""
    rng = _rng("roles", village.code)
    full = [m for m in members if m.status == MemberStatus.FULL]
    committee = rng.sample(full, min(len(full), rng.choice([4, 5, 6])))
    groups = max(1, round(len(members) / 15))
    return committee, [members[g::groups] for g in range(groups)]


def _attendance(rng, people: list, *, reasons=ABSENCE_REASONS, member=True) -> list[AttendanceLine]:
    lines = []
    absent_share = rng.uniform(0.04, 0.16)
    for person in people:
        present = rng.random() >= absent_share
        reason = "" if present else rng.choice(reasons)
        if member:
            lines.append(AttendanceLine(member=person, present=present, absence_reason=reason))
        else:
            lines.append(AttendanceLine(user=person, present=present, absence_reason=reason))
    if len(lines) >= 8 and all(line.present for line in lines):
        # A large meeting rarely has everyone: one absence, with its reason.
        line = rng.choice(lines)
        line.present, line.absence_reason = False, rng.choice(reasons)
    return lines


def _village_meeting_text(life, village, month, kind, day, attendance, committee, group_no, rng) -> dict:
    work, action, decision = rng.choice(SEASON[month.month])
    study = rng.choice(STUDY)
    secretary = life.secretary[village.pk]
    host = secretary.full_name or secretary.username
    recorder = committee[1].name if len(committee) > 1 else host
    present = sum(line.present for line in attendance)
    absent = [line for line in attendance if not line.present]
    absent_text = (
        "缺席" + "、".join(f"{line.member.name}（{line.absence_reason}）" for line in absent[:4])
        if absent
        else "无缺席"
    )
    head = f"{month.year}年{month.month}月"
    quarter = f"{month.year}年第{_quarter(month)}季度"
    observers = ""
    if kind == MeetingKind.BRANCH_COMMITTEE:
        title = f"{head}支委会：研究{work}工作"
        topics = f"1. {study}\n2. 研究{work}工作\n3. 通报上月决议落实情况"
        minutes = f"{host}传达了{study}的有关要求；与会支委围绕{work}逐项讨论，提出{action}的具体安排。"
        decisions = f"1. {decision}；\n2. 由{recorder}负责跟踪落实。\n表决方式：举手表决，全体支委同意。"
        deputy = life.deputy.get(village.pk)
        if deputy is not None and rng.random() < 0.3:
            observers = f"包村副书记{deputy.full_name or deputy.username}"
    elif kind == MeetingKind.PARTY_GROUP:
        title = f"{head}第{group_no}党小组会：{study}"
        topics = f"1. {study}\n2. 交流{work}中党员发挥作用情况"
        minutes = f"党小组组长领学{study}；党员结合{work}交流体会，{max(2, present // 3)}名党员发言。"
        decisions = "党小组成员分片联系农户，做好政策宣传。"
    elif kind == MeetingKind.THEMED_DAY:
        activity = rng.choice(THEMED_ACTIVITIES)
        title = f"{head}主题党日：{activity}"
        topics = f"1. {activity}\n2. {study}\n3. 交纳党费"
        minutes = f"全体党员{activity}，{study}，并结合{work}开展讨论。"
        decisions = f"组织党员参与{work}，{decision}。"
    elif kind == MeetingKind.BRANCH_ASSEMBLY:
        items = rng.sample(ASSEMBLY_ITEMS, 2)
        title = f"{quarter}支部党员大会"
        topics = "\n".join(f"{n}. {item}" for n, item in enumerate([*items, f"部署{work}工作"], start=1))
        minutes = f"{host}{items[0]}；与会党员对{items[1].removeprefix('讨论').removeprefix('审议')}进行了讨论。"
        decisions = (
            f"应到{len(attendance)}人，实到{present}人，超过应到人数的一半，会议有效。\n"
            f"经举手表决，同意{present}人，反对0人，弃权0人，通过。"
        )
    elif kind == MeetingKind.PARTY_LECTURE:
        lecture = rng.choice(LECTURES)
        title = f"{quarter}党课：{lecture}"
        topics = f"村党支部书记{host}讲党课：{lecture}"
        minutes = f"{host}以“{lecture}”为题讲党课，结合本村{work}谈体会；党员围绕发言交流。"
        decisions = "党员撰写学习体会，党小组内交流。"
    else:  # organizational life meeting
        title = f"{month.year}年度组织生活会暨民主评议党员"
        topics = "1. 支部班子对照检查\n2. 党员开展批评和自我批评\n3. 民主评议党员"
        minutes = f"{host}代表支委会作对照检查；党员逐一发言，开展批评和自我批评。"
        decisions = f"民主评议党员：参评{present}人，评定优秀{max(1, present // 5)}人，其余合格。"
    return {
        "title": title[:100],
        "topics": topics,
        "place": rng.choice(PLACES) if kind != MeetingKind.THEMED_DAY else rng.choice(["党群服务站", "村内主要街道"]),
        "host": host[:30],
        "recorder": recorder[:30],
        "observers": observers,
        "minutes": f"{minutes}（{absent_text}）",
        "decisions": decisions,
    }


def _load_village_meetings(life: _Life) -> dict:
    counts = _Counts()
    existing = _existing_meeting_months(life)
    pick = _rng("laggards", life.current)
    laggards = {
        kind: {v.pk for v in pick.sample(life.villages, min(len(life.villages), n))}
        for kind, n in ((MeetingKind.PARTY_LECTURE, 2), (MeetingKind.BRANCH_ASSEMBLY, 3))
    }
    for village in life.villages:
        secretary = life.secretary.get(village.pk)
        reviewer = life.secretary.get(village.parent_id)
        members = life.members[village.pk]
        if secretary is None or not members:
            counts.add("villages without secretary or members")
            continue
        committee, groups = _village_roles(village, members)
        for age, month in enumerate(reversed(life.months)):
            if (village.pk, month) in existing:
                counts.add("village-months already there")
                continue
            for kind, day in _village_schedule(life, village, month, laggards):
                rng = _rng("meeting", village.code, month, kind)
                group_no = month.month % len(groups) + 1
                if kind == MeetingKind.BRANCH_COMMITTEE:
                    people = committee
                elif kind == MeetingKind.PARTY_GROUP:
                    people = groups[group_no - 1]
                elif age < FULL_ATTENDANCE_MONTHS:
                    people = members
                else:
                    people = sorted(rng.sample(members, min(len(members), OLD_ATTENDANCE_SAMPLE)), key=lambda m: m.pk)
                people = [m for m in people if m.joined_on <= day]
                attendance = _attendance(rng, people)
                text = _village_meeting_text(life, village, month, kind, day, attendance, committee, group_no, rng)
                meeting = meeting_plan(
                    actor=secretary,
                    organization=village,
                    kind=kind,
                    title=text["title"],
                    planned_for=day,
                    topics=text["topics"],
                )
                planned_at = life.at(day - datetime.timedelta(days=rng.randint(3, 10)), 10)
                life.stamp(meeting, created_at=planned_at, updated_at=planned_at)
                counts.add("meetings")
                # In the current month, meetings after today are planned; a few past ones wait to be recorded.
                if day > life.today or (age == 0 and rng.random() < 0.05):
                    counts.add(MeetingStatus.PLANNED)
                    continue
                meeting = meeting_record(
                    actor=secretary,
                    meeting=meeting,
                    version=meeting.version,
                    held_on=day,
                    attendance=attendance,
                    **{k: v for k, v in text.items() if k != "title"},
                )
                counts.add("attendance lines", len(attendance))
                recorded_at = life.chain([life.at(day, 18)])[0]
                review_share = {0: 0.25, 1: 0.6}.get(age, 0.92)
                review_day = day + datetime.timedelta(days=rng.randint(3, 12))
                if reviewer is not None and review_day <= life.today and rng.random() < review_share:
                    meeting = meeting_review(actor=reviewer, meeting=meeting, comment=rng.choice(REVIEW_COMMENTS))
                    reviewed_at = life.chain([recorded_at, life.at(review_day, rng.randint(9, 17))])[1]
                    life.stamp(meeting, created_at=planned_at, reviewed_at=reviewed_at, updated_at=reviewed_at)
                    counts.add(MeetingStatus.REVIEWED)
                else:
                    life.stamp(meeting, created_at=planned_at, updated_at=recorded_at)
                    counts.add(MeetingStatus.HELD)
    return counts.made


# General-branch work meetings and town leadership meetings --------------------------------------------------


def _open_tasks_for(general: Organization, month: datetime.date, day: datetime.date) -> list[Task]:
    """Deployed tasks of the general branch (to it or its villages, or by it) open during the month."""
    return list(
        Task.objects.filter(
            issued_on__lte=day,
            due_date__gte=month,
        )
        .filter(
            pk__in=TaskAssignment.objects.filter(
                assignee__tree_id=general.tree_id, assignee__lft__gte=general.lft, assignee__rght__lte=general.rght
            ).values("task_id")
        )
        .order_by("issued_on", "pk")[:3]
    )


def _work_meeting_day(life: _Life, general: Organization, month: datetime.date) -> datetime.date:
    rng = _rng("work-day", general.code, month)
    if month == life.current and life.generals.index(general) % 2 == 1:
        # Half of the general branches hold this month's meeting later in the month: still planned today.
        return _day(month, max(life.today.day + rng.randint(1, 4), 20))
    return _day(month, rng.randint(6, 10))


def _load_work_meetings(life: _Life) -> dict:
    counts = _Counts()
    existing = _existing_meeting_months(life)
    for general in life.generals:
        secretary = life.secretary.get(general.pk)
        officers = life.officers[general.pk]
        villages = life.villages_of[general.pk]
        if secretary is None:
            counts.add("general branches without secretary")
            continue
        deputies = [u for u in officers if u is not secretary]
        for month in life.months:
            if (general.pk, month) in existing:
                counts.add("months already there")
                continue
            rng = _rng("work", general.code, month)
            day = _work_meeting_day(life, general, month)
            work, action, _decision = rng.choice(SEASON[month.month])
            title = f"{month.year}年{month.month}月{general.name}工作例会"
            meeting = meeting_plan(
                actor=secretary,
                organization=general,
                kind=MeetingKind.WORK_MEETING,
                title=title,
                planned_for=day,
                topics=f"1. 传达镇党委{month.month}月工作部署\n2. 安排{work}工作\n3. 听取各村工作汇报",
            )
            planned_at = life.at(day - datetime.timedelta(days=rng.randint(2, 5)), 9)
            held = day <= life.today
            agenda = [
                AgendaLine(title=f"传达镇党委{month.month}月工作部署", outcome="各村对照部署逐项落实。" if held else "")
            ]
            for task in _open_tasks_for(general, month, day):
                agenda.append(
                    AgendaLine(
                        title=f"推进：{task.title}",
                        task=task,
                        outcome=f"明确责任人，{task.due_date.month}月{task.due_date.day}日前完成。" if held else "",
                    )
                )
            for village in rng.sample(villages, min(2, len(villages))):
                problem = rng.choice(PROBLEMS).rstrip("。")
                deputy = life.deputy.get(village.pk)
                lead = (deputy.full_name or deputy.username) if deputy else (secretary.full_name or secretary.username)
                agenda.append(
                    AgendaLine(
                        title=f"{_short(village)}村：{problem}",
                        village=village,
                        outcome=f"由{lead}牵头协调，下次例会前反馈。" if held else "",
                    )
                )
            meeting_set_agenda(actor=secretary, meeting=meeting, items=agenda)
            counts.add("meetings")
            counts.add("agenda items", len(agenda))
            if not held:
                life.stamp(meeting, created_at=planned_at, updated_at=planned_at)
                counts.add(MeetingStatus.PLANNED)
                continue
            attendance = _attendance(rng, officers, reasons=OFFICER_ABSENCE_REASONS, member=False)
            host = secretary.full_name or secretary.username
            recorder = (deputies[0].full_name or deputies[0].username) if deputies else host
            meeting = meeting_record(
                actor=secretary,
                meeting=meeting,
                version=meeting.version,
                held_on=day,
                attendance=attendance,
                place=f"{general.name}办公室",
                host=host[:30],
                recorder=recorder[:30],
                minutes=(
                    f"{host}传达镇党委{month.month}月工作部署；各包村副书记和村党支部书记汇报所联村{work}"
                    f"和月报报送情况，就{action}交流做法。"
                ),
                decisions=f"1. {_decision}；\n2. 各村于下月{report_due_date(month).day}日前报送月报。",
            )
            counts.add("attendance lines", len(attendance))
            recorded_at = life.chain([life.at(day, 17)])[0]
            review_day = day + datetime.timedelta(days=rng.randint(2, 8))
            if life.town_user is not None and review_day <= life.today and month != life.current:
                meeting = meeting_review(
                    actor=life.town_user, meeting=meeting, comment=rng.choice(TOWN_REVIEW_COMMENTS)
                )
                reviewed_at = life.chain([recorded_at, life.at(review_day, 15)])[1]
                life.stamp(meeting, created_at=planned_at, reviewed_at=reviewed_at, updated_at=reviewed_at)
                counts.add(MeetingStatus.REVIEWED)
            else:
                life.stamp(meeting, created_at=planned_at, updated_at=recorded_at)
                counts.add(MeetingStatus.HELD)
    return counts.made


def _load_leadership_meetings(life: _Life) -> dict:
    counts = _Counts()
    if life.town_user is None:
        counts.add("no town cadre")
        return counts.made
    existing = _existing_meeting_months(life)
    heard = [life.secretary[g.pk] for g in life.generals if g.pk in life.secretary]
    people = [life.town_user, *[u for u in heard if u is not life.town_user]]
    for month in life.months:
        if (life.town.pk, month) in existing:
            counts.add("months already there")
            continue
        rng = _rng("leadership", month)
        day = _day(month, rng.randint(14, 18))
        work, _action, _decision = rng.choice(SEASON[month.month])
        meeting = meeting_plan(
            actor=life.town_user,
            organization=life.town,
            kind=MeetingKind.LEADERSHIP,
            title=f"{month.year}年{month.month}月镇党委班子会：听取各联村党总支工作汇报",
            planned_for=day,
            topics="\n".join(f"{n}. 听取{g.name}工作汇报" for n, g in enumerate(life.generals, start=1))
            + f"\n{len(life.generals) + 1}. 研究部署{work}工作",
        )
        planned_at = life.at(day - datetime.timedelta(days=3), 9)
        counts.add("meetings")
        if day > life.today:
            life.stamp(meeting, created_at=planned_at, updated_at=planned_at)
            counts.add(MeetingStatus.PLANNED)
            continue
        attendance = _attendance(rng, people, reasons=OFFICER_ABSENCE_REASONS, member=False)
        attendance[0].present, attendance[0].absence_reason = True, ""  # the town's own cadre records it
        meeting_record(
            actor=life.town_user,
            meeting=meeting,
            version=meeting.version,
            held_on=day,
            attendance=attendance,
            place="镇政府第一会议室",
            host="镇党委书记",
            recorder=(life.town_user.full_name or life.town_user.username)[:30],
            minutes="各联村党总支书记依次汇报本月工作部署落实、三会一课开展和村级月报报送情况。",
            decisions=f"1. 各总支抓好{work}工作；\n2. 对月报迟报、漏报的村，由总支书记约谈村党支部书记。",
        )
        counts.add("attendance lines", len(attendance))
        stamped = life.chain([life.at(day, 17)])[0]
        life.stamp(meeting, created_at=planned_at, updated_at=stamped)
        counts.add(MeetingStatus.HELD)
    return counts.made


# Monthly reports --------------------------------------------------------------------------------------------

# How a report's story goes: the states it passes through after being drafted.
APPROVED, APPROVED_AFTER_DEPUTY_RETURN, APPROVED_AFTER_SECRETARY_RETURN = "approved", "dep-returned", "sec-returned"
SUBMITTED, CHECKED, RETURNED, DRAFT, MISSING = "submitted", "checked", "returned", "draft", "missing"


def _report_plans(life: _Life, month: datetime.date) -> dict[int, tuple[str, bool]]:
    """For each village: (how its report for `month` goes, whether it is first submitted late)."""
    villages = list(life.villages)
    n = len(villages)
    rng = _rng("report-plan", month)
    order = rng.sample(villages, n)
    plans = {}
    if month == life.current:
        drafts, submitted = round(n / 3), max(1, round(n * 0.09))
        for i, village in enumerate(order):
            plans[village.pk] = (DRAFT if i < drafts else SUBMITTED if i < drafts + submitted else MISSING, False)
        return plans
    if month == _add_months(life.current, -1):
        # Last month: a few missing or still drafts, some awaiting review, most approved.
        slices = [
            (MISSING, max(1, round(n * 0.08))),
            (DRAFT, max(1, round(n * 0.05))),
            (RETURNED, max(1, round(n * 0.03))),
            (SUBMITTED, max(1, round(n * 0.12))),
            (CHECKED, max(1, round(n * 0.09))),
            (APPROVED_AFTER_DEPUTY_RETURN, 1),
            (APPROVED_AFTER_SECRETARY_RETURN, 1),
        ]
        kinds = [kind for kind, count in slices for _ in range(count)]
        kinds += [APPROVED] * max(0, n - len(kinds))
        for village, kind in zip(order, kinds, strict=False):
            plans[village.pk] = (kind, rng.random() < 0.10)
        return plans
    for village in order:
        roll = rng.random()
        kind = (
            APPROVED_AFTER_DEPUTY_RETURN
            if roll < 0.05
            else APPROVED_AFTER_SECRETARY_RETURN
            if roll < 0.08
            else APPROVED
        )
        plans[village.pk] = (kind, rng.random() < 0.10)
    return plans


def _report_text(life: _Life, village: Organization, month: datetime.date, rng: random.Random) -> dict:
    held = Counter(
        Meeting.objects.filter(
            organization=village,
            status__in=[MeetingStatus.HELD, MeetingStatus.REVIEWED],
            held_on__year=month.year,
            held_on__month=month.month,
        ).values_list("kind", flat=True)
    )
    work, action, _decision = rng.choice(SEASON[month.month])
    parts = [f"召开支委会{held[MeetingKind.BRANCH_COMMITTEE]}次、党小组会{held[MeetingKind.PARTY_GROUP]}次"]
    if held[MeetingKind.THEMED_DAY]:
        parts.append(f"开展主题党日{held[MeetingKind.THEMED_DAY]}次")
    if held[MeetingKind.BRANCH_ASSEMBLY]:
        parts.append("召开支部党员大会1次")
    if held[MeetingKind.PARTY_LECTURE]:
        parts.append("书记讲党课1次")
    if held[MeetingKind.ORG_LIFE]:
        parts.append("召开组织生活会并开展民主评议党员")
    industries = (village.main_industries or "特色").split("、")[0].split("（")[0]
    narrative = (
        f"本月，{_short(village)}村党支部" + "、".join(parts) + "。"
        f"围绕{work}，{action}，党员带头参与。"
        f"结合{industries}产业，{INDUSTRY_WORK[_season(month)]}。"
    )
    problems = " ".join(rng.sample(PROBLEMS, rng.choice([1, 1, 2])))
    return {"narrative": narrative, "problems": problems, "requests": rng.choice(REQUESTS)}


def _load_reports(life: _Life) -> dict:
    counts = _Counts()
    existing = set(
        MonthlyReport.objects.filter(village__in=life.villages, month__gte=life.months[0]).values_list(
            "village_id", "month"
        )
    )
    timelines = {}  # report pk -> the times of its transitions, in order
    for month in life.months:
        plans = _report_plans(life, month)
        due = report_due_date(month)
        for village in life.villages:
            kind, late = plans[village.pk]
            if kind == MISSING:
                counts.add("missing")
                continue
            if (village.pk, month) in existing:
                counts.add("already there")
                continue
            writer = life.secretary.get(village.pk)
            deputy = life.deputy.get(village.pk)
            approver = life.secretary.get(village.parent_id)
            if writer is None or approver is None:
                counts.add("villages without secretary")
                continue
            rng = _rng("report", village.code, month)
            text = _report_text(life, village, month, rng)
            report = report_start(actor=writer, village=village, month=month)
            report = report_save(actor=writer, report=report, version=report.version, **text)
            counts.add("reports")
            if month == life.current:
                started = life.at(_day(month, max(1, life.today.day - rng.randint(0, 4))), rng.randint(9, 16))
                first = started + datetime.timedelta(hours=rng.randint(1, 30))
            else:
                started = life.at(_day(month, rng.randint(24, 31)), rng.randint(9, 16))
                first_day = (
                    due + datetime.timedelta(days=rng.randint(3, 7)) if late else _day(due, rng.randint(1, due.day))
                )
                first = life.at(first_day, rng.randint(8, 20), rng.randint(0, 59))
            if kind == DRAFT:
                life.stamp(report, created_at=life.chain([started])[0], updated_at=life.chain([started])[0])
                counts.add(ReportStatus.DRAFT)
                continue

            def later(moment, low=1, high=2, rng=rng):
                return moment + datetime.timedelta(days=rng.randint(low, high), hours=rng.randint(0, 6))

            # The steps, each with its planned time; the services run them now, the times are stamped after.
            steps = [("submit", first)]
            if kind == APPROVED_AFTER_DEPUTY_RETURN and deputy is None:
                kind = APPROVED_AFTER_SECRETARY_RETURN
            if kind == RETURNED:
                steps.append(("return-deputy" if deputy else "return-secretary", later(first)))
            elif kind in (APPROVED, CHECKED, APPROVED_AFTER_DEPUTY_RETURN, APPROVED_AFTER_SECRETARY_RETURN):
                if kind == APPROVED_AFTER_DEPUTY_RETURN:
                    steps.append(("return-deputy", later(first)))
                    steps.append(("resubmit", later(steps[-1][1])))
                if deputy is not None:
                    steps.append(("check", later(steps[-1][1], 0, 2)))
                if kind == APPROVED_AFTER_SECRETARY_RETURN:
                    steps.append(("return-secretary", later(steps[-1][1])))
                    steps.append(("resubmit", later(steps[-1][1])))
                    if deputy is not None:
                        steps.append(("check", later(steps[-1][1], 0, 1)))
                if kind != CHECKED:
                    steps.append(("approve", later(steps[-1][1], 1, 3)))
            times = life.chain([started] + [moment for _, moment in steps])
            started, times = times[0], times[1:]
            transition_times = []
            for (step, _), moment in zip(steps, times, strict=True):
                if step in ("submit", "resubmit"):
                    if step == "resubmit":
                        revised = dict(text)
                        revised["problems"] = f"{text['problems']} {rng.choice(SPECIFIC)}"
                        report = report_save(actor=writer, report=report, version=report.version, **revised)
                    report = report_submit(actor=writer, report=report, version=report.version)
                elif step == "check":
                    report = report_check(actor=deputy, report=report, comment=rng.choice(CHECK_COMMENTS))
                elif step == "return-deputy":
                    report = report_return(actor=deputy, report=report, reason=rng.choice(RETURN_REASONS))
                    counts.add("returned once")
                elif step == "return-secretary":
                    report = report_return(actor=approver, report=report, reason=rng.choice(RETURN_REASONS))
                    counts.add("returned once")
                elif step == "approve":
                    report = report_approve(actor=approver, report=report, comment=rng.choice(APPROVE_COMMENTS))
                transition_times.append(moment)
            submits = [moment for (step, _), moment in zip(steps, times, strict=True) if step in ("submit", "resubmit")]
            fields = {
                "created_at": started,
                "updated_at": times[-1],
                "first_submitted_at": submits[0],
                "submitted_at": submits[-1],
            }
            if report.status == ReportStatus.APPROVED:
                fields["approved_at"] = times[-1]
            life.stamp(report, **fields)
            timelines[report.pk] = transition_times
            counts.add(report.status)
            if timezone.localdate(submits[0]) > due:
                counts.add("late")
    # The transitions' times, in the order the services wrote them.
    by_report = defaultdict(list)
    pks = list(timelines)
    for start in range(0, len(pks), BATCH):
        for pk, report_id in (
            ReportTransition.objects.filter(report_id__in=pks[start : start + BATCH])
            .order_by("report_id", "id")
            .values_list("pk", "report_id")
        ):
            by_report[report_id].append(pk)
    for report_id, transition_pks in by_report.items():
        for pk, moment in zip(transition_pks, timelines[report_id], strict=True):
            life.stamp(ReportTransition, pk, at=moment)
        counts.add("transitions", len(transition_pks))
    return counts.made


# Entry point ------------------------------------------------------------------------------------------------


def _line(stdout, label: str, made: dict, keys: list[str]) -> None:
    parts = [f"{made.get(key, 0):,} {key}" for key in keys if made.get(key)]
    extra = [f"{value:,} {key}" for key, value in made.items() if key not in keys and value]
    stdout.write(f"{label}: " + (", ".join(parts + extra) or "nothing new"))


def load(stdout=None, today: datetime.date | None = None) -> None:
    """Add (or complete) a year of branch life on the demo town, in one transaction."""
    from .demo import TOWN_CODE

    if not isinstance(stdout, OutputWrapper):
        stdout = OutputWrapper(stdout or sys.stdout)
    today = today or timezone.localdate()
    if today > timezone.localdate():
        raise ValueError("The demo's story cannot end after today: the services refuse records in the future.")
    town = Organization.objects.filter(code=TOWN_CODE).first()
    if town is None:
        stdout.write("Branch life: the demo town is not loaded; nothing done")
        return
    with transaction.atomic():
        life = _Life(town, today)
        stdout.write(
            f"Branch life: {life.months[0]:%Y-%m} to {life.current:%Y-%m} (today {today}), "
            f"{len(life.generals)} general branches, {len(life.villages)} villages"
        )
        made = _load_tasks(life)
        _line(stdout, "  Deployed tasks", made, ["tasks", "assignments", "progress", "done", "in_progress", "pending"])
        made = _load_village_meetings(life)
        _line(stdout, "  Village meetings", made, ["meetings", "reviewed", "held", "planned", "attendance lines"])
        made = _load_work_meetings(life)
        _line(stdout, "  Work meetings", made, ["meetings", "reviewed", "held", "planned", "agenda items"])
        made = _load_leadership_meetings(life)
        _line(stdout, "  Leadership meetings", made, ["meetings", "held", "planned", "attendance lines"])
        made = _load_reports(life)
        _line(
            stdout,
            "  Monthly reports",
            made,
            ["reports", "approved", "checked", "submitted", "returned", "draft", "missing", "late", "returned once"],
        )
        stdout.write(f"  Timestamps moved back to the story's dates: {life.flush_backdates():,} rows")
