"""Pages of the seven powers: the shared case pages (`base`), the overview, and one module per power."""

from . import adjustment, evaluation, guidance
from .overview import GeneralBranchPowersView, PowerOverviewView

POWER_PAGES = [evaluation.PAGES, adjustment.PAGES, guidance.PAGES]

__all__ = ["POWER_PAGES", "GeneralBranchPowersView", "PowerOverviewView"]
