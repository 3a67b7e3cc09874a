"""A demo teacher completes the short course in Debian's Chromium and sees the hours on 我的研修."""

import os
from pathlib import Path

import pytest

from django.conf import settings

from tracking.models import LedgerEntry

from .test_demo import load_demo

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(20000)
        yield page
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_teacher_completes_short_course_and_sees_hours(live_server, browser_page):
    load_demo()
    page = browser_page
    url = live_server.url

    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", "t_other")
    page.fill("input[name=password]", "xinyu-demo-2026")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda u: "/accounts/login/" not in u)

    page.goto(f"{url}/training/")
    page.click("text=全员心理健康教育专项培训")
    page.click("form[action*='/enrol/'] button")
    # First lesson: read and mark as finished.
    page.wait_for_selector("text=学生常见心理困扰与教师的角色")
    page.click("form[action*='/finish/'] button")
    # Second lesson: the quiz.
    page.wait_for_selector("#quiz form")
    page.check("label:has-text('12355') input")
    page.check("label:has-text('及时关注并告知') input")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "courses-quiz.png"), full_page=True)
    page.click("#quiz button[type=submit]")
    page.wait_for_selector("#my-progress .badge-ok")

    page.goto(f"{url}/me/training/")
    hours = page.text_content("[data-hours]")
    assert hours.strip() == "2.0"
    assert page.is_visible("#status .badge-ok")  # one session done: the 'other teacher' target is met
    page.screenshot(path=str(ARTIFACTS / "courses-dashboard.png"), full_page=True)

    assert LedgerEntry.objects.filter(teacher__user__username="t_other").count() == 1
