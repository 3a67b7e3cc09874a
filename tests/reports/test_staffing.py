import pytest

from django.urls import reverse

from accounts.models import TeacherCategory
from tests.factories import SchoolFactory, TeacherProfileFactory
from tracking.reports.staffing import is_compliant, staffing_requirement


@pytest.mark.parametrize(
    ("students", "required", "full_time_required"),
    [(0, 0, False), (1, 1, False), (800, 1, False), (801, 2, True), (1600, 2, True), (1601, 3, True)],
)
def test_requirement_boundaries(students, required, full_time_required):
    assert staffing_requirement(students) == {"required": required, "full_time_required": full_time_required}


def test_compliance_rule():
    assert is_compliant(800, 0, 1)  # a part-time teacher is enough up to 800 students
    assert not is_compliant(801, 0, 2)  # above 800: a full-time teacher is required
    assert is_compliant(801, 1, 1)
    assert not is_compliant(1700, 1, 1)  # 3 needed


@pytest.mark.django_db
def test_staffing_report_numbers(org, training_year, login, city_coordinator, district_coordinator):
    a1 = org["school_a1"]  # 600 students (factory default)
    big = SchoolFactory(name="甲三中学", district=org["district_a"], student_count=1700)
    TeacherProfileFactory(school=a1, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
    TeacherProfileFactory(school=big, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    TeacherProfileFactory(school=big, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
    TeacherProfileFactory(school=big, category=TeacherCategory.PART_TIME_PSYCHOLOGY, is_active=False)
    client = login(city_coordinator)
    page = client.get(reverse("reports:staffing"))
    rows = {r["name"]: r for r in page.context["table"].rows}
    # District A: a1 compliant, a2 (600, nobody) not, big (needs 3, has 2) not
    assert rows["东湖区"]["schools"] == 3 and rows["东湖区"]["compliant"] == 1
    assert rows["东湖区"]["required"] == 1 + 1 + 3
    assert rows["西湖区"]["compliant"] == 0
    client = login(district_coordinator)
    page = client.get(reverse("reports:staffing"))
    by_school = {r["name"]: r for r in page.context["table"].rows}
    assert set(by_school) == {"甲一小学", "甲二中学", "甲三中学"}
    assert by_school["甲三中学"]["full_time"] == 1 and by_school["甲三中学"]["part_time"] == 1
    assert by_school["甲一小学"]["compliant"] == 1


@pytest.mark.django_db
def test_report_annotation_is_the_rules_staffing_status(org):
    """One rule: the report's SQL columns come from tracking.rules.staffing_status and agree
    with the per-school statement of the rule at every boundary."""
    from accounts.models import School
    from tracking.reports.staffing import annotate_staffing

    cases = [(800, 0, 1), (801, 0, 2), (801, 1, 1), (1700, 1, 1), (1600, 1, 1), (0, 0, 0)]
    for i, (students, full, part) in enumerate(cases):
        school = SchoolFactory(name=f"边界{i}", district=org["district_a"], student_count=students)
        for _ in range(full):
            TeacherProfileFactory(school=school, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
        for _ in range(part):
            TeacherProfileFactory(school=school, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
    rows = annotate_staffing(School.objects.filter(name__startswith="边界")).order_by("name")
    for (students, full, part), row in zip(cases, rows, strict=True):
        assert bool(row.compliant) == row.staffing_ok == is_compliant(students, full, part), (students, full, part)
        assert row.required == row.required_psychology_teachers == staffing_requirement(students)["required"]
