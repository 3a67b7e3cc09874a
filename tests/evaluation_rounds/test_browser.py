"""The rounds walked in Chromium with the demo loaded, as school, district and city coordinator,
phone and desktop. Screenshots in var/test-artifacts/rounds-*.png."""

import pytest

from evaluation.rounds.models import Application, FacilityEntry, Round
from tests.courses.test_browser import ARTIFACTS, DESKTOP, PHONE, _login, _page, browser  # noqa: F401
from tests.courses.test_demo import load_demo
from tests.evaluation.test_browser import clipped, too_wide


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"rounds-{name}.png"), full_page=True)


def _open_item(page, item):
    """The item's card with its form unfolded."""
    card = page.locator(f"#item-{item}")
    if not card.locator("details").evaluate("d => d.open"):
        card.locator("summary").click()
    return card


@pytest.fixture
def demo(db, settings, tmp_path):
    import evaluation.rounds.demo

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    load_demo()
    evaluation.rounds.demo.load()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_school_district_and_city_walk_a_round(live_server, browser, demo, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    base = live_server.url
    evidence = tmp_path / "经费预算.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    fake = tmp_path / "预算.pdf"
    fake.write_bytes(b"MZ\x90\x00 not a document")

    # School coordinator, desktop: a budget entry (a fake PDF is refused first), then the self-assessment.
    school = _page(browser, base, DESKTOP)
    _login(school, base, "school_coord")
    school.goto(f"{base}/manage/evaluation/facilities/")
    budget = _open_item(school, "budget")
    expect(budget.locator(".facility-standard")).to_contain_text("标准")
    budget.locator("input[name=amount]").fill("30000")
    budget.locator("input[name=evidence]").set_input_files(str(fake))
    budget.get_by_role("button", name="提交审核").click()
    budget = school.locator("#item-budget")
    expect(budget.locator(".errorlist")).to_contain_text("佐证材料须为文档")
    expect(budget.locator("input[name=amount]")).to_have_value("30000")
    shot(school, "school-evidence-refused-desktop")
    budget.locator("input[name=evidence]").set_input_files(str(evidence))
    budget.get_by_role("button", name="提交审核").click()
    expect(school.locator(".messages")).to_contain_text("等待县区管理员审核")
    shot(school, "school-facilities-desktop")
    assert FacilityEntry.objects.filter(item="budget", status="pending").count() == 1
    school.goto(f"{base}/manage/evaluation/rounds/")
    school.locator("table a").first.click()
    school.locator(".card a.button").first.click()
    expect(school.locator("h2").first).to_contain_text("按本轮标准的评估结果")
    school.fill("textarea[name=statement]", "我校已成立心理健康教育领导小组和危机干预小组。")
    school.get_by_role("button", name="提交县区审核").click()
    expect(school.locator(".messages")).to_contain_text("已保存")
    shot(school, "school-application-desktop")
    assert Application.objects.get().status == "submitted"

    # District coordinator, phone: approve the entries, recommend the school, read the duties.
    district = _page(browser, base, PHONE)
    _login(district, base, "donghu_coord")
    for _ in range(FacilityEntry.objects.filter(status="pending").count()):
        district.goto(f"{base}/manage/evaluation/facilities/?status=pending")
        district.get_by_role("link", name="审核", exact=True).first.click()
        district.get_by_label("通过").check()
        district.get_by_role("button", name="保存").click()
    shot(district, "district-facilities-phone")
    assert not FacilityEntry.objects.filter(status="pending").exists()
    application = Application.objects.get()
    district.goto(f"{base}/manage/evaluation/rounds/{application.round_id}/schools/{application.school_id}/")
    district.get_by_label("推荐至市级").check()
    district.fill("textarea[name=reason]", "材料齐全")
    district.get_by_role("button", name="保存审核意见").click()
    expect(district.locator(".messages")).to_contain_text("已保存")
    shot(district, "district-review-phone")
    district.goto(f"{base}/manage/evaluation/district-duties/")
    expect(district.locator("h2").first).to_have_text("东湖区")
    shot(district, "district-duties-phone")

    # City coordinator, desktop and phone: a contradicting round is refused; the award; every district.
    city = _page(browser, base, DESKTOP)
    _login(city, base, "city_coord")
    city.goto(f"{base}/manage/evaluation/rounds/new/")
    city.select_option("select[name=kind]", "demonstration")
    city.fill("input[name=title]", "示范校评估")
    city.fill("input[name=opens_on]", "2026-12-01")
    city.fill("input[name=closes_on]", "2026-11-01")
    city.fill("input[name=t_training_full_time]", "120")
    city.get_by_role("button", name="保存轮次").click()
    expect(city.locator(".callout-important")).to_contain_text("截止日期不能早于开始日期")
    shot(city, "city-round-refused-desktop")
    city.goto(f"{base}/manage/evaluation/rounds/{application.round_id}/schools/{application.school_id}/")
    city.get_by_label("授予", exact=True).check()
    city.fill("textarea[name=reason]", "评审通过")
    city.get_by_role("button", name="保存决定").click()
    expect(city.locator(".messages")).to_contain_text("已保存")
    expect(city.locator(".decision-list")).to_contain_text("授予")
    shot(city, "city-award-desktop")
    assert Application.objects.get().status == "awarded"
    # Closing the round asks first; the button that acts is the danger colour, not the site's green.
    city.goto(f"{base}/manage/evaluation/rounds/{application.round_id}/")
    city.get_by_role("link", name="关闭轮次").click()
    confirm = city.get_by_role("button", name="确认关闭")
    assert confirm.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(179, 38, 30)"  # --c-danger
    shot(city, "city-close-confirm-desktop")
    city.get_by_role("link", name="取消").click()
    assert Round.objects.get(pk=application.round_id).state == Round.State.OPEN
    phone = _page(browser, base, PHONE)
    _login(phone, base, "city_coord")
    phone.goto(f"{base}/manage/evaluation/district-duties/")
    shot(phone, "city-duties-phone")
    for page in (school, district, city, phone):
        assert not page.outside


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_facility_form_on_a_phone_asks_each_item_only_what_applies(live_server, browser, demo, tmp_path):  # noqa: F811
    """A school coordinator on a phone: one card per item with its standard beside it, only that
    item's fields, the Chinese message under the field it concerns, no sideways scrolling."""
    from playwright.sync_api import expect

    base = live_server.url
    evidence = tmp_path / "经费预算.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page = _page(browser, base, PHONE)
    _login(page, base, "school_coord")
    page.goto(f"{base}/manage/evaluation/facilities/")
    assert too_wide(page) == []
    assert clipped(page) == []
    for item in ("counselling_room", "leading_group", "crisis_group", "budget", "committee"):
        expect(page.locator(f"#item-{item} .facility-standard")).to_contain_text("标准")
    room = _open_item(page, "counselling_room")
    expect(room.get_by_label("个体辅导室", exact=False)).to_be_visible()
    assert room.locator("input[name=amount], input[name=classes]").count() == 0
    group = _open_item(page, "leading_group")
    expect(group.get_by_label("已成立心理健康教育工作领导小组")).to_be_visible()
    assert group.locator("input[name=amount], input[name=classes], input[name=room_parts]").count() == 0
    expect(page.locator("#item-committee")).to_contain_text("不适用")  # a primary school: no committee form
    assert page.locator("#item-committee form").count() == 0
    shot(page, "school-facility-items-phone")

    budget = _open_item(page, "budget")
    assert budget.locator("input[name=classes], input[name=room_parts]").count() == 0
    budget.locator("input[name=evidence]").set_input_files(str(evidence))
    budget.get_by_role("button", name="提交审核").click()
    budget = page.locator("#item-budget")
    expect(budget.locator(".errorlist")).to_contain_text("经费金额")  # the amount is asked for, in Chinese
    assert FacilityEntry.objects.filter(item="budget").count() == 0
    assert too_wide(page) == []
    shot(page, "school-facility-refused-phone")
    budget.locator("input[name=amount]").fill("20000")
    budget.locator("input[name=evidence]").set_input_files(str(evidence))
    budget.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("等待县区管理员审核")
    expect(page.locator("#item-budget .facility-state")).to_contain_text("待县区审核")
    assert FacilityEntry.objects.get(item="budget").amount == 20000
    page.goto(f"{base}/manage/evaluation/rounds/{Round.objects.get().pk}/")  # the round's standards, one card each
    assert too_wide(page) == [] and clipped(page) == []
    assert not page.outside
