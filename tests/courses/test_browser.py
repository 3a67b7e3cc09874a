"""A demo teacher completes the short course in Debian's Chromium and sees the hours on 我的研修."""

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
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; only for this test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(20000)
        yield page
        browser.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_teacher_completes_short_course_and_sees_hours(live_server, browser_page):
    from playwright.sync_api import expect

    load_demo()
    page = browser_page
    url = live_server.url

    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", "t_other")
    page.fill("input[name=password]", "xinyu-demo-2026")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda u: "/accounts/login/" not in u)

    page.goto(f"{url}/training/")
    page.get_by_role("link", name="全员心理健康教育专项培训").click()
    page.get_by_role("button", name="报名", exact=True).click()
    # First lesson: read and mark as finished.
    page.wait_for_selector("text=学生常见心理困扰与教师的角色")
    page.get_by_role("button", name="标记本课已学完").click()
    # Second lesson: the quiz.
    page.get_by_role("button", name="提交答卷").wait_for()
    page.get_by_label("12355").check()
    page.get_by_label("及时关注并告知", exact=False).check()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "courses-quiz.png"), full_page=True)
    page.get_by_role("button", name="提交答卷").click()
    expect(page.locator("#my-progress .badge-ok")).to_have_text("已完成")
    expect(page.locator(".messages")).to_contain_text("测验通过，得分 100%。")
    expect(page.locator(".messages")).to_contain_text("课程已完成：已计入 2.0 学时。")

    page.get_by_role("link", name="我的研修").first.click()
    expect(page.locator("h1")).to_contain_text("我的研修")
    expect(page.locator("[data-hours]")).to_have_text("2.0")
    # One session done: the 'other teacher' target is met.
    expect(page.locator("#status .badge-ok[data-status]")).to_have_text("达标")
    expect(page.locator("#status")).to_contain_text("本年度学时")
    page.screenshot(path=str(ARTIFACTS / "courses-dashboard.png"), full_page=True)

    assert LedgerEntry.objects.filter(teacher__user__username="t_other").count() == 1
