"""Shared fixtures: a small tree with members, and the personas of STYLE.md (Tests) placed on it.

The tree:

    安定镇党委 (town)
    ├── 第一联村党总支 (g1): 东庄村党支部 (v11), 西庄村党支部 (v12)
    └── 第二联村党总支 (g2): 南营村党支部 (v21), 北营村党支部 (v22)

Every village has three members whose names start with the village's short name (东庄, 西庄, 南营, 北营), so a
page's scope can be checked by looking for those names. The personas (kit.PERSONAS) hold positions on it; the
objects of g2 at the end are out of scope for g1's people, v11's and the outsider (the route walk asks for them).
"""

import datetime
import types

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from anding import duties
from anding.two_factor import requires_two_factor
from branches import actions
from branches.choices import CommitteePost, MeetingKind, OrgKind, Role
from branches.models import PartyGroup

from . import days, kit
from .cases import open_case, recruit, registered_powers
from .factories import (
    OrganizationFactory,
    PositionFactory,
    UserFactory,
    grant,
    make_members,
    verify_second_factor,
    whole_village_group,
)

MEMBERS_PER_VILLAGE = 3
SHORT_NAMES = {"v11": "东庄", "v12": "西庄", "v21": "南营", "v22": "北营"}
NODES = ("town", "g1", "g2", *SHORT_NAMES)


