"""The pages of lists and summaries, and the API's lists, of a town-wide or narrower user are kept (anding.kept) until
a write changes what they show: every such page, after writes of every kind of record, shows what it shows when read
afresh; a kept page is served to the session that read it only, without a message that waits, never as an export,
and not to a wider scope."""

import json

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.cache import cache
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from anding import kept
from anding.kept import KeptListMixin, KeptPageMixin
from anding.models import AuditEvent
from branches import actions
from branches.choices import OrgKind, Role
from branches.models import Organization, PartyMember, Position

from .conftest import _persona
from .factories import UserFactory, make_members, member_form_data
from .test_freshness import KEPT_QUERIES, city_with_secretaries, read

# A record of each kind the apps write (the fixtures of tests/conftest.py and tests/fixtures_apps.py), in 南营 (v21)
# of the second general branch, through the services.
WRITES = [
    "g2_meeting",
    "g2_report",
    "g2_task",
    "g2_committee",
    "g2_party_group",
    "g2_cases",
    "g2_recruitment",
    "g2_service_record",
    "g2_plan",
    "g2_allocation",
    "g2_visit",
    "g2_progress",
    "g2_figures",
    "g2_event",
    "g2_training",
    "g2_sale",
]


def kept_pages(patterns=None, prefix="/") -> list[str]:
    """The address of every kept page without a parameter: the lists and summaries, and the API's lists."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern).removeprefix("^").removesuffix("$")
        if any(sign in route for sign in "<([\\"):
            continue
        if isinstance(pattern, URLResolver):
            found += kept_pages(pattern.url_patterns, prefix + route)
            continue
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        page = isinstance(view, type) and issubclass(view, KeptPageMixin) and view.kept
        listed = isinstance(view, type) and issubclass(view, KeptListMixin)
        if page or (listed and getattr(pattern.callback, "actions", {}).get("get") == "list"):
            found.append(prefix + route)
    return found


@pytest.fixture
def browser(client_as):
    """`browser(user)`: a client logged in as `user` with a CSRF cookie, as a browser has from the login page."""

    def make(user):
        client = client_as(user)
        client.cookies[settings.CSRF_COOKIE_NAME] = "k" * 32
        return client

    return make


@pytest.fixture
def v21_secretary(tree):
    return _persona("kept-v21", tree.v21, Role.VILLAGE_SECRETARY)


@pytest.fixture
def city(db):
    return city_with_secretaries("P")


def test_every_list_summary_and_api_list_is_kept():
    pages = kept_pages()
    assert {"/members/", "/meetings/", "/reports/completeness/", "/org/", "/api/members/", "/services/"} <= set(pages)
    assert len(pages) > 40
    assert not {"/members/import/", "/services/households/import/"} & set(pages)  # an upload in progress


@pytest.mark.parametrize("persona", ["town_cadre", "gb2_secretary", "v21_secretary"])
def test_each_kept_page_shows_what_a_fresh_read_shows_after_writes_of_every_kind(
    fresh, settings, request, browser, tree, persona
):
    """Each page read (and kept) first, then a record of each kind written in the persona's scope: the kept pages
    show them as a page read without the cache does."""
    client = browser(request.getfixturevalue(persona))
    pages = kept_pages()
    before = {path: read(client, path) for path in pages}
    assert all(read(client, path)[2] <= KEPT_QUERIES for path, (status, *_) in before.items() if status == 200)

    for name in WRITES:
        request.getfixturevalue(name)
    served = {path: read(client, path) for path in pages}
    settings.REDIS_URL = ""  # nothing kept: each page read afresh
    afresh = {path: read(client, path) for path in pages}

    for path in pages:
        assert served[path][:2] == afresh[path][:2], path
    changed = [path for path in pages if served[path][1] != before[path][1]]
    assert len(changed) > 20, changed  # the writes are seen: not a comparison of pages that nothing changed


@pytest.mark.parametrize("path", ["/members/", "/meetings/", "/api/members/", "/reports/completeness/"])
@pytest.mark.parametrize("persona", ["town_cadre", "gb_secretary", "village_secretary"])
def test_a_page_is_read_once_then_kept_until_its_village_changes(fresh, browser, city, persona, path):
    client = browser(city[persona])
    first = read(client, path)
    second = read(client, path)
    assert second[:2] == first[:2] and second[2] <= KEPT_QUERIES < first[2]

    make_members(city["villages"][0], 3, prefix="新来")  # a bulk insert, heard from the scoped queryset

    assert read(client, path)[2] > KEPT_QUERIES


def test_a_write_in_the_neighbouring_village_keeps_the_page(fresh, browser, city):
    client = browser(city["neighbour"])
    before = read(client, "/members/")
    make_members(city["villages"][0], 3, prefix="邻村")
    assert read(client, "/members/")[2] <= KEPT_QUERIES < before[2]


def test_a_page_is_kept_per_session_and_language(fresh, browser, city):
    """Another session of the same user reads its own page: a page holds its session's CSRF token."""
    user = city["village_secretary"]
    first, second = browser(user), browser(user)
    read(first, "/members/")

    assert read(second, "/members/")[2] > KEPT_QUERIES
    assert read(first, "/members/", language="zh-hans")[2] > KEPT_QUERIES
    assert read(first, "/members/")[2] <= KEPT_QUERIES


