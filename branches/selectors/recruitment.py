"""Reads of the recruitment (发展党员): the rows of the case list, a case's timeline of the 25 steps with the next
step's window from the timing rules, the cases whose next step is due, and the recruits by stage of a village for
the monthly report's figures."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone

from ..models import RecruitmentCase, RecruitmentRule, RecruitmentStep, Stage
from ..models.recruitment import STEPS, Phase

__all__ = [
    "StepWindow",
    "TimelineStep",
    "recruitment_due",
    "recruitment_rows",
    "recruitment_rules",
    "recruitment_stage_counts",
    "recruitment_timeline",
    "step_window",
]

DUE_SOON_DAYS = 7


def recruitment_rows(queryset):
    """Cases with their village and its general branch (one query)."""
    return queryset.select_related("village", "village__parent")


def recruitment_rules() -> list[RecruitmentRule]:
    """The timing rules in force (one query)."""
    return list(RecruitmentRule.objects.filter(active=True))


class StepWindow:
    """When a step may be recorded: not before `earliest` nor after `latest` (None: no bound), the rules that set
    each bound, and every rule's own bounds (`checks`)."""

    def __init__(self):
        self.earliest: datetime.date | None = None
        self.latest: datetime.date | None = None
        self.earliest_rule: RecruitmentRule | None = None
        self.latest_rule: RecruitmentRule | None = None
        self.checks: list[tuple[RecruitmentRule, datetime.date | None, datetime.date | None]] = []


def step_window(number: int, birth_date: datetime.date, dates: dict[int, datetime.date], rules) -> StepWindow:
    """The window of step `number` given the dates of the steps recorded (`dates` by number) and `rules` (read
    once by the caller)."""
    window = StepWindow()
    for rule in rules:
        if rule.to_step != number or not rule.active:
            continue
        start = birth_date if rule.from_step is None else dates.get(rule.from_step)
        if start is None:
            continue
        earliest, latest = rule.window(start)
        window.checks.append((rule, earliest, latest))
        if earliest and (window.earliest is None or earliest > window.earliest):
            window.earliest, window.earliest_rule = earliest, rule
        if latest and (window.latest is None or latest < window.latest):
            window.latest, window.latest_rule = latest, rule
    last = dates.get(number - 1)
    if last and (window.earliest is None or last > window.earliest):
        window.earliest, window.earliest_rule = last, None
    return window


@dataclass
class TimelineStep:
    number: int
    phase: Phase
    label: str
    state: str  # "done", "next" or "later"
    record: RecruitmentStep | None = None
    window: StepWindow | None = None


def recruitment_timeline(case: RecruitmentCase, rules=None) -> list[TimelineStep]:
    """The 25 steps of `case`: recorded ones with their record, the next with its window, the rest to come (one
    query for the steps, one for the rules unless given)."""
    records = {s.number: s for s in case.steps.select_related("created_by")}
    dates = {n: s.done_on for n, s in records.items()}
    rules = recruitment_rules() if rules is None else rules
    timeline = []
    for number, phase, label in STEPS:
        if number in records:
            timeline.append(TimelineStep(number, phase, label, "done", records[number]))
        elif number == case.next_step:
            window = step_window(number, case.birth_date, dates, rules)
            timeline.append(TimelineStep(number, phase, label, "next", window=window))
        else:
            timeline.append(TimelineStep(number, phase, label, "later"))
    return timeline


@dataclass
class DueCase:
    case: RecruitmentCase
    latest: datetime.date
    rule: RecruitmentRule
    overdue: bool


def recruitment_due(queryset, today: datetime.date | None = None, within_days: int = DUE_SOON_DAYS) -> list[DueCase]:
    """The open cases of `queryset` whose next step has a latest date (a rule's maximum) that is past or within
    `within_days`, most urgent first. Three queries: the rules, the cases, their steps."""
    today = today or timezone.localdate()
    rules = [r for r in recruitment_rules() if r.maximum is not None and r.from_step is not None]
    if not rules:
        return []
    awaiting = {r.to_step - 1 for r in rules}  # cases whose next step is the end of a rule
    cases = (
        recruitment_rows(queryset)
        .filter(closed_on__isnull=True, last_step__in=awaiting)
        .exclude(stage__in=[Stage.WITHDRAWN, Stage.CANCELLED])
        .prefetch_related(Prefetch("steps", queryset=RecruitmentStep.objects.only("case_id", "number", "done_on")))
    )
    due = []
    for case in cases:
        dates = {s.number: s.done_on for s in case.steps.all()}
        window = step_window(case.last_step + 1, case.birth_date, dates, rules)
        if window.latest and window.latest <= today + datetime.timedelta(days=within_days):
            due.append(DueCase(case, window.latest, window.latest_rule, window.latest < today))
    return sorted(due, key=lambda d: (d.latest, d.case.pk))


def recruitment_stage_counts(village, on: datetime.date | None = None) -> dict[str, int]:
    """The recruits of a village by stage (cases opened by `on`), the ended ones left out: the monthly report's
    figures."""
    rows = RecruitmentCase.objects.filter(village=village).exclude(stage__in=[Stage.WITHDRAWN, Stage.CANCELLED])
    if on is not None:
        rows = rows.filter(opened_on__lte=on)
    counts = dict(rows.values_list("stage").annotate(n=Count("id")).order_by())
    return {stage: counts[stage] for stage in Stage.values if counts.get(stage)}
