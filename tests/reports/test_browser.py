"""The city coordinator's report journey in Debian's Chromium: charts drawn from local files, drill-down."""

from pathlib import Path

import pytest

from django.conf import settings

from tests.auth import browser_login
from tests.courses.test_browser import ARGS, CHROMIUM
from tests.courses.test_demo import load_demo

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_city_coordinator_drills_down_with_local_charts(live_server, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    load_demo()
    url = live_server.url
    requested = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(20000)
        page.on("request", lambda request: requested.append(request.url))

        browser_login(page, url, "city_coord")

        page.get_by_role("link", name="管理报表").first.click()
        page.get_by_role("link", name="培训完成情况").click()
        expect(page.locator("h1")).to_have_text("培训完成情况")
        # ECharts (served from our static files) draws both charts into canvases.
        expect(page.locator("[data-chart=bar] canvas")).to_have_count(1)
        expect(page.locator("[data-chart=pie] canvas")).to_have_count(1)
        assert page.evaluate("typeof window.echarts") == "object"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "reports-city.png"), full_page=True)

        page.get_by_role("link", name="东湖区", exact=True).click()
        expect(page.locator(".breadcrumbs")).to_contain_text("东湖区")
        page.get_by_role("link", name="东湖区滨江实验小学", exact=True).click()
        expect(page.locator(".breadcrumbs")).to_contain_text("东湖区滨江实验小学")
        expect(page.locator("table.report-table")).to_contain_text("林心怡")  # t_psy, a teacher of that school
        page.screenshot(path=str(ARTIFACTS / "reports-school.png"), full_page=True)
        browser.close()

    assert requested, "the browser made no requests"
    assert all(u.startswith(url) or u.startswith("data:") for u in requested), [
        u for u in requested if not u.startswith(url)
    ]
