"""What the branches app lends to the dashboard and the header (registered in BranchesConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import selectors
from .choices import OrgKind, Role
from .scoping import GOVERNING_ROLES, active_positions

__all__ = ["dashboard_panel", "user_positions"]


def user_positions(user) -> list[str]:
    """The header's scope line: e.g. 第三联村党总支 · 书记."""
    return [f"{p.organization.name} · {p.title or p.get_role_display()}" for p in active_positions(user)]


def dashboard_panel(user) -> dict | None:
    """Figures of the user's scope, all from one tree query and one count of officers."""
    nodes = list(selectors.organization_tree(user))
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
    return {
        "template": "branches/dashboard_panel.html",
        "figures": [
            {"label": OrgKind.GENERAL.label, "value": len(generals), "url": reverse("branches:organization_list")},
            {"label": OrgKind.VILLAGE.label, "value": len(villages), "url": reverse("branches:organization_list")},
            {"label": _("party members"), "value": member_total, "url": members_url},
            {
                "label": _("officers"),
                "value": sum(
                    officers.get(r, 0) for r in (Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY, Role.VILLAGE_SECRETARY)
                ),
                "url": reverse("branches:organization_list"),
            },
        ],
        "officers": [
            (role.label, officers.get(role, 0))
            for role in (Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY, Role.VILLAGE_SECRETARY)
        ],
        "generals": generals,
        "villages": villages,
        "members_url": members_url,
        "chart_height": 28 * len(generals),
    }


def _sees_records(user) -> bool:
    return any(p.role in GOVERNING_ROLES for p in active_positions(user))
