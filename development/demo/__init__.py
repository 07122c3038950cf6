"""The demo of the development app (a "demo" provider run by `manage.py load_demo`): the source's shared
development in 2021, written as records (never typed into the ledger), which the ledger then adds up to the
source's figures. Made only when no pairing exists."""

from . import records

__all__ = ["load"]


def load(stdout) -> None:
    records.load(stdout)
