"""The admin of the branches app, one module per sub-topic."""

from . import (  # noqa: F401
    committees,
    meetings,
    organization,
    powers,
    powers_emergency,
    powers_evaluation,
    powers_matter,
    recruitment,
    reports,
    tasks,
)
