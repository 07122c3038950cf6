"""The seven powers' workflows and actions: the shared machinery in `base`, one module per power."""

from . import guidance, inspection, major_matter, prereview  # noqa: F401  (register their workflows)
from .adjustment import *  # noqa: F403
from .base import *  # noqa: F403
from .emergency import *  # noqa: F403
from .evaluation import *  # noqa: F403
from .inspection import *  # noqa: F403
from .major_matter import *  # noqa: F403
