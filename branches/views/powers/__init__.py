"""Pages of the seven powers: the shared case pages (`base`), the overview, and one module per power."""

from . import guidance
from .overview import GeneralBranchPowersView, PowerOverviewView

POWER_PAGES = [guidance.PAGES]

__all__ = ["POWER_PAGES", "GeneralBranchPowersView", "PowerOverviewView"]
