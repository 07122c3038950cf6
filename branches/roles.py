"""Which roles may do what: every role set of the portal, in one place. Pure data (it imports only the choices),
so the models, the scope resolver, the selectors and the services can all import it at the top."""

from .choices import OrgKind, Role

__all__ = [
    "CHANGE_ROLES",
    "DEFAULT_SCOPE_ROLES",
    "DEPLOY_ROLES",
    "GOVERNING_ROLES",
    "POWER_DECIDE_ROLES",
    "POWER_ROLES",
    "POWER_VIEW_ROLES",
    "REPORT_WRITER_ROLES",
    "REVIEW_ROLES",
    "TOWN_ROLES",
    "VILLAGE_ROLES",
]

# Roles whose holders see the records of their subtree. A committee member of a general branch is also a village
# secretary; the committee seat itself opens nothing beyond their own village.
GOVERNING_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY, Role.VILLAGE_SECRETARY})
# Roles whose holders may change the roster and records of their subtree (and record its meetings).
CHANGE_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.VILLAGE_SECRETARY})
# Roles whose holders review the records of the level below (meetings of their units).
REVIEW_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY})
# Who writes a village's monthly report.
REPORT_WRITER_ROLES = frozenset({Role.VILLAGE_SECRETARY})
# Who deploys tasks in the name of an organization, by the organization's kind.
DEPLOY_ROLES = {
    OrgKind.TOWN: frozenset({Role.TOWN_CADRE}),
    OrgKind.GENERAL: frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY}),
}
# The roles that open a subtree for each action of the scoping; a model may override them with `scope_roles`.
DEFAULT_SCOPE_ROLES = {"view": GOVERNING_ROLES, "change": CHANGE_ROLES}

# The seven powers (issue 9): the officers of a village's general branch exercise them (the deputy drafts, the
# secretary decides); the town sees every case and decides what goes up to it; a village secretary sees the cases
# of their own village that the power's rules open to the village (`PowerCase.village_sees`).
POWER_VIEW_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY})
POWER_ROLES = frozenset({Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY})
POWER_DECIDE_ROLES = frozenset({Role.GENERAL_SECRETARY})
TOWN_ROLES = frozenset({Role.TOWN_CADRE})
VILLAGE_ROLES = frozenset({Role.VILLAGE_SECRETARY})
