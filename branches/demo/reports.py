"""Demo: monthly reports of every village, with late, returned and missing ones."""

import datetime
import random
from collections import Counter, defaultdict

from django.utils import timezone

from ..actions import report_approve, report_check, report_return, report_save, report_start, report_submit
from ..choices import MeetingKind, MeetingStatus, ReportStatus
from ..models import Meeting, MonthlyReport, Organization, ReportTransition, report_due_date, submission_opens
from .common import Counts, Life, add_months, day_of, season_of, seeded, short_name
from .meetings import (
    APPROVED,
    APPROVED_AFTER_DEPUTY_RETURN,
    APPROVED_AFTER_SECRETARY_RETURN,
    CHECKED,
    DRAFT,
    MISSING,
    RETURNED,
    SUBMITTED,
)
from .story import (
    APPROVE_COMMENTS,
    BATCH,
    CHECK_COMMENTS,
    INDUSTRY_WORK,
    PROBLEMS,
    REQUESTS,
    RETURN_REASONS,
    SEASON,
    SPECIFIC,
)


def _report_plans(life: Life, month: datetime.date) -> dict[int, tuple[str, bool]]:
    """For each village: (how its report for `month` goes, whether it is first submitted late)."""
    villages = list(life.villages)
    n = len(villages)
    rng = seeded("report-plan", month)
    order = rng.sample(villages, n)
    plans = {}
    if month == life.current:
        # Submitted only once the month's window has opened (its last day by default): drafts until then.
        window_open = life.today >= submission_opens(month)
        drafts, submitted = round(n / 3), max(1, round(n * 0.09)) if window_open else 0
        for i, village in enumerate(order):
            plans[village.pk] = (DRAFT if i < drafts else SUBMITTED if i < drafts + submitted else MISSING, False)
        return plans
    if month == add_months(life.current, -1):
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


def _report_text(life: Life, village: Organization, month: datetime.date, rng: random.Random) -> dict:
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
        f"本月，{short_name(village)}村党支部" + "、".join(parts) + "。"
        f"围绕{work}，{action}，党员带头参与。"
        f"结合{industries}产业，{INDUSTRY_WORK[season_of(month)]}。"
    )
    problems = " ".join(rng.sample(PROBLEMS, rng.choice([1, 1, 2])))
    return {"narrative": narrative, "problems": problems, "requests": rng.choice(REQUESTS)}


def load_reports(life: Life) -> dict:
    counts = Counts()
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
            rng = seeded("report", village.code, month)
            text = _report_text(life, village, month, rng)
            report = report_start(actor=writer, village=village, month=month)
            report = report_save(actor=writer, report=report, version=report.version, **text)
            counts.add("reports")
            if month == life.current:
                started = life.at(day_of(month, max(1, life.today.day - rng.randint(0, 4))), rng.randint(9, 16))
                first = started + datetime.timedelta(hours=rng.randint(1, 30))
            else:
                started = life.at(day_of(month, rng.randint(24, 31)), rng.randint(9, 16))
                first_day = (
                    due + datetime.timedelta(days=rng.randint(3, 7)) if late else day_of(due, rng.randint(1, due.day))
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
