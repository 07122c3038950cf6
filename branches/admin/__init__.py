"""The admin of the branches app, one module per sub-topic."""

from . import meetings, organization, reports, tasks  # noqa: F401
