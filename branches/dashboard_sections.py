"""The dashboard's sections of the branches app (registered in BranchesConfig.ready), each at the user's scope and
split by `breakdown`: the month's reports, their on-time rate over twelve months, 三会一课, the open cases of the
seven powers and recruitment by stage. Counts come from SQL in a fixed number of queries."""

import datetime

from django.db.models import Count, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from anding.charts import Cell, Figure, Section, bar_chart, line_chart, percent

from . import selectors
from .choices import ReportStatus
from .models import MonthlyReport, RecruitmentCase, case_models
from .models.recruitment import Stage
from .months import add_months
from .permissions import active_positions
from .roles import GOVERNING_ROLES, POWER_VIEW_ROLES
from .selectors.completeness import MEETING_FLAGS

__all__ = ["branch_sections", "on_time_months"]

TREND_MONTHS = 12
OPEN_STAGES = [s for s in Stage if s not in (Stage.FULL, Stage.WITHDRAWN, Stage.CANCELLED)]


def _url(name: str, **query) -> str:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _holds(user, roles) -> bool:
    return user.is_superuser or any(p.role in roles for p in active_positions(user))


def branch_sections(user, today: datetime.date | None = None) -> list[Section]:
    today = today or timezone.localdate()
    if not _holds(user, GOVERNING_ROLES):
        return []
    groups = selectors.breakdown(user)
    if groups is None:
        return []
    _month, quarter_end = selectors.attention_months(today)
    completeness, quarterly = selectors.judged_figures(user, today)
    sections = [
        report_section(groups, completeness),
        meeting_section(groups, completeness, quarterly, quarter_end),
        on_time_section(user, groups, today),
    ]
    if _holds(user, POWER_VIEW_ROLES):
        sections.append(power_section(user, today))
    sections.append(recruitment_section(user))
    return sections


def report_section(groups, completeness) -> Section:
    """The month judged: per group, its villages' reports submitted, on time, late, not submitted, returned and
    approved (from the completeness of the month)."""
    month = completeness.month
    counts = {
        g.pk: dict.fromkeys(("submitted", "on_time", "late", "missing", "returned", "approved"), 0)
        for g in groups.groups
    }
    for row in completeness.rows:
        c = counts.get(groups.group_of.get(row.village.pk))
        if c is None:
            continue
        c["submitted"] += row.submitted
        c["on_time"] += row.on_time
        c["late"] += row.late
        c["missing"] += row.missing
        c["returned"] += row.status == ReportStatus.RETURNED
        c["approved"] += row.status == ReportStatus.APPROVED
    total = completeness.total
    page = _url("branches:report_completeness", month=f"{month:%Y-%m}")
    rows = []
    for g in groups.groups:
        c = counts[g.pk]
        link = _url("branches:report_completeness", month=f"{month:%Y-%m}", branch=g.pk if groups.by_branch else "")
        rows.append(
            [
                Cell(groups.label(g), link if groups.by_branch else g.get_absolute_url()),
                groups.villages[g.pk],
                c["submitted"],
                c["on_time"],
                c["late"],
                c["missing"],
                c["returned"],
                c["approved"],
            ]
        )
    return Section(
        key="reports",
        title=_("Monthly reports of %(month)s") % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
        caption=_("Due on %(date)s.") % {"date": date_format(completeness.due_date)},
        headers=[
            groups.heading,
            _("villages"),
            _("submitted"),
            _("on time"),
            _("late"),
            _("not submitted"),
            _("returned"),
            _("approved"),
        ],
        rows=rows,
        figures=[
            Figure(_("submitted"), f"{total.submitted} / {total.villages}", page),
            Figure(_("on time"), total.on_time, page),
            Figure(_("not submitted"), total.missing, page),
            Figure(_("approved"), total.approved, page),
        ],
        chart=bar_chart(
            _("Reports submitted, in percent of the villages"),
            [(groups.label(g), percent(counts[g.pk]["submitted"], groups.villages[g.pk]), "") for g in groups.groups],
            maximum=100,
            unit="%",
        )
        if len(groups.groups) > 1
        else None,
        link=(_("Completeness"), page),
        empty=_("No village in your scope."),
    )


def on_time_months(today: datetime.date) -> list[datetime.date]:
    """The last TREND_MONTHS months whose reports are due (their due date has passed), oldest first."""
    last = selectors.overdue_cutoff(today).replace(day=1)
    return [add_months(last, -n) for n in range(TREND_MONTHS - 1, -1, -1)]


def on_time_section(user, groups, today: datetime.date) -> Section:
    """Per group and month: the share of its villages (those it has now) whose report of the month was first
    submitted by the due date. One query."""
    months = on_time_months(today)
    reports = selectors.submitted_on_time(
        MonthlyReport.objects.restrict(user).filter(month__gte=months[0], month__lte=months[-1])
    ).annotate(group=groups.case("village"))
    on_time = {
        (r["group"], r["month"]): r["n"] for r in reports.values("group", "month").annotate(n=Count("id")).order_by()
    }
    series = []
    total_villages = groups.total_villages
    totals = [sum(on_time.get((g.pk, m), 0) for g in groups.groups) for m in months]
    total_rates = [percent(n, total_villages) for n in totals]
    rows = []
    for g in groups.groups:
        rates = [percent(on_time.get((g.pk, m), 0), groups.villages[g.pk]) for m in months]
        if groups.by_branch or len(groups.groups) == 1:  # a village's line alone jumps between 0 and 100
            series.append((groups.label(g), rates, False))
        links = [_url("branches:report_list", month=f"{m:%Y-%m}", branch=g.pk, late="false") for m in months]
        rows.append([Cell(groups.label(g)), *(Cell(r, url) for r, url in zip(rates, links, strict=True))])
    if len(groups.groups) > 1:
        series.insert(0, (_("All"), total_rates, True))
        rows.append([Cell(_("All")), *total_rates])
    labels = [date_format(m, "YEAR_MONTH_FORMAT") for m in months]
    return Section(
        key="on-time",
        wide=True,
        title=_("Reports on time, last %(n)s months") % {"n": TREND_MONTHS},
        caption=_(
            "Each month, the villages whose report was first submitted by its due date, in percent of the villages "
            "each has now."
        ),
        headers=[groups.heading, *(f"{label} (%)" for label in labels)],
        rows=rows,
        figures=[Figure(_("on time, latest month"), f"{total_rates[-1]}%" if total_rates[-1] is not None else None)],
        chart=line_chart(
            _("On-time rate, %(first)s to %(last)s") % {"first": labels[0], "last": labels[-1]},
            [str(m.month) for m in months],
            series,
        ),
        link=(_("Late reports"), _url("branches:report_list", late="true")),
        empty=_("No village in your scope."),
    )


