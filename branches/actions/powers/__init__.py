"""The seven powers' workflows and actions: the shared machinery in `base`, one module per power."""

from . import guidance, inspection, major_matter  # noqa: F401  (registers their workflows)
from .base import *  # noqa: F403
from .inspection import *  # noqa: F403
from .major_matter import *  # noqa: F403
