"""Rollups per school / district / city in SQL, constant query counts, and the staffing rule."""

import datetime

import pytest

from accounts.models import School, SchoolClass
from tests.factories import (
    ClassActivityFactory,
    ParentLectureFactory,
    SchoolClassFactory,
    SchoolFactory,
    TeacherProfileFactory,
)
from tracking.delivery import rules
from tracking.models import ActivityKind

D = datetime.date
ON = D(2026, 9, 18)  # two teaching weeks into the 8-week short term: 1 lesson due per key class


def build(org, year, classes_per_school):
    """Per school: `classes_per_school` key (grade 1) and as many non-key (grade 2) classes;
    the first key class of each school logged its lesson."""
    for school in (org["school_a1"], org["school_a2"], org["school_b1"]):
        for i in range(classes_per_school):
            key = SchoolClassFactory(school=school, academic_year=year, grade=1, name=f"1-{i}")
            SchoolClassFactory(school=school, academic_year=year, grade=2, name=f"2-{i}")
            if i == 0:
                ClassActivityFactory(school_class=key, date=D(2026, 9, 9))
    ParentLectureFactory(school=org["school_a1"], date=D(2026, 9, 10))


def test_rollup_by_school(org, year, short_term):
    build(org, year, 2)
    rows = {r["school__name"]: r for r in rules.rollup(SchoolClass.objects.all(), short_term, "school", ON)}
    a1 = rows["甲一小学"]
    assert (a1["classes"], a1["key_classes"], a1["behind"], a1["on_track"], a1["met"]) == (4, 2, 1, 3, 0)
    assert (a1["lessons"], a1["lessons_due"], a1["lessons_expected"]) == (1, 2, 8)
    assert (a1["schools"], a1["schools_with_parent_lecture"]) == (1, 1)
    assert rows["乙一小学"]["schools_with_parent_lecture"] == 0


def test_rollup_by_district_and_city(org, year, short_term):
    build(org, year, 2)
    rows = {r["school__district__name"]: r for r in rules.rollup(SchoolClass.objects.all(), short_term, "district", ON)}
    assert (rows["东湖区"]["classes"], rows["东湖区"]["behind"], rows["东湖区"]["schools"]) == (8, 2, 2)
    assert rows["东湖区"]["schools_with_parent_lecture"] == 1
    assert (rows["西湖区"]["classes"], rows["西湖区"]["behind"]) == (4, 1)
    [city] = rules.rollup(SchoolClass.objects.all(), short_term, "city", ON)
    assert (city["classes"], city["behind"], city["schools"], city["families"]) == (12, 3, 3, 12 * 44)
    assert (city["lessons"], city["lessons_due"], city["lessons_expected"]) == (3, 6, 24)
    assert (city["key_classes"], city["schools_with_parent_lecture"]) == (6, 1)
    district_totals = {key: sum(r[key] for r in rows.values()) for key in city}
    assert district_totals == city


def test_rollup_respects_the_given_classes(org, year, short_term):
    build(org, year, 1)
    rows = rules.rollup(SchoolClass.objects.filter(school__district=org["district_b"]), short_term, "school", ON)
    assert [r["school__name"] for r in rows] == ["乙一小学"]


def test_rollup_rejects_unknown_level(short_term):
    with pytest.raises(ValueError):
        rules.rollup(SchoolClass.objects.all(), short_term, "province")


@pytest.mark.parametrize("size", [1, 4])
def test_query_count_does_not_grow_with_rows(org, year, short_term, size, django_assert_max_num_queries):
    build(org, year, size)
    for school_class in SchoolClass.objects.filter(grade=2):
        ClassActivityFactory(school_class=school_class, kind=ActivityKind.THEME_MEETING, date=D(2026, 9, 9))
    for by in ("school", "district", "city"):
        # Calendar and key grades (3), the class aggregate (1), the school aggregate (1).
        with django_assert_max_num_queries(5):
            rules.rollup(SchoolClass.objects.all(), short_term, by, ON)
    with django_assert_max_num_queries(4):
        rows = list(rules.class_delivery_status(SchoolClass.objects.all(), short_term, ON))
    assert len(rows) == 6 * size


def teachers(school, full=0, part=0):
    for _ in range(full):
        TeacherProfileFactory(school=school, category="psy_full")
    for _ in range(part):
        TeacherProfileFactory(school=school, category="psy_part")


def staffing(school):
    return rules.staffing_status(School.objects.filter(pk=school.pk)).get()


@pytest.mark.parametrize(
    ("students", "full", "part", "required", "short", "needs_full_time"),
    [
        (800, 0, 1, 1, False, False),  # exactly 800: one part-time teacher is enough
        (801, 0, 1, 2, True, True),  # 801: two teachers, one of them full-time
        (801, 1, 0, 2, True, False),
        (801, 1, 1, 2, False, False),
        (1600, 2, 0, 2, False, False),
        (1601, 1, 1, 3, True, False),
        (0, 0, 0, 0, False, False),
    ],
)
def test_staffing_rule(db, students, full, part, required, short, needs_full_time):
    school = SchoolFactory(student_count=students)
    teachers(school, full, part)
    TeacherProfileFactory(school=school, category="head")  # not a psychology teacher
    row = staffing(school)
    assert (row.required_psychology_teachers, row.psychology_teachers) == (required, full + part)
    assert (row.staffing_short, row.needs_full_time) == (short, needs_full_time)
    assert row.staffing_ok is not (short or needs_full_time)


def test_inactive_teachers_do_not_count(db):
    school = SchoolFactory(student_count=500)
    TeacherProfileFactory(school=school, category="psy_full", is_active=False)
    assert staffing(school).staffing_short is True


@pytest.mark.parametrize("size", [1, 5])
def test_staffing_query_count_is_constant(db, size, django_assert_max_num_queries):
    for _ in range(size):
        teachers(SchoolFactory(student_count=900), full=1, part=2)
    with django_assert_max_num_queries(1):
        rows = list(rules.staffing_status(School.objects.all()))
    assert len(rows) == size
