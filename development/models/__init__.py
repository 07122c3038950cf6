"""Models of the development app: villages' figures and pairings (强村带弱村)."""

from .figures import VillageFigures
from .pairings import Pairing, PairingProgress

__all__ = ["Pairing", "PairingProgress", "VillageFigures"]
