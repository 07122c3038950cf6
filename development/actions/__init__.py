"""Writes of the development app, one module per part."""

from .figures import figures_save
from .pairings import pairing_save, progress_add

__all__ = ["figures_save", "pairing_save", "progress_add"]
