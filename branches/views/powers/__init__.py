"""Pages of the seven powers: the shared case pages (`base`), the overview, and one module per power."""

from . import guidance, inspection, major_matter
from .overview import GeneralBranchPowersView, PowerOverviewView

POWER_PAGES = [guidance.PAGES, major_matter.PAGES, inspection.PAGES]

__all__ = ["POWER_PAGES", "GeneralBranchPowersView", "PowerOverviewView"]
