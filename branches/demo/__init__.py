"""The demo town of the source (`manage.py load_demo`): the tree, the roster and the officers (`town`), and a
year of branch life (`life`)."""

from .story import TOWN_CODE
from .town import MEMBER_TOTAL, VILLAGES, load

__all__ = ["MEMBER_TOTAL", "TOWN_CODE", "VILLAGES", "load"]
