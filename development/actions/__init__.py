"""Writes of the development app, one module per part."""

from .figures import figures_save
from .households import resource_add, sale_add, training_add, training_correct
from .pairings import pairing_save, progress_add, progress_correct
from .partnerships import event_add, partner_add

__all__ = [
    "event_add",
    "figures_save",
    "pairing_save",
    "partner_add",
    "progress_add",
    "progress_correct",
    "resource_add",
    "sale_add",
    "training_add",
    "training_correct",
]
