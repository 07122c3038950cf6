"""Forms of the development app, one module per part."""

from .figures import FiguresForm
from .households import ResourceForm, SaleForm, TrainingForm
from .pairings import PairingForm, ProgressForm
from .partnerships import EventForm, PartnerForm

__all__ = [
    "EventForm",
    "FiguresForm",
    "PairingForm",
    "PartnerForm",
    "ProgressForm",
    "ResourceForm",
    "SaleForm",
    "TrainingForm",
]
