"""Issue 16 walked in Chromium with the demo loaded: the school, district and city coordinator
each open 达标评估 from the navigation, on a phone and on a desktop. The phone's scorecard has
no sideways scrolling (each indicator is a small card). Screenshots in
var/test-artifacts/evaluation-*.png."""

import pytest

from tests.courses.test_browser import ARTIFACTS, DESKTOP, PHONE, _login, _page, browser  # noqa: F401
from tests.courses.test_demo import load_demo


@pytest.fixture
def demo(db):
    import tracking.delivery.demo

    load_demo()
    tracking.delivery.demo.load()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"evaluation-{name}.png"), full_page=True)


def size_of(name):
    return PHONE if name == "phone" else DESKTOP


def clipped(page) -> list[str]:
    """Table cells whose text runs past their own edge (Chinese that may not wrap): none on a phone."""
    return page.evaluate(
        "() => [...document.querySelectorAll('td, th')].filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".slice(0, 8).map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 20))"
    )


def too_wide(page) -> list[str]:
    """Elements reaching past the right edge of the viewport (none: no sideways scrolling)."""
    return page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
        " window.innerWidth + 1 && e.getClientRects().length).slice(0, 8).map(e => e.tagName + '.' +"
        " e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinators_walk_the_scorecards(live_server, browser, demo):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    for viewport, size in ((PHONE, "phone"), (DESKTOP, "desktop")):
        school = _page(browser, base, viewport)
        _login(school, base, "school_coord")
        school.goto(f"{base}/manage/evaluation/")
        expect(school.locator("h1")).to_contain_text("达标评估表：")
        expect(school.locator("table.scorecard")).to_contain_text("心理健康教师师生比")
        expect(school.locator("table.scorecard")).to_contain_text("不适用")
        shot(school, f"school-{size}")
        if size == "phone":
            assert too_wide(school) == []
            assert school.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

        district = _page(browser, base, viewport)
        _login(district, base, "donghu_coord")
        district.goto(f"{base}/manage/evaluation/")
        expect(district.locator("h1")).to_contain_text("达标评估：东湖区")
        shot(district, f"district-{size}")
        if size == "phone":
            assert too_wide(district) == []
        district.locator("table.evaluation-summary tbody th a").first.click()
        expect(district.locator("h1")).to_contain_text("达标评估表：")
        shot(district, f"district-scorecard-{size}")

        city = _page(browser, base, viewport)
        _login(city, base, "city_coord")
        if size == "desktop":
            city.get_by_role("link", name="达标评估").first.click()
        else:
            city.goto(f"{base}/manage/evaluation/")
        expect(city.locator("h1")).to_have_text("达标评估：学校一览")
        shot(city, f"city-{size}")
        rows = city.locator("table.evaluation-summary tbody tr[data-school]")
        assert rows.count() >= 3
        for i in range(rows.count()):  # every school's verdict in words, in view
            verdict = rows.nth(i).locator(".school-verdict .badge")
            expect(verdict).to_be_visible()
            box = verdict.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= size_of(size)["width"]
        if size == "phone":
            assert too_wide(city) == []  # a card per school: no sideways scrolling
            assert clipped(city) == []
            assert city.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
