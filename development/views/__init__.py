"""Pages of the development app, one module per part."""

from .figures import FiguresAddView, FiguresEditView, FiguresListView
from .households import (
    ResourceAddView,
    ResourceDetailView,
    ResourceEditView,
    ResourceListView,
    SaleAddView,
    SaleEditView,
    SaleListView,
    TrainingAddView,
    TrainingEditView,
    TrainingListView,
)
from .ledger import LedgerView
from .pairings import (
    PairingAddView,
    PairingDetailView,
    PairingEditView,
    PairingListView,
    ProgressAddView,
    ProgressEditView,
    ProgressListView,
)
from .partnerships import EventAddView, EventEditView, EventListView, PartnerAddView, PartnerListView

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
    "PartnerListView",
    "ProgressAddView",
    "ProgressEditView",
    "ProgressListView",
    "ResourceAddView",
    "ResourceDetailView",
    "ResourceEditView",
    "ResourceListView",
    "SaleAddView",
    "SaleEditView",
    "SaleListView",
    "TrainingAddView",
    "TrainingEditView",
    "TrainingListView",
]
