"""Browser tests: the pages as a person sees them, in headless Chromium (Debian's package, driven by Playwright).

Skipped when Chromium or Playwright is missing; `.ci/run` installs both. They check what only a browser shows:
the Content-Security-Policy lets every page run (no blocked script or style), the phone layout folds the
navigation into a menu, the language switch works, and a bad form shows its errors in place.
"""

import os
import shutil

import pytest

from branches.choices import Role

from ..factories import PASSWORD, PositionFactory, UserFactory, totp_code, totp_device

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(autouse=True)
def _allow_async_unsafe():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_page(browser, *, width=1280, locale="zh-CN"):
    page = browser.new_page(viewport={"width": width, "height": 900}, locale=locale)
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    return page


def log_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def town_user(transactional_db, tree):
    user = UserFactory(username="town", full_name="江东飞")
    PositionFactory(user=user, organization=tree.town, role=Role.TOWN_CADRE)
    return user


def test_pages_run_under_the_csp_in_chinese(browser, live_server, town_user, tree):
    page = open_page(browser)
    log_in(page, live_server.url, "town")
    assert "欢迎" in page.content() or "江东飞" in page.content()
    for path in ["/", "/org/", f"/org/{tree.g1.pk}/", "/members/", "/members/add/"]:
        page.goto(live_server.url + path)
        assert page.locator("main h1").count() == 1
    assert page.problems == []  # no CSP violation, no script error


def test_phone_layout_folds_the_navigation(browser, live_server, town_user):
    page = open_page(browser, width=375)
    log_in(page, live_server.url, "town")
    nav = page.locator("#portal-nav")
    assert not nav.is_visible()
    page.click("button[data-bs-target='#portal-nav']")
    nav.wait_for(state="visible")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # no sideways scrolling
    assert page.problems == []


def test_language_switch_and_form_errors(browser, live_server, town_user, tree):
    page = open_page(browser)
    log_in(page, live_server.url, "town")
    page.click("button[value=en]")
    page.goto(f"{live_server.url}/members/add/")
    assert "Add a member" in page.content()
    page.fill("#id_name", "王五")
    page.fill("#id_id_number", "110115197001010013")  # wrong check digit
    page.click("main form button[type=submit]")
    error = page.locator(".invalid-feedback").first
    assert error.is_visible()
    assert "check digit" in page.content()
    assert page.problems == []


def test_admin_and_api_docs_run_under_their_csp(browser, live_server, superuser, tree):
    device = totp_device(superuser)
    page = open_page(browser)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", superuser.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")  # the second step, then back to the admin
    page.fill("#id_code", totp_code(device))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/admin/")
    for path in [
        "/accounts/two-factor/setup/",
        "/admin/branches/organization/",
        f"/admin/branches/organization/{tree.v11.pk}/change/",
        "/api/docs/",
    ]:
        page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")  # the API docs fetch the schema: done before the database goes
    assert page.problems == []


def test_the_tree_opens_a_level_by_a_plain_link_on_a_phone_without_script(
    browser, live_server, town_user, tree, monkeypatch
):
    from branches.selectors import organization

    monkeypatch.setattr(organization, "TREE_PAGE_ROWS", 3)  # one level at first, as for a district
    page = browser.new_page(viewport={"width": 375, "height": 800}, locale="zh-CN", java_script_enabled=False)
    log_in(page, live_server.url, "town")
    page.goto(f"{live_server.url}/org/")
    assert tree.v11.name not in page.inner_text("main")

    page.click(f"a.tree-toggle[href='?open={tree.g1.pk}#node-{tree.g1.pk}']")

    assert tree.v11.name in page.inner_text("main")
    assert tree.v21.name not in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
