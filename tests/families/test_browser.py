"""Issue 14's journeys in Debian's Chromium against a live server with the demo loaded.

A parent registers on a phone with the school's join code (first forgetting consent) and
lands on their stage's compulsory course; a visitor finds help from the hotline strip; a
district editor drafts a campaign and submits it, and a city editor approves it in the
admin. Screenshots go to var/test-artifacts/ (families-*.png).
"""

import pytest

from accounts.models import User
from cms.campaigns.models import CampaignIndexPage, CampaignPage
from tests.auth import browser_login
from tests.courses.test_browser import ARTIFACTS, DESKTOP, PHONE, _page, browser  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _load_demo():
    import accounts.demo
    import cms.campaigns.demo
    import cms.home.demo
    import courses.demo
    import tracking.ledger.demo

    for loader in (
        accounts.demo.load,
        tracking.ledger.demo.load,
        cms.home.demo.load,
        courses.demo.load,
        cms.campaigns.demo.load,
    ):
        loader()


def _login(page, base, username):
    """Through the real login pages; editors, as managers, type their authenticator's code."""
    browser_login(page, base, username, "xinyu-demo-2026")
    page.wait_for_url(f"{base}/me/start/")


def test_a_parent_registers_on_a_phone_with_the_join_code(live_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    _load_demo()
    base = live_server.url
    page = _page(browser, base, PHONE)
    page.goto(f"{base}/family/join/?code=NC-JXNC26")  # what the printed QR code opens
    expect(page.get_by_label("学校加入码（可选）")).to_have_value("NC-JXNC26")
    page.get_by_label("手机号").fill("139 0000 2026")
    page.locator("#id_password1").fill("Jiazhang-2026!")
    page.locator("#id_password2").fill("Jiazhang-2026!")
    page.get_by_label("初中").check()
    page.get_by_label("中职").check()
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("请阅读隐私告知并勾选同意")).to_be_visible()  # consent forgotten
    page.screenshot(path=ARTIFACTS / "families-signup-consent-missing-phone.png", full_page=True)
    assert not User.objects.filter(username="13900002026").exists()

    page.locator("#id_password1").fill("Jiazhang-2026!")  # passwords are not sent back
    page.locator("#id_password2").fill("Jiazhang-2026!")
    page.get_by_role("checkbox", name="我已阅读并同意").check()
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(f"{base}/me/start/")
    expect(page.get_by_text("欢迎加入家长学校")).to_be_visible()
    # One welcome (not allauth's "…，欢迎回来！" as well), and a parent who gave no name is 家长, never the number.
    expect(page.locator(".messages li")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("家长您好")
    assert "13900002026" not in page.inner_text("body") and "139 0000 2026" not in page.inner_text("body")
    expect(page.get_by_text("读懂青春期：初中家长必修课").first).to_be_visible()
    expect(page.get_by_text("识别预警信号，及时寻求专业帮助：中职家长必修课").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "families-parent-courses-phone.png", full_page=True)
    profile = User.objects.get(username="13900002026").parent_profile
    assert profile.school.name == "东湖区滨江实验小学"
    assert sorted(profile.age_stages) == ["junior", "vocational"]
    assert profile.consent_at is not None
    assert page.outside == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_visitor_finds_help(live_server, browser, viewport):  # noqa: F811
    from playwright.sync_api import expect

    _load_demo()
    base = live_server.url
    page = _page(browser, base, viewport)
    page.goto(base + "/")
    strip = page.locator(".hotline-strip")
    for number in ("12355", "966525", "0791-88330120"):
        link = strip.get_by_role("link", name=number)
        expect(link).to_be_visible()
        assert link.get_attribute("href") == "tel:" + number.replace("-", "")
        box = link.bounding_box()
        assert box["height"] < 40  # one line: the number does not wrap
    tag = "phone" if viewport is PHONE else "desktop"
    page.screenshot(path=ARTIFACTS / f"families-home-{tag}.png", full_page=True)
    strip.get_by_role("link", name="求助").click()
    page.wait_for_url(f"{base}/help/")
    page.get_by_role("link", name="东湖区", exact=True).click()
    expect(page.get_by_role("heading", name="东湖区中小学心理辅导站")).to_be_visible()
    expect(page.get_by_role("heading", name="西湖区中小学心理辅导站")).to_have_count(0)
    expect(page.get_by_role("heading", name="南昌市未成年人心理健康辅导中心")).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"families-help-{tag}.png", full_page=True)
    assert page.outside == []


def test_a_district_editor_drafts_a_campaign_and_a_city_editor_approves(live_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    _load_demo()
    base = live_server.url
    index = CampaignIndexPage.objects.get()
    page = _page(browser, base, DESKTOP)
    _login(page, base, "district_editor")
    page.goto(f"{base}/admin/pages/add/campaigns/campaignpage/{index.pk}/")
    page.fill("#id_title", "东湖区开学季心理调适周")
    page.fill("#id_theme", "新学期，好心情")
    pickers = page.locator(".xdsoft_datetimepicker:visible")
    for field, day in (("#id_start_date", "2027-02-20"), ("#id_end_date", "2027-02-27")):
        # Wagtail's date picker opens a moment after the field takes focus and stays open until a
        # click elsewhere, as for an editor; left open it may cover the 更多动作 button (CI, loaded).
        page.fill(field, day)
        expect(pickers.first).to_be_visible()
        page.locator("#id_summary").click()
        expect(pickers).to_have_count(0)
    page.fill("#id_summary", "东湖区各校开学第一周开展心理调适活动。")
    expect(page.get_by_role("button", name="发布")).to_have_count(0)  # district editors cannot publish
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name="提交给宣传活动审核").click()
    page.wait_for_url(f"{base}/admin/pages/{index.pk}/")
    page.screenshot(path=ARTIFACTS / "families-campaign-submitted.png", full_page=True)
    campaign = CampaignPage.objects.get(title="东湖区开学季心理调适周")
    assert not campaign.live

    editor = _page(browser, base, DESKTOP)
    _login(editor, base, "editor")
    editor.goto(f"{base}/admin/")
    editor.get_by_role("link", name="东湖区开学季心理调适周").click()
    editor.get_by_role("button", name="更多动作").click()
    editor.get_by_role("button", name="通过 和发布").click()
    editor.wait_for_load_state()
    editor.screenshot(path=ARTIFACTS / "families-campaign-approved.png", full_page=True)
    campaign.refresh_from_db()
    assert campaign.live
    visitor = _page(browser, base, PHONE)
    visitor.goto(f"{base}/campaigns/")
    expect(visitor.get_by_text("东湖区开学季心理调适周")).to_be_visible()
