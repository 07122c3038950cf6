"""Shared fixtures: a small tree with members, and the personas of STYLE.md (Tests) placed on it.

The tree:

    安定镇党委 (town)
    ├── 第一联村党总支 (g1): 东庄村党支部 (v11), 西庄村党支部 (v12)
    └── 第二联村党总支 (g2): 南营村党支部 (v21), 北营村党支部 (v22)

Every village has three members whose names start with the village's short name (东庄, 西庄, 南营, 北营), so a
page's scope can be checked by looking for those names.
"""

import types

import pytest
from django.test import Client
from django.utils import translation

from branches.choices import OrgKind, Role

from .factories import OrganizationFactory, PositionFactory, UserFactory, make_members

MEMBERS_PER_VILLAGE = 3
SHORT_NAMES = {"v11": "东庄", "v12": "西庄", "v21": "南营", "v22": "北营"}


def pytest_configure(config):
    # WhiteNoise warns that `collectstatic` has not run; tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # Most tests submit the current month's report: for them the submission window is open all month (module
    # fixtures such as the demo included). tests/test_report_window.py tests the default (the month's last day).
    from django.conf import settings

    settings.REPORT_SUBMIT_DAYS_BEFORE_MONTH_END = 31


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_town(code="110115105", name="安定镇党委"):
    return OrganizationFactory(kind=OrgKind.TOWN, name=name, code=code)


@pytest.fixture
def tree(db):
    """The small tree above; nodes are created one by one through `Organization.save()`."""
    town = build_town()
    g1 = OrganizationFactory(kind=OrgKind.GENERAL, name="第一联村党总支", code="G1", parent=town)
    g2 = OrganizationFactory(kind=OrgKind.GENERAL, name="第二联村党总支", code="G2", parent=town)
    nodes = {"town": town, "g1": g1, "g2": g2}
    members = {}
    for key, parent in (("v11", g1), ("v12", g1), ("v21", g2), ("v22", g2)):
        short = SHORT_NAMES[key]
        nodes[key] = OrganizationFactory(
            kind=OrgKind.VILLAGE, name=f"{short}村党支部", code=f"{key.upper()}", parent=parent
        )
    for key, short in SHORT_NAMES.items():
        members[key] = make_members(nodes[key], MEMBERS_PER_VILLAGE, prefix=short)
    for node in nodes.values():
        node.refresh_from_db()  # sibling inserts moved the nested-set numbers of earlier nodes
    return types.SimpleNamespace(**nodes, members=members, short=SHORT_NAMES)


def _persona(username, organization, role, **position):
    user = UserFactory(username=username, full_name=username)
    PositionFactory(user=user, organization=organization, role=role, **position)
    return user


@pytest.fixture
def town_cadre(tree):
    return _persona("town", tree.town, Role.TOWN_CADRE, title="镇党委组织委员")


@pytest.fixture
def gb_secretary(tree):
    """Secretary of 第一联村党总支 (g1); its sibling g2 is out of scope."""
    return _persona("gb1", tree.g1, Role.GENERAL_SECRETARY)


@pytest.fixture
def gb2_secretary(tree):
    return _persona("gb2", tree.g2, Role.GENERAL_SECRETARY)


@pytest.fixture
def village_secretary(tree):
    """Secretary of 东庄 (v11); the neighbour 西庄 (v12) is out of scope."""
    return _persona("v11", tree.v11, Role.VILLAGE_SECRETARY)


@pytest.fixture
def deputy(tree):
    """Deputy secretary of g1, liaising with both of its villages: sees, but does not change."""
    return _persona("dep1", tree.g1, Role.DEPUTY_SECRETARY, liaison_villages=[tree.v11, tree.v12])


@pytest.fixture
def dept_staff(tree):
    """Department staff on the town: the organization's names, none of its members."""
    return _persona("staff", tree.town, Role.DEPARTMENT_STAFF)


@pytest.fixture
def outsider(db):
    """A user without any position."""
    return UserFactory(username="nobody")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def client_as():
    """`client_as(user)`: a test client logged in as `user` (anonymous for None)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


def dashboard_figures(response) -> dict[str, int]:
    """The figures of the dashboard's organization panel, by their English label."""
    panel = next(p for p in response.context["panels"] if p["template"] == "branches/dashboard_panel.html")
    with translation.override("en"):
        return {str(figure["label"]): figure["value"] for figure in panel["figures"]}
