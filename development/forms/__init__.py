"""Forms of the development app, one module per part."""

from .figures import FiguresForm
from .pairings import PairingForm, ProgressForm

__all__ = ["FiguresForm", "PairingForm", "ProgressForm"]
