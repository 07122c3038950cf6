"""The seven powers' workflows and actions: the shared machinery in `base`, one module per power."""

from . import guidance  # noqa: F401  (registers its workflow)
from .adjustment import *  # noqa: F403
from .base import *  # noqa: F403
from .evaluation import *  # noqa: F403
