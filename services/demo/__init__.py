"""The demo of the services app (a "demo" provider run by `manage.py load_demo`), one module per part, each
idempotent."""

from . import funds, plans, sessions, visits

__all__ = ["load"]


def load(stdout) -> None:
    sessions.load(stdout)
    plans.load(stdout)
    funds.load(stdout)
    visits.load(stdout)
