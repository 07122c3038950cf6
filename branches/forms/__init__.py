"""Forms of the branches app, by sub-topic."""

from .committees import *  # noqa: F403
from .meetings import *  # noqa: F403
from .organization import *  # noqa: F403
from .powers import *  # noqa: F403
from .powers_emergency import *  # noqa: F403
from .powers_evaluation import *  # noqa: F403
from .powers_matter import *  # noqa: F403
from .recruitment import *  # noqa: F403
from .reports import *  # noqa: F403
from .tasks import *  # noqa: F403
