"""Issue 12 (tracking half) walked in Chromium with the demo loaded, phone and desktop:
a teacher's Back + 保存 makes no second log and she withdraws it; a head teacher is not told
to give psychology lessons; a school coordinator works from one 管理 menu (a session preset to
the school, the projector page, 催办, bulk approval); the teacher reads the notices; a city
coordinator reads the reports on a phone. Screenshots in var/test-artifacts/everyday-*.png."""

import pytest

from tests.courses.test_browser import ARTIFACTS, DESKTOP, PHONE, _login, _page, browser  # noqa: F401
from tests.courses.test_demo import load_demo
from tracking.models import ClassActivity, ExternalClaim, Notification


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"everyday-{name}.png"), full_page=True)


def no_sideways_scroll(page, selector):
    return page.evaluate(
        "s => { const t = document.querySelector(s); const w = t.closest('.table-wrap') || t;"
        " return w.scrollWidth <= w.clientWidth + 1; }",
        selector,
    )


@pytest.fixture
def demo(db):
    import tracking.delivery.demo

    load_demo()
    tracking.delivery.demo.load()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_teachers_on_a_phone(live_server, browser, demo):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    page = _page(browser, base, PHONE)
    _login(page, base, "t_psy")
    page.goto(f"{base}/me/classes/")
    page.get_by_role("link", name="记录").first.click()
    before = ClassActivity.objects.count()
    page.fill("input[name=topic]", "情绪小怪兽")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{base}/me/classes/")
    page.go_back()  # the phone's Back button: the form again, refilled
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{base}/me/classes/")
    expect(page.locator(".messages")).to_contain_text("已保存过")
    assert ClassActivity.objects.count() == before + 1
    shot(page, "teacher-back-save-phone")
    page.goto(f"{base}/me/classes/history/")
    page.get_by_role("button", name="撤回").first.click()
    expect(page.locator(".messages")).to_contain_text("已撤回")
    assert ClassActivity.objects.active().count() == before
    shot(page, "teacher-withdrawn-phone")
    assert not page.outside

    head = _page(browser, base, PHONE)
    _login(head, base, "t_head")
    head.goto(f"{base}/me/classes/")
    expect(head.locator("h1")).to_have_text("我的班级")
    expect(head.locator("body")).not_to_contain_text("心理健康活动课。")  # no "…节心理健康活动课。" to-do
    expect(head.locator(".due-callout")).to_have_count(0)
    shot(head, "head-teacher-classes-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_school_coordinator_works_from_the_management_menu(live_server, browser, demo):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    page = _page(browser, base, DESKTOP)
    _login(page, base, "school_coord")
    page.get_by_role("link", name="管理", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("管理")
    shot(page, "coordinator-manage-desktop")

    page.get_by_role("link", name="线下培训").first.click()
    page.goto(f"{base}/hours/manage/sessions/new/")
    expect(page.locator("select[name=district]")).to_have_count(0)  # preset to the school
    page.fill("input[name=title]", "班主任心理健康教育讲座")
    page.fill("input[name=starts_at]", "2026-11-20T14:00")
    page.fill("input[name=ends_at]", "2026-11-20T16:00")
    page.fill("input[name=hours]", "2")
    page.fill("input[name=place]", "报告厅")
    page.fill("input[name=organiser]", "滨江实验小学")
    page.get_by_role("button", name="创建培训").click()
    expect(page.locator("h1")).to_have_text("班主任心理健康教育讲座")
    shot(page, "coordinator-session-desktop")
    with page.expect_popup() as popup:
        page.get_by_role("link", name="全屏显示（投影用）").click()
    projector = popup.value
    projector.set_viewport_size({"width": 1280, "height": 800})
    expect(projector.locator("img")).to_be_visible()
    shot(projector, "projector-desktop")

    page.goto(f"{base}/hours/manage/behind/")
    expect(page.locator("h1")).to_have_text("进度落后的教师")
    behind = page.locator("table.behind-table tbody tr").count()
    assert behind > 0
    page.get_by_role("button", name="全部催办").click()
    expect(page.locator(".messages")).to_contain_text("已催办")
    shot(page, "coordinator-behind-desktop")
    assert Notification.objects.filter(kind="nudge").count() == behind

    pending = ExternalClaim.objects.filter(status="pending").count()
    page.goto(f"{base}/hours/manage/claims/")
    boxes = page.locator("input[name=claim]")
    if boxes.count():
        boxes.first.check()
        page.get_by_role("button", name="批准所选").click()
        expect(page.locator(".messages")).to_contain_text("已批准 1 份申报")
        assert ExternalClaim.objects.filter(status="pending").count() == pending - 1
    shot(page, "coordinator-claims-desktop")

    phone = _page(browser, base, PHONE)
    _login(phone, base, "school_coord")
    phone.goto(f"{base}/hours/manage/behind/")
    shot(phone, "coordinator-behind-phone")
    assert no_sideways_scroll(phone, "table.behind-table")

    teacher = _page(browser, base, PHONE)
    nudged = Notification.objects.filter(kind="nudge").select_related("user").first().user.username
    _login(teacher, base, nudged)
    teacher.goto(f"{base}/me/notices/")
    expect(teacher.locator("main")).to_contain_text("培训管理员提醒您抓紧研修")
    shot(teacher, "teacher-notices-phone")
    assert not page.outside and not phone.outside


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_city_coordinator_reads_reports_on_a_phone(live_server, browser, demo):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    page = _page(browser, base, PHONE)
    _login(page, base, "city_coord")
    page.goto(f"{base}/manage/reports/completion/")
    expect(page.locator("[data-chart=bar] canvas")).to_have_count(1)
    expect(page.locator("body")).not_to_contain_text("---------")
    # On a phone the bars lie down: one readable name per row, nothing drawn over another.
    assert (
        page.evaluate(
            "() => echarts.getInstanceByDom(document.querySelector('[data-chart=bar]')).getOption().yAxis[0].type"
        )
        == "category"
    )
    shot(page, "reports-city-phone")
    page.get_by_role("link", name="东湖区", exact=True).first.click()
    page.get_by_role("link", name="东湖区滨江实验小学", exact=True).first.click()
    expect(page.locator("[data-chart=pie] canvas")).to_have_count(1)  # the school page has its chart
    expect(page.locator("table.report-table th.col-status")).to_be_visible()
    expect(page.locator("table.report-table th.col-hours")).to_be_visible()
    shot(page, "reports-school-phone")
    assert no_sideways_scroll(page, "table.report-table")
    footer = page.locator(".site-footer a[href='tel:079188330120']")
    expect(footer).to_have_text("0791-88330120")
    assert footer.evaluate("a => a.getClientRects().length") == 1  # one line box: never wrapped
    desktop = _page(browser, base, DESKTOP)
    _login(desktop, base, "city_coord")
    desktop.goto(page.url)
    expect(desktop.locator("[data-chart=pie] canvas")).to_have_count(1)
    shot(desktop, "reports-school-desktop")
    assert not page.outside and not desktop.outside
