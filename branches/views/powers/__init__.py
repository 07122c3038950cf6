"""Pages of the seven powers: the shared case pages (`base`), the overview, and one module per power."""

from . import adjustment, emergency, evaluation, guidance, prereview
from .overview import GeneralBranchPowersView, PowerOverviewView

POWER_PAGES = [evaluation.PAGES, adjustment.PAGES, emergency.PAGES, guidance.PAGES, prereview.PAGES]

__all__ = ["POWER_PAGES", "GeneralBranchPowersView", "PowerOverviewView"]