def pytest_configure(config):
    # WhiteNoise warns that `collectstatic` has not run; tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # Most tests submit the current month's report: for them the submission window is open all month (module
    # fixtures such as the demo included). tests/test_report_window.py tests the default (the month's last day).
    from django.conf import settings

    settings.REPORT_SUBMIT_DAYS_BEFORE_MONTH_END = 31
    # The dashboards' figures are read afresh on each request but in tests/test_dashboard_cache.py, which keeps them.
    settings.DASHBOARD_CACHE_SECONDS = 0
    # A test's commits need not wait for the disk: the transactional tests' commits and flushes, and each worker's
    # migrations, would (a throwaway database, so nothing is lost that matters).
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.postgresql":
        default["OPTIONS"]["options"] += " -c synchronous_commit=off"
    # A read replica mirroring the test database, for tests/test_db_router.py; reads go there only where a test
    # lists it in READ_REPLICAS.
    if "replica1" not in settings.DATABASES:
        settings.DATABASES["replica1"] = {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _dates_of_the_day():
    days.follow_the_day()  # a run that passes midnight: the modules' TODAY and the like move to the new day


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
    tree = types.SimpleNamespace(**nodes, members=members, short=SHORT_NAMES)
    refresh(tree)
    return tree


def refresh(tree) -> None:
    """Read the tree's nodes again: each insert moves the nested-set numbers of the nodes around it."""
    for key in NODES:
        getattr(tree, key).refresh_from_db()


def more_villages(tree, parent: str, count: int, tag: str) -> list:
    """`count` more villages under the tree's node `parent` ("g1" or "g2"), named and coded after `tag`."""
    villages = [
        OrganizationFactory(
            kind=OrgKind.VILLAGE, name=f"{tag}村{i:02d}", code=f"{tag}{i:03d}", parent=getattr(tree, parent)
        )
        for i in range(count)
    ]
    refresh(tree)
    for village in villages:
        village.refresh_from_db()
    return villages


def _persona(username, organization, role, **position):
    user = UserFactory(username=username, full_name=username)
    PositionFactory(user=user, organization=organization, role=role, **position)
    return user


POSITIONS = {  # persona: (user name, node of the tree, role, liaison villages, title)
    "town_cadre": ("town", "town", Role.TOWN_CADRE, [], "镇党委组织委员"),  # the whole town
    "gb_secretary": ("gb1", "g1", Role.GENERAL_SECRETARY, [], ""),  # g1; its sibling g2 is out of scope
    "gb2_secretary": ("gb2", "g2", Role.GENERAL_SECRETARY, [], ""),  # g2, the sibling
    "village_secretary": ("v11", "v11", Role.VILLAGE_SECRETARY, [], ""),  # 东庄; the neighbour 西庄 is out of scope
    "neighbour_secretary": ("sec-v12", "v12", Role.VILLAGE_SECRETARY, [], ""),  # 西庄, the neighbour
    "deputy": ("dep1", "g1", Role.DEPUTY_SECRETARY, ["v11", "v12"], ""),  # sees g1's villages, changes nothing
    "dept_staff": ("staff", "town", Role.DEPARTMENT_STAFF, [], ""),  # the organization's names, no member
}


# The groups of a persona besides their position: the town's cadres may reveal ID numbers and export the roster, as
# in the demo (anding.duties).
PERSONA_GROUPS = {"town_cadre": [duties.ID_NUMBER_REVEALERS, duties.MEMBER_EXPORTERS]}


def _positioned(name):
    """The fixture of the persona `name`: a user holding the position POSITIONS[name] on the tree."""
    username, node, role, liaison, title = POSITIONS[name]

    @pytest.fixture(name=name)
    def persona(tree):
        villages = [getattr(tree, key) for key in liaison]
        user = _persona(username, getattr(tree, node), role, liaison_villages=villages, title=title)
        grant(user, *PERSONA_GROUPS.get(name, []))
        return user

    return persona


town_cadre = _positioned("town_cadre")
gb_secretary = _positioned("gb_secretary")
gb2_secretary = _positioned("gb2_secretary")
village_secretary = _positioned("village_secretary")
neighbour_secretary = _positioned("neighbour_secretary")
deputy = _positioned("deputy")
dept_staff = _positioned("dept_staff")


@pytest.fixture
def outsider(db):
    """A user without any position."""
    return UserFactory(username="nobody")


@pytest.fixture
def superuser(db):
    return UserFactory(username="breakglass", is_staff=True, is_superuser=True)  # not "root": no default accounts


# The three administrators (三员分立): staff, one administrator group each, no position.
@pytest.fixture
def sysadmin(db):
    return grant(UserFactory(username="sysadmin", is_staff=True), duties.SYSTEM_ADMIN)


@pytest.fixture
def secadmin(db):
    return grant(UserFactory(username="secadmin", is_staff=True), duties.SECURITY_ADMIN)


@pytest.fixture
def auditadmin(db):
    return grant(UserFactory(username="auditadmin", is_staff=True), duties.AUDIT_ADMIN)


@pytest.fixture
def client_as():
    """`client_as(user)`: a test client logged in as `user` (anonymous for None); an administrator has given
    their two-factor code too (tests/test_two_factor.py tests the step itself)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
            if requires_two_factor(user):
                verify_second_factor(client, user)
        return client

    return make


@pytest.fixture
def fresh(settings):
    """What the cache keeps until its data changes (anding.kept, anding.freshness) is kept, as with Redis."""
    settings.DASHBOARD_CACHE_SECONDS = 300
    settings.REDIS_URL = "redis://shared"  # only whether the cache is shared is read: the tests' cache is one process
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fixtures(request, db):
    """The running test's fixtures by name, for URL templates (kit.Fixtures); with the database, which a fixture
    asked for by name cannot set up."""
    return kit.Fixtures(request)


@pytest.fixture
def check_access(fixtures, client_as):
    """`check_access(persona, url, status)`: what `persona` (a fixture of kit.PERSONAS, or "anonymous") gets from the
    URL template `url` is `status` (or kit.LOGIN). `method` and keyword arguments go to the client; returns the
    response."""

    def check(persona, url, status, *, method="get", **kwargs):
        path = fixtures.url(url)
        client = client_as(None if persona == "anonymous" else fixtures[persona])
        response = getattr(client, method)(path, **kwargs)
        kit.assert_answer(response, path, status)
        return response

    return check


def dashboard_figures(response) -> dict[str, int]:
    """The figures of the dashboard's organization panel, by their English label."""
    panel = next(p for p in response.context["panels"] if p["template"] == "branches/dashboard_panel.html")
    with translation.override("en"):
        return {str(figure["label"]): figure["value"] for figure in panel["figures"]}


# --- objects of g2, out of scope for g1, v11, g1's deputy and the outsider (kit.OUT_OF_SCOPE) ---------------------


def plan(actor, org, kind=MeetingKind.BRANCH_COMMITTEE, planned_for=None, title="支委会"):
    """A meeting planned through the service (today unless `planned_for`); a 党小组会 names a group of every member."""
    return actions.meeting_plan(
        actor=actor,
        organization=org,
        kind=kind,
        title=title,
        planned_for=planned_for or timezone.localdate(),
        party_group=whole_village_group(org) if kind == MeetingKind.PARTY_GROUP else None,
    )


@pytest.fixture
def g2_meeting(tree, gb2_secretary):
    """A work meeting of g2, planned by its secretary."""
    return plan(gb2_secretary, tree.g2, kind=MeetingKind.WORK_MEETING, title="第二总支工作例会")


@pytest.fixture
def g2_attachment(settings, tmp_path, gb2_secretary, g2_meeting):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("记录.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return actions.meeting_attach(actor=gb2_secretary, meeting=g2_meeting, upload=upload)


@pytest.fixture
def g2_report(tree):
    """This month's report of 南营 (v21), a draft of its secretary."""
    secretary = _persona("sec-v21", tree.v21, Role.VILLAGE_SECRETARY)
    return actions.report_start(actor=secretary, village=tree.v21, month=timezone.localdate().replace(day=1))


@pytest.fixture
def g2_task(tree, town_cadre):
    """Deployed by the town to g2 and its village v21."""
    due = timezone.localdate() + datetime.timedelta(days=7)
    return actions.task_deploy(
        actor=town_cadre, issued_by=tree.town, title="第二总支的任务", due_date=due, assignees=[tree.g2, tree.v21]
    )


@pytest.fixture
def g2_assignment(tree, g2_task):
    return g2_task.assignments.get(assignee=tree.g2)


@pytest.fixture
def g2_committee(tree, gb2_secretary):
    """A committee of 南营 (v21): its three members, elected in 2024."""
    posts = [CommitteePost.SECRETARY, CommitteePost.ORGANIZATION, CommitteePost.PROPAGANDA]
    seats = [actions.SeatLine(member=m, post=p) for m, p in zip(tree.members["v21"], posts, strict=True)]
    return actions.committee_elect(
        actor=gb2_secretary, village=tree.v21, term_start=datetime.date(2024, 3, 1), seats=seats
    )


@pytest.fixture
def g2_party_group(tree, gb2_secretary):
    """A party group of 南营 (v21) with its three members."""
    members = tree.members["v21"]
    group = PartyGroup(village=tree.v21, name="南营第一党小组", leader=members[0], formed_on=datetime.date(2024, 3, 1))
    return actions.party_group_save(actor=gb2_secretary, group=group, members=members)


@pytest.fixture
def g2_cases(tree, gb2_secretary):
    """One case of every power over 南营 (v21), opened by g2's secretary: {power code: case}."""
    return {code: open_case(code, gb2_secretary, tree.v21) for code in registered_powers()}


@pytest.fixture
def g2_case_attachments(settings, tmp_path, gb2_secretary, g2_cases):
    """A file attached to each case of g2_cases: {power code: attachment}."""
    settings.MEDIA_ROOT = tmp_path
    attachments = {}
    for code, case in g2_cases.items():
        upload = SimpleUploadedFile("记录.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
        attachments[code] = actions.case_attach(actor=gb2_secretary, case=case, upload=upload)
    return attachments


@pytest.fixture
def g2_recruitment(tree, gb2_secretary):
    """A recruitment case of 南营 (v21), an activist, recorded by g2's secretary."""
    return recruit(gb2_secretary, tree.v21, 3, name="南营申请人", seq=71)


# The fixtures of the services and development apps' objects of g2.
from .fixtures_apps import *  # noqa: E402, F403
