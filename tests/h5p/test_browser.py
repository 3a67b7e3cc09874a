"""H5P in Debian's Chromium: every fixture package plays from our own files (no CDN), the
learner answers TrueFalse and MultiChoice, and the score reaches the lesson and the hours."""

from pathlib import Path

import pytest

from django.conf import settings

from courses.models import H5PResult, H5PStatement, LessonProgress
from tests.auth import login_with_mfa
from tests.courses.conftest import catalogue  # noqa: F401
from tests.courses.test_browser import ARGS, CHROMIUM, DESKTOP, PHONE
from tests.factories import CoursePageFactory, EnrolmentFactory
from tracking.models import LedgerEntry

from .conftest import PACKAGES, h5p_lesson, upload

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20000)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _page(browser, base, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.outside, page.problems = [], []
    page.on(
        "request",
        lambda r: None if r.url.startswith((base, "data:", "blob:", "about:")) else page.outside.append(r.url),
    )
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    return page


def _login(page, base, user):
    """Sign in by the session cookie Django's test client makes (the login form has its own tests)."""
    from django.test import Client

    client = Client()
    login_with_mfa(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


def _player(page):
    return page.frame_locator("iframe.h5p-frame").frame_locator("iframe.h5p-iframe")


def _open(page, url):
    """Open a lesson and wait for its exercise. SQLite's in-memory test database turns a read away
    while the previous page's last progress event writes; the learner would reload, so does the test."""
    for attempt in range(3):
        page.goto(url)
        try:
            _player(page).locator(".h5p-content").first.wait_for(timeout=15000)
            page.wait_for_timeout(300)
            return _player(page)
        except Exception:
            if attempt == 2:
                raise
    return None


@pytest.fixture
def learner_course(catalogue, training_year, teacher):  # noqa: F811
    """Every fixture package in its own lesson; TrueFalse and MultiChoice (the last) are scored."""
    course = CoursePageFactory(parent=catalogue, title="互动练习课程", training_year=training_year)
    for name in [p for p in PACKAGES if p not in ("H5P.TrueFalse.h5p", "H5P.MultiChoice.h5p")]:
        h5p_lesson(
            course, upload(name), pass_percent=0, title=name, slug=name.lower().replace(".", "-"), required=False
        )
    h5p_lesson(course, upload("H5P.TrueFalse.h5p"), title="判断题", slug="truefalse")
    h5p_lesson(course, upload("H5P.MultiChoice.h5p"), title="选择题", slug="multichoice")
    return course


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_package_plays_and_the_answers_reach_progress_and_hours(
    live_server, browser, learner_course, teacher, viewport, settings
):
    from playwright.sync_api import expect

    settings.LESSON_HEARTBEAT_SECONDS = 3600  # the exercise decides here; fewer writes for SQLite
    EnrolmentFactory(user=teacher.user, course=learner_course, teacher=teacher)
    base = live_server.url
    page = _page(browser, base, viewport)
    _login(page, base, teacher.user)
    label = "phone" if viewport is PHONE else "desktop"
    lessons = list(learner_course.lessons())
    for lesson in lessons[:-2]:  # every other fixture plays: its frame loads with no error and nothing from outside
        _open(page, base + lesson.url)
    page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-questionset.png"), full_page=True)

    truefalse, multichoice = lessons[-2:]
    content = _open(page, base + truefalse.url)
    content.locator(".h5p-true-false-answer").first.click()  # "True": Oslo is Norway's capital
    content.locator(".h5p-question-check-answer").click()
    expect(page.locator("[data-lesson-done]")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-truefalse-passed.png"), full_page=True)
    progress = LessonProgress.objects.get(lesson=truefalse, enrolment__user=teacher.user)
    assert progress.completed_at is not None
    assert H5PResult.objects.get(lesson=truefalse).best_scaled == 1

    content = _open(page, base + multichoice.url)
    page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-multichoice.png"), full_page=True)
    content.locator(".h5p-answer").filter(has_text="Very dark purple").click()
    content.locator(".h5p-question-check-answer").click()
    # The course completed: the lesson page reloads and shows the lesson finished.
    expect(page.locator(".lesson-nav .badge-ok").first).to_be_visible(timeout=30000)
    page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-multichoice-passed.png"), full_page=True)
    page.goto(base + "/me/training/")
    expect(page.locator("body")).to_contain_text(learner_course.title)
    page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-hours.png"), full_page=True)
    assert LedgerEntry.objects.filter(teacher=teacher).count() == 1
    assert H5PStatement.objects.filter(user=teacher.user).count() >= 2
    assert page.outside == [], page.outside
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_uploads_a_package_and_puts_it_in_a_lesson(live_server, browser, catalogue, training_year):  # noqa: F811
    from playwright.sync_api import expect

    from accounts.roles import ensure_editor_group
    from courses.models import H5PContent, LessonPage
    from tests.factories import LessonPageFactory, UserFactory

    from .conftest import FIXTURES

    editor = UserFactory(username="h5p-walk-editor")
    editor.groups.add(ensure_editor_group())
    course = CoursePageFactory(parent=catalogue, title="互动练习课程", training_year=training_year)
    lesson = LessonPageFactory(parent=course, title="情景练习", slug="scenario")
    base = live_server.url
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = _page(browser, base, viewport)
        _login(page, base, editor)
        page.goto(f"{base}/admin/snippets/courses/h5pcontent/add/")
        page.locator("input[type=file][name=package]").set_input_files(str(FIXTURES / "H5P.TrueFalse.h5p"))
        page.locator("input[name=title]").fill(f"判断题（{label}）")
        page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-admin-upload.png"), full_page=True)
        page.locator("button.action-save").click()
        expect(page.locator("body")).to_contain_text(f"判断题（{label}）")
        page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-admin-list.png"), full_page=True)
        # A hostile package is turned away with the reasons, in Chinese.
        page.goto(f"{base}/admin/snippets/courses/h5pcontent/add/")
        page.locator("input[type=file][name=package]").set_input_files(
            {"name": "evil.h5p", "mimeType": "application/zip", "buffer": b"not a zip"}
        )
        page.locator("button.action-save").click()
        expect(page.locator("body")).to_contain_text("不是有效的 .h5p 包")
        page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-admin-refused.png"), full_page=True)
        page.context.close()

    content = H5PContent.objects.get(title="判断题（desktop）")
    page = _page(browser, base, DESKTOP)
    _login(page, base, editor)
    page.goto(f"{base}/admin/pages/{lesson.pk}/edit/")
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="H5P 互动练习").click()  # the block picker, not the menu entry
    page.locator("input[name$='-value-title']").last.fill("判断练习")
    page.locator("[data-chooser-action-choose]").last.click()
    page.locator(".modal").get_by_role("link", name="判断题（desktop）").click()
    expect(page.locator(".chooser__title").last).to_have_text("判断题（desktop）")
    page.screenshot(path=str(ARTIFACTS / "h5p-desktop-admin-lesson-block.png"), full_page=True)
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".messages")).to_contain_text("已经发布", timeout=60000)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert content.pk in lesson.h5p_blocks()
    assert page.outside == [], page.outside


