"""The everyday journeys in Debian's Chromium against a live server with the demo loaded.

A teacher studies the all-teachers course (time measured from the page's heartbeats, the
video really played), is refused an empty quiz sheet, passes, and sees the hours on 我的研修;
a coordinator, an editor and a parent walk their own pages on a phone and a desktop.
Screenshots go to var/test-artifacts/.
"""

import time
from pathlib import Path

import pytest

from django.conf import settings
from django.db import OperationalError

from accounts.models import User
from courses import services
from courses.models import CoursePage, LessonPage, LessonProgress
from tests.auth import browser_login
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
    "--autoplay-policy=no-user-gesture-required",
]
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20000)  # a loaded CI machine answers slowly
    # Playwright's sync API runs an event loop in this thread; only for these tests.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _page(browser, base: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.outside = []
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else page.outside.append(r.url))
    return page


def _login(page, base: str, username: str):
    browser_login(page, base, username)
    page.wait_for_url(f"{base}/me/start/")


def _almost_studied(lesson: LessonPage, username: str = "t_other", seconds_short: int = 2):
    """Stand-in for 45 minutes of reading: the server's count is put just short of the lesson's minimum,
    so the page's own heartbeats have to carry it over."""
    requirement = services.lesson_requirement(lesson)
    for _ in range(50):  # the page's heartbeats write too: SQLite's in-memory test database may be locked
        try:
            LessonProgress.objects.filter(lesson=lesson, enrolment__user__username=username).update(
                seconds_spent=requirement.seconds - seconds_short
            )
            return
        except OperationalError:
            time.sleep(0.1)
    raise AssertionError("the progress row stayed locked")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_teacher_studies_the_course_and_the_hours_follow_the_study(live_server, browser, settings):
    from playwright.sync_api import expect

    settings.LESSON_HEARTBEAT_SECONDS = 1
    load_demo()
    base = live_server.url
    page = _page(browser, base, DESKTOP)

    _login(page, base, "t_other")
    expect(page.locator("h1")).to_have_text("欢迎，周晓东")
    page.screenshot(path=str(ARTIFACTS / "everyday-start-teacher.png"), full_page=True)
    page.get_by_role("link", name="全员心理健康教育专项培训：识别学生心理困扰的第一步").click()
    expect(page.locator(".lesson-list")).to_contain_text("至少 45 分钟")
    page.get_by_role("button", name="报名", exact=True).click()

    # Lesson 1: the study time counts from the page's heartbeats; the video is played for real.
    reading = LessonPage.objects.get(title="学生常见心理困扰与教师的角色")
    expect(page.locator("#study-time")).to_contain_text("要求 45 分钟")
    page.get_by_role("button", name="标记本课已学完").click()
    expect(page.locator(".messages")).to_contain_text("本课时要求学习 45 分钟")
    page.locator("video").evaluate("v => { v.muted = true; return v.play(); }")
    # Polled from the test (page.evaluate), not with wait_for_function, whose string form the
    # site's CSP refuses to evaluate inside the page (no 'unsafe-eval').
    for _ in range(300):
        if page.evaluate("document.querySelector('video').ended"):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the lesson video did not play to its end within 30 s")
    _almost_studied(reading)
    expect(page.locator("[data-study-minutes]")).to_have_text("45", timeout=20000)
    expect(page.locator("[data-video-percent]")).to_have_text("100", timeout=20000)
    page.screenshot(path=str(ARTIFACTS / "everyday-lesson-studied.png"), full_page=True)
    progress = LessonProgress.objects.get(lesson=reading, enrolment__user__username="t_other")
    assert progress.video_seconds >= 7 and progress.completed_at is None
    page.get_by_role("button", name="标记本课已学完").click()

    # Lesson 2: an empty sheet is returned, a complete one passes; the hours wait for the study time.
    quiz_lesson = LessonPage.objects.child_of(reading.get_parent()).get(title="小测验")
    expect(page.get_by_role("button", name="提交答卷")).to_be_visible()
    expect(page.locator("[data-attempts-left]")).to_contain_text("提交后还剩 2 次作答机会")
    page.get_by_role("button", name="提交答卷").click()
    expect(page.locator(".messages")).to_contain_text("请先回答全部题目再提交：第 1、2 题未作答")
    page.get_by_label("12355").check()
    page.get_by_label("及时关注并告知", exact=False).check()
    page.screenshot(path=str(ARTIFACTS / "everyday-quiz.png"), full_page=True)
    page.get_by_role("button", name="提交答卷").click()
    expect(page.locator(".messages")).to_contain_text("测验通过，得分 100%。")
    expect(page.locator(".messages")).to_contain_text("学习时长达到要求后本课将自动完成")
    assert not LedgerEntry.objects.filter(teacher__user__username="t_other").exists()
    _almost_studied(quiz_lesson)
    # The heartbeat that meets the last requirement completes the course; the page reloads itself.
    expect(page.locator(".lesson-nav .badge-ok:visible").first).to_have_text("本课已完成", timeout=30000)
    assert LedgerEntry.objects.filter(teacher__user__username="t_other").count() == 1

    page.get_by_role("link", name="我的研修").first.click()
    expect(page.locator("[data-hours]")).to_have_text("2.0")
    page.screenshot(path=str(ARTIFACTS / "everyday-dashboard-teacher.png"), full_page=True)
    assert page.outside == []

    phone = _page(browser, base, PHONE)
    _login(phone, base, "t_other")
    phone.goto(base + reading.url)
    phone.screenshot(path=str(ARTIFACTS / "everyday-lesson-phone.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinator_editor_and_parent_walk_their_pages_on_phone_and_desktop(live_server, browser):
    from playwright.sync_api import expect

    load_demo()
    base = live_server.url
    lesson = LessonPage.objects.get(title="学生常见心理困扰与教师的角色")
    t_other = User.objects.get(username="t_other")  # a teacher of the school coordinator's school, mid-course
    services.enrol(t_other, CoursePage.objects.get(pk=lesson.get_parent().pk))
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = _page(browser, base, viewport)
        page.goto(base + "/")
        button = page.get_by_role("link", name="登录开始研修")
        colours = button.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
        assert colours[0] != colours[1] and colours[1] == "rgb(255, 255, 255)", colours  # dark on white

        _login(page, base, "school_coord")
        expect(page.locator("#start-coordinator")).to_contain_text("待审核")
        page.screenshot(path=str(ARTIFACTS / f"everyday-start-coordinator-{name}.png"), full_page=True)
        page.goto(base + lesson.get_parent().url)
        page.get_by_role("link", name="报名名单").click()
        page.get_by_role("link", name="增加作答次数").first.click()
        page.get_by_label("理由").fill("本人申请，已重新学习")
        page.screenshot(path=str(ARTIFACTS / f"everyday-grant-{name}.png"), full_page=True)
        page.get_by_role("button", name="确认增加").click()
        expect(page.locator(".messages")).to_contain_text("增加了 1 次作答机会")
        page.context.clear_cookies()

        _login(page, base, "editor")
        page.goto(f"{base}/admin/pages/{lesson.pk}/edit/")
        page.locator("button.c-sf-add-button").first.click()
        expect(page.locator(".w-combobox__option-text", has_text="H5P 互动练习")).to_be_visible()
        expect(page.get_by_text("提示框").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"everyday-admin-blocks-{name}.png"))
        page.goto(f"{base}/admin/snippets/courses/quiz/")
        expect(page.locator("body")).to_contain_text("全员专项培训 课程测验")
        page.context.clear_cookies()

        _login(page, base, "parent1")
        expect(page.locator("#start-parent")).to_contain_text("小学低年级")
        page.screenshot(path=str(ARTIFACTS / f"everyday-start-parent-{name}.png"), full_page=True)
        page.goto(base + "/parents/")
        expect(page.locator("main")).not_to_contain_text("学时")
        page.screenshot(path=str(ARTIFACTS / f"everyday-parents-{name}.png"), full_page=True)
        assert page.outside == [], page.outside
        page.context.close()
