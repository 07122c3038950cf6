"""Pages of the development app, one module per part."""

from .figures import FiguresAddView, FiguresEditView, FiguresListView
from .households import (
    ResourceAddView,
    ResourceDetailView,
    ResourceEditView,
    ResourceListView,
    SaleAddView,
    SaleListView,
    TrainingAddView,
    TrainingListView,
)
from .ledger import LedgerView
from .pairings import (
    PairingAddView,
    PairingDetailView,
    PairingEditView,
    PairingListView,
    ProgressAddView,
    ProgressListView,
)
from .partnerships import EventAddView, EventEditView, EventListView, PartnerAddView

__all__ = [
    "EventAddView",
    "EventEditView",
    "EventListView",
    "FiguresAddView",
    "FiguresEditView",
    "FiguresListView",
    "LedgerView",
    "PairingAddView",
    "PairingDetailView",
    "PairingEditView",
    "PairingListView",
    "PartnerAddView",
    "ProgressAddView",
    "ProgressListView",
    "ResourceAddView",
    "ResourceDetailView",
    "ResourceEditView",
    "ResourceListView",
    "SaleAddView",
    "SaleListView",
    "TrainingAddView",
    "TrainingListView",
]
