"""Selectors (scoped reads) of the branches app, by sub-topic."""

from .attention import *  # noqa: F403
from .breakdown import *  # noqa: F403
from .committees import *  # noqa: F403
from .completeness import *  # noqa: F403
from .drilldown import *  # noqa: F403
from .evaluation import *  # noqa: F403
from .meetings import *  # noqa: F403
from .organization import *  # noqa: F403
from .pack import *  # noqa: F403
from .powers import *  # noqa: F403
from .powers_emergency import *  # noqa: F403
from .recruitment import *  # noqa: F403
from .reports import *  # noqa: F403
from .tasks import *  # noqa: F403