def test_a_message_is_shown_once_and_never_kept(fresh, browser, city):
    client = browser(city["village_secretary"])
    read(client, "/members/")

    response = client.post("/members/add/", member_form_data(city["villages"][0]))
    assert response.status_code == 302
    status, shown, queries = read(client, "/members/")
    assert 'role="status"' in shown and "新党员" in shown and queries > KEPT_QUERIES

    assert 'role="status"' not in read(client, "/members/")[1]
    assert 'role="status"' not in read(client, "/members/")[1]


def test_an_export_is_never_kept(fresh, browser, city):
    client = browser(city["town_cadre"])
    for _ in range(2):
        response = client.get("/meetings/?export=xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(actor=city["town_cadre"], action="export").count() == 2  # each one audited


def test_a_wider_scope_is_read_each_time(fresh, browser, city):
    client = browser(city["district_cadre"])
    first = read(client, "/members/")
    assert read(client, "/members/")[2] == first[2]


def test_an_ended_position_ends_what_was_kept(fresh, browser, city):
    user = city["village_secretary"]
    client = browser(user)
    assert city["villages"][0].name in read(client, "/org/")[1]

    Position.objects.get(user=user).delete()

    assert city["villages"][0].name not in read(client, "/org/")[1]
    assert json.loads(read(client, "/api/members/")[1])["results"] == []


def test_a_village_moved_to_another_general_branch_shows_under_it_at_once(fresh, browser, city):
    old, new = Organization.objects.filter(parent=city["towns"][0], kind=OrgKind.GENERAL).order_by("code")[:2]
    moved = city["villages"][1]
    new_secretary = UserFactory(username="gb2-secretary-p")
    Position.objects.create(user=new_secretary, organization=new, role=Role.GENERAL_SECRETARY)
    old_client, new_client = browser(city["gb_secretary"]), browser(new_secretary)
    assert moved.name in read(old_client, "/members/")[1]
    assert moved.name not in read(new_client, "/members/")[1]

    admin = UserFactory(username="restructurer-p", is_superuser=True, is_staff=True)
    actions.organization_move(
        actor=admin, organization=moved, new_parent=new, effective_date=timezone.localdate(), reason="调整联村范围"
    )

    assert moved.name not in read(old_client, "/members/")[1]
    assert moved.name in read(new_client, "/members/")[1]


def test_the_cache_holds_no_page_in_clear(fresh, browser, city):
    """A kept page is encrypted with the personal data's key; one that a changed key cannot open is read afresh."""
    client = browser(city["village_secretary"])
    name = PartyMember.objects.filter(branch=city["villages"][0]).first().name
    assert name in read(client, "/members/")[1] and name in read(client, "/members/")[1]

    held = b"".join(value for value in cache._cache.values() if isinstance(value, bytes))
    assert held and name.encode() not in held and b"/members/" not in held

    other_key = Fernet(Fernet.generate_key())  # kept before the keys changed
    for name in [key.split(":", 2)[2] for key in cache._cache if ":kept:" in key]:
        cache.set(name, other_key.encrypt(b"an old page"))
    assert read(client, "/members/")[2] > KEPT_QUERIES


def test_a_refusal_on_a_kept_page_is_audited(fresh, browser, city):
    """A kept page is read in a transaction: the denial it audits is written after it, not rolled back with it."""
    client = browser(city["village_secretary"])
    path = f"/org/?open={city['villages'][1].pk}"  # the neighbouring village: out of scope

    assert [client.get(path).status_code for _ in range(2)] == [404, 404]
    assert AuditEvent.objects.filter(actor=city["village_secretary"], action="access_denied").count() == 2


def test_a_new_release_reads_afresh(fresh, browser, city, monkeypatch, settings, tmp_path):
    """A page kept by one release (its code, templates, translations, settings) is not served by the next."""
    client = browser(city["village_secretary"])
    read(client, "/members/")
    assert read(client, "/members/")[2] <= KEPT_QUERIES

    digest = kept.release.__wrapped__  # uncached
    monkeypatch.setattr(kept, "release", lambda: "the next release")
    assert read(client, "/members/")[2] > KEPT_QUERIES

    before = digest()
    (tmp_path / "page.html").write_text("{{ a changed template }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    with_template = digest()
    settings.REPORT_DUE_DAY += 1
    assert len({before, with_template, digest()}) == 3


def test_a_general_branch_record_shown_on_a_village_page_is_fresh(fresh, browser, tree, v21_secretary, request):
    """A village's service records name the service centre of its general branch, a record of the general branch:
    a write there bumps the subtree below it too."""
    record = request.getfixturevalue("g2_service_record")
    client = browser(v21_secretary)
    read(client, "/services/records/", language="zh-hans")
    assert read(client, "/services/records/", language="zh-hans")[2] <= KEPT_QUERIES

    centre = record.session.centre
    centre.name_zh = "南营服务中心（新址）"
    centre.save()

    assert "南营服务中心（新址）" in read(client, "/services/records/", language="zh-hans")[1]
