"""What the branches app lends to the dashboard and the header (registered in BranchesConfig.ready)."""

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from anding.scoping import scope_ranges

from . import selectors
from .choices import MeetingStatus, MemberStatus, OrgKind, Role
from .models import Organization, PartyMember
from .permissions import active_positions
from .roles import GOVERNING_ROLES
from .selectors.organization import CURRENT_STATUSES

__all__ = [
    "answers_to_panel",
    "attention_panel",
    "dashboard_panel",
    "figures_cache_scope",
    "fresh_nodes",
    "user_positions",
]

WIDE_KINDS = frozenset({OrgKind.CITY, OrgKind.DISTRICT})


def user_positions(user) -> list[str]:
    """The header's scope line: e.g. 第三联村党总支 · 书记."""
    return [f"{p.organization.name} · {p.title or p.get_role_display()}" for p in active_positions(user)]


def figures_cache_scope(user) -> str | None:
    """What the dashboard keeps a district- or city-wide user's figures under (with the user and the language): their
    scope and roles, so that a changed position reads them afresh. None for a narrower scope, whose figures are read
    on each request: a secretary sees the report they just submitted counted at once."""
    positions = active_positions(user)
    if not user.is_superuser and not any(p.organization.kind in WIDE_KINDS for p in positions):
        return None
    return f"{scope_ranges(user, Organization)}|{sorted({p.role for p in positions})}"


def fresh_nodes(user) -> list[int]:
    """The organizations of a town-wide or narrower user's positions, whose subtrees hold all that their dashboard
    and pages read in scope (what they read beside, the tree and the officers, changes everything:
    `Position.fresh_everywhere`): these are kept under their versions (`anding.kept`). Empty for a wider scope."""
    if figures_cache_scope(user) is not None:
        return []
    return sorted({p.organization_id for p in active_positions(user)})


def dashboard_panel(user) -> dict | None:
    """Figures of the user's scope: the units by kind, the current members per group of the dashboard's breakdown
    (per district, town or general branch) and, below a town's width, per village; the officers. Four queries
    whatever the size of the scope (the members are counted per branch in SQL and summed here)."""
    kinds = selectors.scope_kind_counts(user)
    if not kinds:
        return None
    groups = selectors.breakdown(user)
    counts = (
        PartyMember.objects.filter(branch__in=selectors.organization_list(user), status__in=CURRENT_STATUSES)
        .values_list("branch")
        .annotate(n=Count("id"), probationary=Count("id", filter=Q(status=MemberStatus.PROBATIONARY)))
        .order_by()
    )
    members, probationary = {}, 0
    for branch, n, p in counts:
        members[branch] = n
        probationary += p
    per_group = dict.fromkeys(groups.villages, 0) if groups is not None else {}
    for village, group in groups.group_of.items() if groups is not None else ():
        per_group[group] += members.get(village, 0)
    officers = selectors.officer_counts(user) if user.is_superuser or _sees_records(user) else {}
    members_url = reverse("branches:member_list")
    tree_url = reverse("branches:organization_list")
    villages_total = kinds.get(OrgKind.VILLAGE, 0)
    figures = []
    if kinds.get(OrgKind.GENERAL):
        figures.append({"label": _("joint general branches"), "value": kinds[OrgKind.GENERAL], "url": tree_url})
    if villages_total != 1:
        figures.append({"label": _("village branches"), "value": villages_total, "url": tree_url})
    figures.append({"label": _("party members"), "value": sum(per_group.values()), "url": members_url})
    figures.append(
        {
            "label": _("probationary members"),
            "value": probationary,
            "url": f"{members_url}?status={MemberStatus.PROBATIONARY}",
        }
    )
    officer_roles = (Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY, Role.VILLAGE_SECRETARY)
    if officers:
        figures.append(
            {"label": _("officers"), "value": sum(officers.get(r, 0) for r in officer_roles), "url": tree_url}
        )
    rows = []
    if groups is not None and groups.by_branch:
        top = max(per_group.values(), default=0) or 1
        rows = [
            {
                "group": g,
                "label": groups.label(g),
                "villages": groups.villages[g.pk],
                "members": per_group[g.pk],
                "bar_percent": round(100 * per_group[g.pk] / top, 1),
            }
            for g in groups.groups
        ]
    villages = []
    if groups is not None and not groups.wide:  # a town's villages at most
        villages = selectors.scope_villages(user)
        for village in villages:
            village.member_count = members.get(village.pk, 0)
    return {
        "template": "branches/dashboard_panel.html",
        "figures": figures,
        "officers": [(role.label, officers[role]) for role in officer_roles if officers.get(role)],
        "heading": groups.heading if groups is not None else "",
        "groups": rows,
        "villages": villages,
        "members_url": members_url,
        "chart_height": 28 * len(rows),
    }


def _sees_records(user) -> bool:
    return any(p.role in GOVERNING_ROLES for p in active_positions(user))


def attention_panel(user) -> dict | None:
    """For the town and the general branches: the villages behind and the work waiting, each count a link to the
    rows behind it (the completeness page, or a filtered list)."""
    groups, month, quarter_end = selectors.attention(user)
    if not groups:
        return None
    completeness = reverse("branches:report_completeness")
    wide = groups[-1].branch is not None and groups[-1].branch.kind != OrgKind.GENERAL  # per town or district
    rows = []
    for group in groups:
        branch = {"branch": group.branch.pk} if group.branch is not None else {}
        organization = {"organization": group.branch.pk} if group.branch is not None else {}
        behind = {"behind": group.branch.pk} if group.branch is not None else {}
        rows.append(
            {
                "group": group,
                "label": group.label or (_("Total") if wide else _("All general branches")),
                "cells": [
                    (len(group.reports_behind), _url(completeness, month=f"{month:%Y-%m}", **branch)),
                    (len(group.meetings_short), _url(completeness, month=f"{month:%Y-%m}", **branch)),
                    (group.overdue_tasks, _url(reverse("branches:task_list"), status="overdue", **behind)),
                    (group.reports_waiting, _url(reverse("branches:report_list"), waiting="stale", **branch)),
                    (
                        group.meetings_waiting,
                        _url(reverse("branches:meeting_list"), status=MeetingStatus.HELD, stale="on", **organization),
                    ),
                ],
            }
        )
    return {
        "template": "branches/attention_panel.html",
        "rows": rows,
        "heading": _("general branch") if not wide else selectors.breakdown(user).heading,
        # the villages behind by name, for general branches only: a town's or a district's would run to hundreds
        "details": [r for r in rows if r["group"].branch is not None] if not wide else [],
        "month": month,
        "quarter_end": quarter_end,
        "report_days": settings.REPORT_REVIEW_WAIT_DAYS,
        "meeting_days": settings.MEETING_REVIEW_WAIT_DAYS,
    }


def _url(path: str, **query) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def answers_to_panel(user) -> dict | None:
    """For a village secretary: whom each of their villages answers to."""
    villages = [p.organization for p in active_positions(user) if p.role == Role.VILLAGE_SECRETARY]
    if not villages:
        return None
    return {
        "template": "branches/answers_to_panel.html",
        "entries": [(village, selectors.village_answers_to(user, village)) for village in villages],
    }
