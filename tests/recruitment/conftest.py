"""Fixtures of the recruitment tests: the people of g2 who act on 南营 (v21)."""

import pytest

from branches.choices import Role

from ..conftest import _persona


@pytest.fixture
def g2_deputy(tree):
    """A deputy secretary of g2, liaison for 南营 (v21): sees, does not record."""
    return _persona("dep2", tree.g2, Role.DEPUTY_SECRETARY, liaison_villages=[tree.v21])


@pytest.fixture
def v21_secretary(tree):
    """The secretary of 南营 (v21), a village of g2: records its recruitment."""
    return _persona("sec-v21", tree.v21, Role.VILLAGE_SECRETARY)
