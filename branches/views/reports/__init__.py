"""HTML views of the monthly reports, by sub-topic: the report pages and workflow verbs, the completeness of a
month, and the meeting pack.

Reads 404 outside the user's scope; a workflow step the user may not take is 403 (the services say so); a step the
report's state does not allow comes back as a message on the report's page. State changes are POST only, each
followed by a redirect.
"""

from . import completeness, meeting_pack, pages
from .completeness import *  # noqa: F403
from .meeting_pack import *  # noqa: F403
from .pages import *  # noqa: F403
from .pages import report_actions  # noqa: F401  (importable from here as before the split)

__all__ = sorted([*completeness.__all__, *meeting_pack.__all__, *pages.__all__])
