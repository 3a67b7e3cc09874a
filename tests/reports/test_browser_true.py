"""Reports that stay true, walked in Debian's Chromium as school, district and city coordinator,
on a phone (390×844) and a desktop: last year's report keeps a teacher who moved since, a
progress of 9 of 40 hours reads 22.5 %, a small school reads 由…援助覆盖 / 需安排援助/支教, and
every page states its 计算口径. Screenshots: var/test-artifacts/true-*.png."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from django.conf import settings
from django.utils import timezone

from tests.courses.test_browser import ARGS, CHROMIUM
from tests.courses.test_demo import load_demo

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
PASSWORD = "xinyu-demo-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def scenario():
    """On top of the demo: 王晓明 earned 40 h at 滨江 last year and moved to 桃花小学 this January;
    赵雨 has 9 of 40 hours this year; 望城中心小学 (540 students) is covered by 滨江's aid."""
    from accounts import membership
    from accounts.models import School, SchoolMembership, TeacherCategory, TeacherProfile, TrainingYear
    from tests.factories import UserFactory
    from tracking.ledger.services import record_entry
    from tracking.ledger.targets import ensure_targets
    from tracking.models import CoverageArrangement, CoverageKind, LedgerSource

    today = timezone.localdate()
    this_year = TrainingYear.objects.get(year=today.year)
    last_year = TrainingYear.objects.get(year=today.year - 1)
    ensure_targets(last_year)
    binjiang, taohua, wangcheng = (School.objects.get(code=c) for c in ("DH-X01", "XH-X01", "XJ-X01"))

    mover = TeacherProfile.objects.create(
        user=UserFactory(username="mover", name="王晓明"),
        school=binjiang,
        staff_number="DH-X01-M01",
        category=TeacherCategory.FULL_TIME_PSYCHOLOGY,
    )
    for i, month in enumerate((3, 6, 9, 11)):
        record_entry(
            teacher=mover,
            training_year=last_year,
            hours=Decimal("10"),
            source=LedgerSource.OFFLINE_SESSION,
            source_ref=f"walk-{i}",
            title="心理健康教育面授培训",
            activity_date=datetime.date(today.year - 1, month, 10),
        )
    SchoolMembership.objects.filter(teacher=mover).update(started_on=datetime.date(today.year - 3, 9, 1))
    membership.move(mover, taohua, on=datetime.date(today.year, 1, 10))

    # 钱明 moved during last year: 10 h at 滨江, then 30 h at 豫章初级中学 from 1 July.
    yuzhang = School.objects.get(code="DH-Z01")
    mid = TeacherProfile.objects.create(
        user=UserFactory(username="mid", name="钱明"),
        school=binjiang,
        staff_number="DH-X01-M02",
        category=TeacherCategory.FULL_TIME_PSYCHOLOGY,
    )
    SchoolMembership.objects.filter(teacher=mid).update(started_on=datetime.date(today.year - 3, 9, 1))
    credit = {"training_year": last_year, "source": LedgerSource.OFFLINE_SESSION, "title": "心理健康教育面授培训"}
    record_entry(
        teacher=mid,
        hours=Decimal("10"),
        source_ref="mid-a",
        activity_date=datetime.date(today.year - 1, 3, 1),
        **credit,
    )
    membership.move(mid, yuzhang, on=datetime.date(today.year - 1, 7, 1))
    mid.refresh_from_db()
    record_entry(
        teacher=mid,
        hours=Decimal("30"),
        source_ref="mid-b",
        activity_date=datetime.date(today.year - 1, 9, 1),
        **credit,
    )

    nine = TeacherProfile.objects.create(
        user=UserFactory(username="nine", name="赵雨"),
        school=binjiang,
        staff_number="DH-X01-N01",
        category=TeacherCategory.FULL_TIME_PSYCHOLOGY,
    )
    record_entry(
        teacher=nine,
        training_year=this_year,
        hours=Decimal("9"),
        source=LedgerSource.OFFLINE_SESSION,
        source_ref="walk-nine",
        title="心理健康教育面授培训",
        activity_date=today,
    )
    TeacherProfile.objects.filter(school=wangcheng, category__in=["psy_full", "psy_part"]).update(is_active=False)
    CoverageArrangement.objects.create(
        school=wangcheng, kind=CoverageKind.PARTNER_SCHOOL, covering_school=binjiang, starts_on=today
    )
    return {"this_year": this_year, "last_year": last_year, "mover": mover, "mid": mid, "binjiang": binjiang}


