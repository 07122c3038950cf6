"""Reads of the development app, one module per part."""

from .figures import figures_rows, latest_figures
from .pairings import Side, pairing_rows, pairing_sides, progress_rows

__all__ = ["Side", "figures_rows", "latest_figures", "pairing_rows", "pairing_sides", "progress_rows"]