def _fits(page, label):
    """The player frame is as tall as its content: nothing cut off, no scrollbar inside, no
    empty band below, no sideways overflow (bounding boxes, in the top page's coordinates).
    The frames follow their content through two message hops (content → player → page), so a
    layout that just changed (feedback shown after an answer) is given up to five seconds to settle."""
    for _ in range(20):
        try:
            return _fits_now(page, label)
        except AssertionError:
            page.wait_for_timeout(250)
    _fits_now(page, label)


def _fits_now(page, label):
    outer = page.locator("iframe.h5p-frame").first.bounding_box()
    inner = page.frame_locator("iframe.h5p-frame").first.locator("iframe.h5p-iframe").bounding_box()
    content = _player(page).locator(".h5p-content").first.bounding_box()
    outer_bottom, inner_bottom = outer["y"] + outer["height"], inner["y"] + inner["height"]
    assert inner_bottom <= outer_bottom + 1, (label, "the exercise is cut off", outer, inner)
    assert content["y"] + content["height"] <= inner_bottom + 1, (label, "content cut off", inner, content)
    assert outer_bottom - inner_bottom < 60, (label, "an empty band under the exercise", outer, inner)
    assert content["width"] <= outer["width"] + 1 and inner["width"] <= outer["width"] + 1, (label, outer, inner)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_resource_exercise_plays_records_and_credits_nothing(
    live_server,
    browser,
    catalogue,  # noqa: F811
    training_year,
    teacher,
    viewport,
):
    from playwright.sync_api import expect

    from tests.courses.conftest import home_page
    from tests.factories import ResourceIndexPageFactory, ResourcePageFactory

    truefalse = upload("H5P.TrueFalse.h5p")
    multichoice = upload("H5P.MultiChoice.h5p")
    resource = ResourcePageFactory(
        parent=ResourceIndexPageFactory(parent=home_page()),
        title="情绪识别互动练习",
        resource_type="interactive",
        interactive=[("h5p", {"title": "判断：这是求助信号吗？", "content": truefalse})],
    )
    course = CoursePageFactory(parent=catalogue, title="互动练习课程", training_year=training_year)
    lesson = h5p_lesson(course, multichoice, title="选择题", slug="multichoice")
    EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
    base = live_server.url
    label = "phone" if viewport is PHONE else "desktop"
    page = _page(browser, base, viewport)
    _login(page, base, teacher.user)

    content = _open(page, base + resource.url)
    page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-resource.png"), full_page=True)
    _fits(page, f"{label} resource")
    content.locator(".h5p-true-false-answer").first.click()
    content.locator(".h5p-question-check-answer").click()
    expect(content.locator(".h5p-question-feedback, .h5p-joubelui-score-bar").first).to_be_visible()
    for _ in range(40):  # the answer's statements reach the server (no timing assert: it polls)
        if H5PStatement.objects.filter(user=teacher.user, content=truefalse, verb="answered").exists():
            break
        page.wait_for_timeout(250)
    _fits(page, f"{label} resource answered")
    page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-resource-answered.png"), full_page=True)
    stored = H5PStatement.objects.filter(user=teacher.user, content=truefalse)
    assert stored.filter(verb="answered").exists() and not stored.exclude(lesson=None).exists()
    assert not H5PResult.objects.exists() and not LessonProgress.objects.exists()
    assert LedgerEntry.objects.count() == 0

    _open(page, base + lesson.url)  # a taller exercise in a lesson: the frame follows it too
    _fits(page, f"{label} lesson")
    page.screenshot(path=str(ARTIFACTS / f"h5p-{label}-lesson-fit.png"), full_page=True)
    assert page.outside == [], page.outside
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
