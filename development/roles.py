"""Which roles may do what in the development app: every role set in one place (pure data)."""

from branches.roles import CHANGE_ROLES, GOVERNING_ROLES, POWER_ROLES, TOWN_ROLES

__all__ = ["BRANCH_SCOPE_ROLES", "FIGURES_SCOPE_ROLES", "PAIRING_SCOPE_ROLES"]

# A village's yearly figures: everyone governing the village sees them; its secretary, its general branch's
# secretary and the town enter them.
FIGURES_SCOPE_ROLES = {"view": GOVERNING_ROLES, "change": CHANGE_ROLES}
# Pairings (强村带弱村): seen by the officers over the lead village or any village it helps; written by the
# officers of the lead village's general branch (secretary and deputies) and the town. "change" is read through
# the lead village only (`PairingQuerySet`).
PAIRING_SCOPE_ROLES = {"view": GOVERNING_ROLES, "change": POWER_ROLES | TOWN_ROLES}
# A general branch's partnership events, resources, trainings and shared sales: the town and the general branch's
# officers see them (a village secretary's scope is their village, below the general branch); the general branch's
# secretary and deputies, and the town, record them.
BRANCH_SCOPE_ROLES = {"view": GOVERNING_ROLES, "change": POWER_ROLES | TOWN_ROLES}
