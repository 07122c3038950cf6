"""The dashboard's charts in a browser (issue 11, done-when 4): drawn in Chinese and in English, at 375 px and at
1280 px, with no request leaving the site and nothing wider than the screen."""

import pytest

from ..test_dashboard_scale import grow
from ..test_query_counts import SMALL, build
from .test_browser import browser, log_in, open_page  # noqa: F401 (the browser fixture)

pytestmark = pytest.mark.e2e
HEADINGS = {"zh-CN": "三会一课", "en-US": "Three meetings and a lesson"}


@pytest.fixture(autouse=True)
def _allow_async_unsafe(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def town_cadre(transactional_db):
    from services.models import ServiceCentre

    # A transactional test empties the tables after it, reference rows of the migrations included.
    ServiceCentre.objects.get_or_create(code="centre-1", defaults={"name_zh": "第一服务中心", "name_en": "Centre 1"})
    cadre = grow(build(*SMALL, tag="S"), "S")["town_cadre"]
    cadre.username = "town-cadre"  # the login form takes user names in lower case
    cadre.save(update_fields=["username"])
    return cadre


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize("width", [375, 1280])
def test_charts_render_from_the_site_alone(browser, live_server, town_cadre, width, locale):  # noqa: F811
    page = open_page(browser, width=width, locale=locale)
    outside = []
    page.on(
        "request", lambda r: r.url.startswith(live_server.url) or r.url.startswith("data:") or outside.append(r.url)
    )
    log_in(page, live_server.url, town_cadre.username)
    assert HEADINGS[locale] in page.locator("main").inner_text()
    charts = page.locator("main figure.chart svg")
    assert page.locator("main svg.bar-chart").count() >= 5
    assert page.locator("main svg.line-chart").count() == 1
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    bars = page.locator("main svg.bar-chart rect.bar")
    assert any(bars.nth(i).bounding_box()["width"] > 0 for i in range(bars.count()))
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling
    page.locator("main details.chart-table summary").first.click()
    assert page.locator("main details.chart-table table").first.is_visible()
    assert outside == []
    assert page.problems == []
