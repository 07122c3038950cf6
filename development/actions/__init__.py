"""Writes of the development app, one module per part."""

from .figures import figures_save
from .households import resource_add, sale_add, training_add
from .pairings import pairing_save, progress_add
from .partnerships import event_add, partner_add

__all__ = [
    "event_add",
    "figures_save",
    "pairing_save",
    "partner_add",
    "progress_add",
    "resource_add",
    "sale_add",
    "training_add",
]
