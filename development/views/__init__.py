"""Pages of the development app, one module per part."""

from .figures import FiguresAddView, FiguresEditView, FiguresListView
from .pairings import (
    PairingAddView,
    PairingDetailView,
    PairingEditView,
    PairingListView,
    ProgressAddView,
    ProgressListView,
)

__all__ = [
    "FiguresAddView",
    "FiguresEditView",
    "FiguresListView",
    "PairingAddView",
    "PairingDetailView",
    "PairingEditView",
    "PairingListView",
    "ProgressAddView",
    "ProgressListView",
]
