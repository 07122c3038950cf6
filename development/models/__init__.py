"""Models of the development app: villages' figures, pairings (强村带弱村), external partnerships (外部带动内部) and
"general branch + N households" (总支+N农户)."""

from .figures import VillageFigures
from .households import BranchResource, ResourceTraining, SharedSale
from .pairings import Pairing, PairingProgress
from .partnerships import Partner, PartnerEvent

__all__ = [
    "BranchResource",
    "Pairing",
    "PairingProgress",
    "Partner",
    "PartnerEvent",
    "ResourceTraining",
    "SharedSale",
    "VillageFigures",
]
