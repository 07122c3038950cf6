"""The admin of the branches app, one module per sub-topic."""

from . import committees, meetings, organization, powers, powers_matter, reports, tasks  # noqa: F401
