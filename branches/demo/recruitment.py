"""Demo: a dozen recruitment cases (发展党员) at different steps, spread over the villages of every general branch.

Each is written through the actions with the village secretary as the actor, on dates that keep every timing
rule, ending on or before the story's today; a candidate past step 12 has the general branch's pre-review,
submitted by the village and approved by the general-branch secretary. The demo stops short of step 17 (the
approval that puts a person on the roster), so that the roster keeps the 1,619 members of the source. Two cases
wait for a step whose deadline has passed or is near, so the to-do lists show them. A village that already has a
case is left as it is.
"""

import datetime

from ..actions import case_open, case_transition, recruitment_open, recruitment_record_step
from ..models import RecruitmentCase, RecruitmentPreReview
from ..validators import id_check_char
from .common import Counts, Life, seeded

# Days after the application on which each step is taken: every rule in force holds.
OFFSETS = {1: 0, 2: 15, 3: 50, 4: 55, 5: 55, 6: 230, 7: 420, 8: 428, 9: 433, 10: 450, 11: 490, 12: 510, 13: 520,
           14: 530, 15: 545, 16: 560}  # fmt: skip
# (steps recorded, days between the last step and today): the last two wait beyond or near a deadline.
STORIES = [(1, 3), (2, 20), (3, 30), (5, 40), (6, 60), (7, 10), (9, 20), (11, 15), (12, 5), (14, 5), (1, 40), (16, 80)]
NAMES = [
    "王静怡",
    "李晨阳",
    "张雨涵",
    "刘子轩",
    "陈思远",
    "杨梦琪",
    "赵宇航",
    "黄欣然",
    "周博文",
    "吴佳慧",
    "徐浩然",
    "孙雅琪",
]
VOTES = {12: (5, 5, 5), 15: (30, 24, 22)}


def _id_number(birth: datetime.date, female: bool, n: int) -> str:
    first = f"110115{birth:%Y%m%d}{(n * 2 + (0 if female else 1)) % 1000:03d}"
    return first + id_check_char(first)


def load_recruitment(life: Life) -> dict:
    counts = Counts()
    villages = [v for v in life.villages if life.secretary.get(v.pk)]
    # Spread over the general branches: take the villages in turn from each.
    by_general = [life.villages_of[g.pk] for g in life.generals]
    spread = [vs[i] for i in range(6) for vs in by_general if i < len(vs) and vs[i] in villages][: len(STORIES)]
    taken = set(RecruitmentCase.objects.filter(village__in=spread).values_list("village", flat=True))
    for n, (village, (upto, wait)) in enumerate(zip(spread, STORIES, strict=False)):
        if village.pk in taken:
            continue
        actor = life.secretary[village.pk]
        approver = life.secretary.get(village.parent_id)
        rng = seeded("recruitment", village.code)
        applied = life.today - datetime.timedelta(days=OFFSETS[upto] + wait)
        birth = datetime.date(rng.randint(1988, 2002), rng.randint(1, 12), rng.randint(1, 28))
        female = n % 2 == 0
        case = recruitment_open(
            actor=actor,
            village=village,
            name=NAMES[n],
            gender="female" if female else "male",
            birth_date=birth,
            id_number=_id_number(birth, female, 400 + n),
            applied_on=applied,
            note="本人递交入党申请书。",
        )
        counts.add("cases")
        for number in range(2, upto + 1):
            if number == 13:
                if approver is None:
                    break
                review = case_open(
                    actor=actor,
                    model=RecruitmentPreReview,
                    village=village,
                    recruitment=case,
                    title=f"预审：{case.name}",
                    summary="入党动机端正，政审合格，集中培训结业。",
                )
                case_transition(actor=actor, case=review, name="submit")
                case_transition(actor=approver, case=review, name="approve", comment="同意，报镇党委预审。")
                counts.add("pre-reviews")
            vote = dict(zip(("expected", "present", "in_favour"), VOTES.get(number, (None,) * 3), strict=True))
            people = "培养联系人：两名正式党员" if number == 5 else "入党介绍人：两名正式党员" if number == 9 else ""
            recruitment_record_step(
                actor=actor, case=case, number=number, done_on=applied + datetime.timedelta(days=OFFSETS[number]),
                people=people, **vote,
            )  # fmt: skip
            case.refresh_from_db()
            counts.add("steps")
    return dict(counts.made)
