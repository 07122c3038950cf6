"""Pages of the seven powers: the shared case pages (`base`), the overview, and one module per power."""

from . import guidance, prereview
from .overview import GeneralBranchPowersView, PowerOverviewView

POWER_PAGES = [guidance.PAGES, prereview.PAGES]

__all__ = ["POWER_PAGES", "GeneralBranchPowersView", "PowerOverviewView"]
