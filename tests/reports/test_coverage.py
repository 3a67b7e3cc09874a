"""Small schools' coverage (对口援助 / 定点支教) in the staffing rule, and every shortfall named
(issue 11, part 3). Marked `figures`: CI runs these on SQLite as well as PostgreSQL."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import School, TeacherCategory
from tests.factories import SchoolFactory, TeacherProfileFactory
from tracking.delivery.rules import staffing_status
from tracking.models import CoverageArrangement, CoverageKind
from tracking.reports.staffing import annotate_staffing, is_compliant

pytestmark = [pytest.mark.django_db, pytest.mark.figures]
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def small(org):
    """A 300-student school with no psychology teacher of its own (district A)."""
    return SchoolFactory(name="甲村小学", district=org["district_a"], student_count=300)


def status(school, on=None):
    return staffing_status(School.objects.filter(pk=school.pk), on=on).get()


def test_a_small_school_without_cover_needs_aid(small):
    s = status(small)
    assert s.staffing_short and s.needs_coverage and not s.covered and not s.staffing_ok


def test_partner_school_aid_covers_a_small_school_while_in_force(small, org):
    CoverageArrangement.objects.create(
        school=small,
        kind=CoverageKind.PARTNER_SCHOOL,
        covering_school=org["school_a1"],
        starts_on=TODAY - 30 * DAY,
        ends_on=TODAY + 30 * DAY,
    )
    s = status(small)
    assert s.covered and s.staffing_ok and not s.needs_coverage and s.covered_by == "甲一小学"
    assert not status(small, on=TODAY + 31 * DAY).covered  # after it ended: needs aid again
    assert status(small, on=TODAY + 31 * DAY).needs_coverage
    assert not status(small, on=TODAY - 31 * DAY).covered  # before it began


def test_a_visiting_teacher_covers_and_is_named(small, org):
    visitor = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    CoverageArrangement.objects.create(
        school=small, kind=CoverageKind.VISITING_TEACHER, covering_teacher=visitor, starts_on=TODAY
    )
    s = status(small)
    assert s.covered and s.staffing_ok and s.covered_by == visitor.user.name
    assert is_compliant(300, 0, 0, covered=True) and not is_compliant(300, 0, 0)


def test_coverage_does_not_count_from_800_students(org):
    """Coverage is for schools under 800; from 800 the school's own teachers count, and above 800
    one of them must be full-time."""
    school = SchoolFactory(name="甲八百", district=org["district_a"], student_count=800)
    CoverageArrangement.objects.create(
        school=school, kind=CoverageKind.PARTNER_SCHOOL, covering_school=org["school_a1"], starts_on=TODAY
    )
    s = status(school)
    assert s.staffing_short and not s.covered and not s.needs_coverage and not s.staffing_ok
    assert not is_compliant(800, 0, 0, covered=True)


def test_an_801_student_school_with_one_part_time_teacher_shows_both_shortfalls(org, client, city_coordinator):
    school = SchoolFactory(name="甲八〇一", district=org["district_a"], student_count=801)
    TeacherProfileFactory(school=school, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
    s = status(school)
    assert s.needs_full_time and s.staffing_short and s.required_psychology_teachers == 2
    client.force_login(city_coordinator)
    page = client.get(reverse("reports:staffing"), {"district": org["district_a"].pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    row = next(r for r in page.context["table"].rows if r["name"] == "甲八〇一")
    assert row["result"] == "需配备专职心理健康教师；需配备 2 名心理健康教师（现有 1 名）"
    manage = client.get(reverse("delivery:manage_schools"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "专职" in manage
    assert "需配备 2 名心理健康教师" in manage


def test_the_report_and_the_schools_page_say_covered_or_needs_aid(small, org, client, city_coordinator):
    other_small = SchoolFactory(name="甲山小学", district=org["district_a"], student_count=300)
    CoverageArrangement.objects.create(
        school=small, kind=CoverageKind.PARTNER_SCHOOL, covering_school=org["school_a1"], starts_on=TODAY
    )
    client.force_login(city_coordinator)
    page = client.get(reverse("reports:staffing"), {"district": org["district_a"].pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    rows = {r["name"]: r for r in page.context["table"].rows}
    assert (
        rows["甲村小学"]["result"] == "由甲一小学援助覆盖（对口援助/定点支教）" and rows["甲村小学"]["compliant"] == 1
    )
    assert rows["甲山小学"]["result"] == "需安排援助/支教"
    html = page.content.decode()
    assert "由甲一小学援助覆盖" in html and "需安排援助/支教" in html and "人数不足" not in html
    city = client.get(reverse("reports:staffing"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    district_a = next(r for r in city.context["table"].rows if r["name"] == "东湖区")
    assert district_a["covered"] == 1 and district_a["needs_coverage"] == 3  # 甲山, 甲一 and 甲二 (600, nobody)
    manage = client.get(reverse("delivery:manage_schools"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "由甲一小学援助覆盖" in manage and "需安排援助/支教" in manage
    assert other_small.pk  # listed, not covered


def test_annotations_agree_with_the_python_rule(org):
    cases = [(300, 0, 0, True), (300, 0, 0, False), (799, 0, 0, True), (800, 0, 0, True), (801, 0, 1, False)]
    for i, (students, full, part, covered) in enumerate(cases):
        school = SchoolFactory(name=f"覆盖{i}", district=org["district_a"], student_count=students)
        for _ in range(full):
            TeacherProfileFactory(school=school, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
        for _ in range(part):
            TeacherProfileFactory(school=school, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
        if covered:
            CoverageArrangement.objects.create(
                school=school, kind=CoverageKind.PARTNER_SCHOOL, covering_school=org["school_a1"], starts_on=TODAY
            )
        row = annotate_staffing(School.objects.filter(pk=school.pk)).get()
        assert bool(row.compliant) == is_compliant(students, full, part, covered=covered), (students, covered)


def test_an_arrangement_must_name_who_covers(small, org):
    with pytest.raises(ValidationError):
        CoverageArrangement(school=small, kind=CoverageKind.PARTNER_SCHOOL, starts_on=TODAY).full_clean()
    with pytest.raises(ValidationError):
        CoverageArrangement(school=small, kind=CoverageKind.VISITING_TEACHER, starts_on=TODAY).full_clean()
    with pytest.raises(ValidationError):
        CoverageArrangement(
            school=small, kind=CoverageKind.PARTNER_SCHOOL, covering_school=small, starts_on=TODAY
        ).full_clean()
    with pytest.raises(ValidationError):
        CoverageArrangement(
            school=small,
            kind=CoverageKind.PARTNER_SCHOOL,
            covering_school=org["school_a1"],
            starts_on=TODAY,
            ends_on=TODAY - DAY,
        ).full_clean()
    ok = CoverageArrangement(
        school=small, kind=CoverageKind.PARTNER_SCHOOL, covering_school=org["school_a1"], starts_on=TODAY
    )
    ok.full_clean()
    assert str(ok) == "甲村小学 ← 甲一小学"
