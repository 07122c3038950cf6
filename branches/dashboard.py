"""What the branches app lends to the dashboard and the header (registered in BranchesConfig.ready)."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import selectors
from .choices import MeetingStatus, MemberStatus, OrgKind, Role
from .permissions import active_positions
from .roles import GOVERNING_ROLES

__all__ = ["answers_to_panel", "attention_panel", "dashboard_panel", "user_positions"]


def user_positions(user) -> list[str]:
    """The header's scope line: e.g. 第三联村党总支 · 书记."""
    return [f"{p.organization.name} · {p.title or p.get_role_display()}" for p in active_positions(user)]


def dashboard_panel(user) -> dict | None:
    """Figures of the user's scope, all from one tree query and one count of officers."""
    nodes = selectors.organization_tree_full(user)
    if not nodes:
        return None
    generals = [n for n in nodes if n.kind == OrgKind.GENERAL]
    villages = [n for n in nodes if n.kind == OrgKind.VILLAGE]
    member_total = sum(v.member_count for v in villages)
    officers = selectors.officer_counts(user) if user.is_superuser or _sees_records(user) else {}
    top = max((g.member_count for g in generals), default=0) or 1
    for g in generals:
        g.bar_percent = round(100 * g.member_count / top, 1)
    members_url = reverse("branches:member_list")
    tree_url = reverse("branches:organization_list")
    probationary = selectors.member_list(user).filter(status=MemberStatus.PROBATIONARY).count()
    figures = []
    if generals:
        figures.append({"label": _("joint general branches"), "value": len(generals), "url": tree_url})
    if len(villages) != 1:
        figures.append({"label": _("village branches"), "value": len(villages), "url": tree_url})
    figures.append({"label": _("party members"), "value": member_total, "url": members_url})
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
    return {
        "template": "branches/dashboard_panel.html",
        "figures": figures,
        "officers": [(role.label, officers[role]) for role in officer_roles if officers.get(role)],
        "generals": generals,
        "villages": villages,
        "members_url": members_url,
        "chart_height": 28 * len(generals),
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
    rows = []
    for group in groups:
        branch = {"branch": group.branch.pk} if group.branch is not None else {}
        organization = {"organization": group.branch.pk} if group.branch is not None else {}
        behind = {"behind": group.branch.pk} if group.branch is not None else {}
        rows.append(
            {
                "group": group,
                "label": group.label or _("All general branches"),
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
        "details": [r for r in rows if r["group"].branch is not None],
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