def login(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda u: "/accounts/login/" not in u)


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"true-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_coordinators_read_true_figures_on_phone_and_desktop(live_server, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    load_demo()
    s = scenario()
    url = live_server.url
    last, this = s["last_year"].pk, s["this_year"].pk
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for device, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page = browser.new_page(viewport=viewport, locale="zh-CN")
            page.set_default_timeout(20000)

            # School coordinator of 滨江: last year's report still lists 王晓明, who has moved away.
            login(page, url, "school_coord")
            page.goto(f"{url}/manage/reports/completion/?year={last}&school={s['binjiang'].pk}")
            table = page.locator("table.report-table")
            expect(table).to_contain_text("王晓明")
            notes = page.locator(".rule-notes")
            notes.locator("summary").click()  # 计算口径 opens on a tap
            expect(notes.locator("li").first).to_be_visible()
            expect(notes).to_contain_text("计入该年度最后一天")
            shot(page, f"school-last-year-{device}")
            page.locator("table.report-table tr", has_text="王晓明").get_by_role("link", name="详情").click()
            expect(page.locator("h1")).to_contain_text("王晓明")
            expect(page.locator(".stat-grid")).to_contain_text("40.0")
            expect(page.locator("[data-hours-by-school]")).to_have_count(0)  # all of it earned at 滨江
            expect(page.locator("[data-year-school]")).to_contain_text("东湖区滨江实验小学")
            shot(page, f"school-mover-{device}")
            # this year: 王晓明 is not theirs any more; 赵雨's 9 of 40 hours read 22.5 %
            page.goto(f"{url}/manage/reports/completion/?year={this}&school={s['binjiang'].pk}")
            expect(page.locator("table.report-table")).not_to_contain_text("王晓明")
            expect(page.locator("table.report-table tr", has_text="赵雨")).to_contain_text("22.5%")
            shot(page, f"school-this-year-{device}")

            # District coordinator (东湖区): last year's school row still counts the mover.
            login(page, url, "donghu_coord")
            page.goto(f"{url}/manage/reports/completion/?year={last}")
            expect(page.locator("table.report-table tr", has_text="东湖区滨江实验小学")).to_be_visible()
            shot(page, f"district-last-year-{device}")
            page.goto(f"{url}/manage/reports/staffing/")
            expect(page.locator(".rule-notes")).to_contain_text("1:800")
            expect(page.locator("table.distribution thead")).to_contain_text("学校数")
            shot(page, f"district-staffing-{device}")

            # City coordinator: coverage on the staffing report, rules on the delivery report.
            login(page, url, "city_coord")
            page.goto(f"{url}/manage/reports/staffing/")
            page.get_by_role("link", name="新建区", exact=True).click()
            expect(page.locator("table.report-table")).to_contain_text("由东湖区滨江实验小学援助覆盖")
            shot(page, f"city-staffing-covered-{device}")
            page.goto(f"{url}/manage/reports/delivery/")
            expect(page.locator(".rule-notes")).to_contain_text("19 个教学周的学期应上 9 节")
            expect(page.locator("table.distribution thead")).to_contain_text("班级数")
            shot(page, f"city-delivery-{device}")
            page.goto(f"{url}/manage/reports/completion/?year={last}")
            expect(page.locator(".rule-notes")).to_contain_text("四舍五入")
            shot(page, f"city-last-year-{device}")
            # a move during the year: once, under 豫章初级中学, with the hours of each school listed
            page.goto(f"{url}/manage/reports/teachers/{s['mid'].pk}/?year={last}")
            by_school = page.locator("[data-hours-by-school]")
            expect(by_school).to_contain_text("东湖区滨江实验小学")
            expect(by_school).to_contain_text("东湖区豫章初级中学")
            expect(page.locator(".stat-grid")).to_contain_text("40.0")
            shot(page, f"city-mid-year-mover-{device}")
            page.close()
        browser.close()
