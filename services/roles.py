"""Which roles may do what in the services app: every role set in one place (pure data)."""

from branches.choices import Role
from branches.roles import GOVERNING_ROLES, POWER_ROLES, TOWN_ROLES

__all__ = [
    "ALLOCATE_ROLES",
    "CENTRE_SCOPE_ROLES",
    "FUND_SCOPE_ROLES",
    "OPEN_SESSION_ROLES",
    "PLAN_SCOPE_ROLES",
    "RECORD_SCOPE_ROLES",
    "SPEND_ROLES",
    "STAFF_ROLES",
    "VISITOR_ROLES",
    "VISIT_SCOPE_ROLES",
]

# Department staff hold their position on the town node: they come to every centre.
STAFF_ROLES = frozenset({Role.DEPARTMENT_STAFF})
# Centres and their half-days: the town, the general branches a centre serves (secretary and deputies), and the
# department staff (the whole town). A village secretary sees the records of their villagers, not the sessions.
CENTRE_SCOPE_ROLES = {"view": GOVERNING_ROLES | STAFF_ROLES, "change": frozenset({Role.TOWN_CADRE}) | STAFF_ROLES}
# Who opens a half-day at a centre: a town cadre or department staff.
OPEN_SESSION_ROLES = frozenset({Role.TOWN_CADRE}) | STAFF_ROLES
# Records: the tree's officers over the villager's village; department staff only their own department's records
# (`department_view`, a condition on the row added by ServiceRecordQuerySet).
RECORD_SCOPE_ROLES = {"view": GOVERNING_ROLES, "change": frozenset(), "department_view": STAFF_ROLES}
# Tailored assessment plans: everyone governing the village sees its plan; the officers of its general branch set
# it (the seven powers' roles); the town approves it.
PLAN_SCOPE_ROLES = {"view": GOVERNING_ROLES, "change": POWER_ROLES, "approve": TOWN_ROLES}

# Special funds: the officers of the allocation's node and of the nodes above it see it (a village secretary their
# village's). The town allocates and corrects; the officers holding a position on the allocation's node itself (a
# village's secretary, a general branch's secretary and deputies, the town's cadres) record its expenses, and the
# town cadres record for any node. Department staff have no part in the funds.
FUND_SCOPE_ROLES = {"view": GOVERNING_ROLES, "change": frozenset()}
ALLOCATE_ROLES = frozenset({Role.TOWN_CADRE})
SPEND_ROLES = frozenset({Role.TOWN_CADRE, Role.GENERAL_SECRETARY, Role.DEPUTY_SECRETARY, Role.VILLAGE_SECRETARY})
# Household visits: the register and the visits of a village are kept by its officers, whoever is over it (the
# village secretary, the general branch's secretary and deputies, the town's cadres); department staff see none.
VISIT_SCOPE_ROLES = {"view": GOVERNING_ROLES, "change": GOVERNING_ROLES}
# Who may be named on a visit (who led, who came, who owns the follow-up): the officers over the village and the
# members of its committee.
VISITOR_ROLES = GOVERNING_ROLES | frozenset({Role.COMMITTEE_MEMBER})
