"""Views of the branches app, by sub-topic."""

from .organization import *  # noqa: F403
