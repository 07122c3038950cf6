"""Pages of the seven powers: the shared case pages (`base`), the overview, and one module per power."""

from . import emergency, guidance, prereview
from .overview import GeneralBranchPowersView, PowerOverviewView

POWER_PAGES = [guidance.PAGES, emergency.PAGES, prereview.PAGES]

__all__ = ["POWER_PAGES", "GeneralBranchPowersView", "PowerOverviewView"]