def meeting_section(groups, completeness, quarterly, quarter_end) -> Section:
    """三会一课: per group, the villages that held each monthly meeting in the month judged and each quarterly one in
    the last quarter that is over, and those that held all five."""
    monthly_keys = ("committee", "party_group", "themed_day")
    keys = [k for k, _label in MEETING_FLAGS]
    counts = {g.pk: dict.fromkeys([*keys, "complete"], 0) for g in groups.groups}
    for row in completeness.rows:
        c = counts.get(groups.group_of.get(row.village.pk))
        entry = quarterly.get(row.village.pk)
        if c is None or entry is None:
            continue
        held = {k: row.meetings[k] if k in monthly_keys else entry[k] for k in keys}
        for k in keys:
            c[k] += held[k]
        c["complete"] += all(held.values())
    all_villages = groups.total_villages
    totals = {k: sum(c[k] for c in counts.values()) for k in [*keys, "complete"]}
    page = _url("branches:report_completeness", month=f"{completeness.month:%Y-%m}")
    rows = [
        [Cell(groups.label(g)), groups.villages[g.pk], *(counts[g.pk][k] for k in keys), counts[g.pk]["complete"]]
        for g in groups.groups
    ]
    labels = dict(MEETING_FLAGS)
    return Section(
        key="meetings",
        title=_("Three meetings and a lesson"),
        caption=_("Monthly meetings in %(month)s; quarterly ones in the quarter ending %(quarter)s.")
        % {
            "month": date_format(completeness.month, "YEAR_MONTH_FORMAT"),
            "quarter": date_format(quarter_end, "YEAR_MONTH_FORMAT"),
        },
        headers=[groups.heading, _("villages"), *(labels[k] for k in keys), _("all five held")],
        rows=rows,
        figures=[Figure(_("all five held"), f"{totals['complete']} / {all_villages}", page)],
        chart=bar_chart(
            _("Villages that held each meeting, in percent"),
            [(labels[k], percent(totals[k], all_villages), "") for k in keys],
            maximum=100,
            unit="%",
        ),
        link=(_("Completeness"), page),
        empty=_("No village in your scope."),
    )


def power_section(user, today: datetime.date) -> Section:
    """The open cases of each power in scope, how many are overdue, and those closed this year: one query (a count
    per power, joined by UNION ALL)."""
    models = case_models()
    per_power = [
        model.objects.restrict(user)
        .order_by()
        .annotate(power=Value(code))
        .values("power")
        .annotate(
            open=Count("id", filter=Q(closed_on__isnull=True)),
            overdue=Count("id", filter=Q(closed_on__isnull=True, due_on__lt=today)),
            closed=Count("id", filter=Q(closed_on__year=today.year)),
        )
        for code, model in models.items()
    ]
    found = {row["power"]: row for row in per_power[0].union(*per_power[1:], all=True)}
    rows, bars = [], []
    for code, model in models.items():
        counts = found.get(code, {"open": 0, "overdue": 0, "closed": 0})
        page = reverse(f"branches:{code}_list")
        label = model.power_label()
        rows.append(
            [
                Cell(label, page),
                Cell(counts["open"], f"{page}?state=open"),
                Cell(counts["overdue"], f"{page}?state=overdue"),
                Cell(counts["closed"], f"{page}?state=closed&year={today.year}"),
            ]
        )
        bars.append((label, counts["open"], f"{page}?state=open"))
    return Section(
        key="powers",
        title=_("Open cases of the seven powers"),
        headers=[_("power"), _("open"), _("overdue"), _("closed this year")],
        rows=rows,
        figures=[
            Figure(_("open"), sum(r[1].value for r in rows)),
            Figure(_("overdue"), sum(r[2].value for r in rows)),
        ],
        chart=bar_chart(_("Open cases by power"), bars),
        link=(_("Powers overview"), reverse("branches:power_overview")),
    )


def recruitment_section(user) -> Section:
    """The people on their way to membership, by stage (cases not ended): one query."""
    counts = dict(
        RecruitmentCase.objects.restrict(user)
        .filter(stage__in=OPEN_STAGES)
        .values_list("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    page = reverse("branches:recruitment_list")
    items = [(stage.label, counts.get(stage, 0), f"{page}?stage={stage}") for stage in OPEN_STAGES]
    return Section(
        key="recruitment",
        title=_("Recruitment by stage"),
        headers=[_("stage"), _("people")],
        rows=[[Cell(label), Cell(n, url)] for label, n, url in items],
        figures=[Figure(_("people on their way to membership"), sum(counts.values()), page)],
        chart=bar_chart(_("People at each stage"), items),
        link=(_("Recruitment"), page),
    )
