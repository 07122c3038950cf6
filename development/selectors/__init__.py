"""Reads of the development app, one module per part."""

from .figures import figures_rows, latest_figures
from .ledger import LedgerRow, has_ledger_generals, latest_year, ledger, ledger_generals, ledger_total
from .pairings import STALE_AFTER, Side, latest_in_year, pairing_rows, pairing_sides, progress_rows, stale
from .partnerships import partner_rows

__all__ = [
    "STALE_AFTER",
    "LedgerRow",
    "Side",
    "figures_rows",
    "has_ledger_generals",
    "latest_figures",
    "latest_in_year",
    "latest_year",
    "ledger",
    "ledger_generals",
    "ledger_total",
    "pairing_rows",
    "pairing_sides",
    "partner_rows",
    "progress_rows",
    "stale",
]
