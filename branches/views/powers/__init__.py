"""Pages of the seven powers: the shared case pages (`base`), the overview, and one module per power."""

from . import adjustment, emergency, evaluation, guidance, inspection, major_matter, prereview
from .overview import GeneralBranchPowersView, PowerOverviewView

# In the order of the source's seven powers.
POWER_PAGES = [
    evaluation.PAGES,
    adjustment.PAGES,
    major_matter.PAGES,
    inspection.PAGES,
    emergency.PAGES,
    guidance.PAGES,
    prereview.PAGES,
]

__all__ = ["POWER_PAGES", "GeneralBranchPowersView", "PowerOverviewView"]
