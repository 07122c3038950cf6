"""Demo: village meetings (三会一课, themed party days), general-branch work meetings, leadership meetings."""

import datetime

from ..actions import AgendaLine, AttendanceLine, meeting_plan, meeting_record, meeting_review, meeting_set_agenda
from ..choices import MeetingKind, MeetingStatus
from ..models import Meeting, Organization, Task, TaskAssignment, report_due_date
from ..tree import subtree_q
from .committees import village_roles
from .common import Counts, Life, day_of, quarter_of, seeded, short_name
from .story import (
    ABSENCE_REASONS,
    ASSEMBLY_ITEMS,
    FULL_ATTENDANCE_MONTHS,
    LECTURES,
    OFFICER_ABSENCE_REASONS,
    OLD_ATTENDANCE_SAMPLE,
    PLACES,
    PROBLEMS,
    REVIEW_COMMENTS,
    SEASON,
    STUDY,
    THEMED_ACTIVITIES,
    TOWN_REVIEW_COMMENTS,
)


def _existing_meeting_months(life: Life) -> set:
    rows = Meeting.objects.filter(organization__tree_id=life.town.tree_id, planned_for__gte=life.months[0]).values_list(
        "organization_id", "planned_for"
    )
    return {(org_id, day.replace(day=1)) for org_id, day in rows}


def _village_schedule(life: Life, village: Organization, month: datetime.date, laggards: dict) -> list:
    """The meetings a village holds (or plans) in a month: [(kind, day)]."""
    rng = seeded("schedule", village.code, month)
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
        q_rng = seeded("quarter", village.code, month.year, quarter_of(month), kind)
        chosen = q_rng.choice([0, 1, 2, 2])
        in_current_quarter = quarter_of(month) == quarter_of(life.current) and month.year == life.current.year
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
    return [(kind, day_of(month, day)) for kind, day in meetings]


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
    quarter = f"{month.year}年第{quarter_of(month)}季度"
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


def load_village_meetings(life: Life) -> dict:
    counts = Counts()
    existing = _existing_meeting_months(life)
    pick = seeded("laggards", life.current)
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
        committee, groups = village_roles(life, village)
        if not committee or not groups:
            counts.add("villages without a committee or party groups")
            continue
        for age, month in enumerate(reversed(life.months)):
            if (village.pk, month) in existing:
                counts.add("village-months already there")
                continue
            for kind, day in _village_schedule(life, village, month, laggards):
                rng = seeded("meeting", village.code, month, kind)
                group_no = month.month % len(groups) + 1
                if kind == MeetingKind.BRANCH_COMMITTEE:
                    people = committee
                elif kind == MeetingKind.PARTY_GROUP:
                    people = groups[group_no - 1][1]
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
                    party_group=groups[group_no - 1][0] if kind == MeetingKind.PARTY_GROUP else None,
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
        .filter(pk__in=TaskAssignment.objects.filter(subtree_q(general, "assignee")).values("task_id"))
        .order_by("issued_on", "pk")[:3]
    )


def _work_meeting_day(life: Life, general: Organization, month: datetime.date) -> datetime.date:
    rng = seeded("work-day", general.code, month)
    if month == life.current and life.generals.index(general) % 2 == 1:
        # Half of the general branches hold this month's meeting later in the month: still planned today.
        return day_of(month, max(life.today.day + rng.randint(1, 4), 20))
    return day_of(month, rng.randint(6, 10))


def load_work_meetings(life: Life) -> dict:
    counts = Counts()
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
            rng = seeded("work", general.code, month)
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
                        title=f"{short_name(village)}村：{problem}",
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


def load_leadership_meetings(life: Life) -> dict:
    counts = Counts()
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
        rng = seeded("leadership", month)
        day = day_of(month, rng.randint(14, 18))
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
