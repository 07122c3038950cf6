"""Reads of the seven powers: the rows of a power's case list, a case's history and files, the villages a user may
open cases for, and the page of a general branch's powers (open cases by power and status, the latest case of each
power per village). Every read starts from the cases in the user's scope."""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..choices import OrgKind
from ..models import CaseAttachment, Organization, PowerCase, case_models
from ..permissions import active_positions
from ..tree import node_range, ranges_q, subtree_q
from .organization import organization_list

__all__ = [
    "PowerSummary",
    "case_attachment_get",
    "case_events",
    "case_rows",
    "power_case_counts",
    "power_general_branches",
    "power_groups",
    "power_matrix",
    "power_overview",
    "power_villages",
]


def case_rows(queryset):
    """Cases with their village, its current general branch, the general branch of the time and who opened them."""
    return queryset.select_related("village", "village__parent", "general_branch", "created_by")


def case_events(case: PowerCase):
    """The history of a case, oldest first, with who took each step (one query)."""
    return case.events.select_related("actor")


def case_attachment_get(case: PowerCase, pk) -> CaseAttachment:
    """A file of a case already found in scope (404 for another case's file)."""
    return get_object_or_404(case.attachments.all(), pk=pk)


def power_villages(user, roles):
    """The villages in scope over which the user holds one of `roles` (those they may open a case for), in tree
    order with their general branch."""
    ranges = [node_range(p.organization) for p in active_positions(user) if p.role in roles]
    if user.is_superuser or not ranges:
        return Organization.objects.none()
    return (
        organization_list(user)
        .filter(ranges_q(ranges), kind=OrgKind.VILLAGE)
        .select_related("parent")
        .order_by("tree_id", "lft")
    )


def power_general_branches(user):
    """The general branches in the user's scope whose powers they see, in tree order."""
    return organization_list(user).filter(kind=OrgKind.GENERAL).order_by("tree_id", "lft")


@dataclass
class PowerSummary:
    """One power over the villages of a general branch: its open cases by status, how many are overdue, how many were
    closed this year, and the latest case of each village (None where there is none)."""

    code: str
    model: type
    open_by_status: list[tuple[str, str, int]] = field(default_factory=list)  # (status, label, count)
    open_total: int = 0
    overdue: int = 0
    closed_this_year: int = 0
    latest: dict[int, PowerCase] = field(default_factory=dict)  # village pk → its latest case


def power_overview(user, general_branch: Organization) -> list[PowerSummary]:
    """The seven powers over the villages now under `general_branch`: two queries per power, whatever the data."""
    today = timezone.localdate()
    in_branch = subtree_q(general_branch, "village")
    summaries = []
    for code, model in case_models().items():
        cases = model.objects.restrict(user).filter(in_branch)
        labels = dict(model._meta.get_field("status").choices)
        counts = {
            row["status"]: row
            for row in cases.values("status").annotate(
                open=Count("id", filter=Q(closed_on__isnull=True)),
                overdue=Count("id", filter=Q(closed_on__isnull=True, due_on__lt=today)),
                closed=Count("id", filter=Q(closed_on__year=today.year)),
            )
        }
        summary = PowerSummary(code=code, model=model)
        for status, label in labels.items():
            row = counts.get(status)
            if row and row["open"]:
                summary.open_by_status.append((status, label, row["open"]))
            summary.open_total += row["open"] if row else 0
            summary.overdue += row["overdue"] if row else 0
            summary.closed_this_year += row["closed"] if row else 0
        latest_ids = cases.values("village").annotate(last=Max("id")).values("last")
        summary.latest = {c.village_id: c for c in model.objects.filter(pk__in=latest_ids)}
        summaries.append(summary)
    return summaries


def power_case_counts(village: Organization, first, last) -> dict[str, dict[str, int]]:
    """For a monthly report: the cases of each power over `village` opened and closed between `first` and `last`
    (one query per power)."""
    counts = {}
    for code, model in case_models().items():
        row = model.objects.filter(village=village).aggregate(
            opened=Count("id", filter=Q(opened_on__range=(first, last))),
            closed=Count("id", filter=Q(closed_on__range=(first, last))),
        )
        counts[code] = {"opened": row["opened"], "closed": row["closed"]}
    return counts


def power_matrix(user, branches) -> list[tuple[Organization, list[PowerSummary]]]:
    """For the overview: per general branch of `branches` (in scope), each power's open and overdue cases over the
    villages now under it. One query per power, whatever the number of general branches."""
    today = timezone.localdate()
    branches = list(branches)
    cells: dict[tuple[str, int], dict] = {}
    models = case_models()
    for code, model in models.items():
        rows = (
            model.objects.restrict(user)
            .filter(closed_on__isnull=True, village__parent__in=branches)
            .values("village__parent")
            .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
            .order_by()
        )
        for row in rows:
            cells[code, row["village__parent"]] = row
    matrix = []
    for branch in branches:
        summaries = []
        for code, model in models.items():
            row = cells.get((code, branch.pk), {})
            summaries.append(PowerSummary(code, model, open_total=row.get("open", 0), overdue=row.get("overdue", 0)))
        matrix.append((branch, summaries))
    return matrix


def power_groups(user, drill) -> list[tuple[Organization, list[PowerSummary]]]:
    """For the overview of a city or district: per group of `drill` (its districts or towns), each power's open and
    overdue cases over the villages under it. One query per power, the groups told apart in SQL (listing a city's
    1,341 general branches in the query took longer than the counts)."""
    today = timezone.localdate()
    cells: dict[tuple[str, int], dict] = {}
    models = case_models()
    for code, model in models.items():
        rows = (
            model.objects.restrict(user)
            .filter(drill.q("village"), closed_on__isnull=True)
            .annotate(group=drill.group("village"))
            .values("group")
            .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
            .order_by()
        )
        for row in rows:
            cells[code, row["group"]] = row
    return [
        (g, [PowerSummary(c, m, **dict(_cell(cells.get((c, g.pk))))) for c, m in models.items()]) for g in drill.groups
    ]


def _cell(row) -> dict:
    return {"open_total": row["open"], "overdue": row["overdue"]} if row else {}
