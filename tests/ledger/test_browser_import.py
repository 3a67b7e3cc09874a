"""A big sign-in sheet in Debian's Chromium: the preview page shows the progress bar while a worker
reads the file, then reloads by itself into the preview (phone and desktop screenshots)."""

from pathlib import Path

import pytest

from django.conf import settings
from django.urls import reverse

from tests.courses.test_browser import ARGS, CHROMIUM
from tests.factories.accounts import PASSWORD
from tracking.ledger import importers
from tracking.ledger.tasks import parse_attendance_import

from .conftest import xlsx_bytes

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["phone", "desktop"]
)
def test_progress_bar_then_preview(live_server, monkeypatch, session, people, school_coordinator, viewport):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    data = xlsx_bytes([["1001", "", "", 3, ""], ["2001", "", "", 3, ""]])
    batch = importers.queue_import(data=data, filename="签到表.xlsx", session=session, user=school_coordinator)
    name = "phone" if viewport["width"] < 500 else "desktop"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=viewport, locale="zh-CN")
        page.set_default_timeout(20000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", school_coordinator.username)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(lambda u: "/accounts/login/" not in u)

        page.goto(live_server.url + reverse("ledger:import_preview", args=[batch.pk]))
        expect(page.locator("progress")).to_be_visible()
        expect(page.locator("[data-import-progress]")).to_contain_text("文件较大，正在后台读取。")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"import-progress-{name}.png"), full_page=True)

        assert parse_attendance_import(batch.pk) == "ready"  # the worker finishes; the page reloads itself
        expect(page.locator(".stat-grid")).to_contain_text("将导入", timeout=15000)
        expect(page.locator("progress")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / f"import-preview-{name}.png"), full_page=True)
        browser.close()
