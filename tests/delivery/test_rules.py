"""Each class rule's boundary, key-grade configuration and vocational grade 1."""

import datetime

import pytest

from accounts.models import SchoolClass
from tests.factories import (
    ClassActivityFactory,
    FamilyVisitTallyFactory,
    KeyGradeConfigFactory,
    SchoolClassFactory,
    SchoolFactory,
    TermFactory,
)
from tracking.delivery import rules
from tracking.delivery.rules import DeliveryStatus
from tracking.models import ActivityKind

D = datetime.date
K = ActivityKind
SEP_10 = D(2026, 9, 10)


def status_of(school_class, term, on):
    return rules.class_delivery_status(SchoolClass.objects.filter(pk=school_class.pk), term, on).get()


def log(school_class, kind=K.PSYCHOLOGY_LESSON, date=SEP_10, **kwargs):
    return ClassActivityFactory(school_class=school_class, kind=kind, date=date, **kwargs)


def complete_term_rules(school_class, term):
    log(school_class, K.THEME_MEETING)
    log(school_class, K.SPECIAL_ACTIVITY)
    FamilyVisitTallyFactory(school_class=school_class, term=term, families_visited=school_class.family_count)


@pytest.fixture
def primary(db):
    return SchoolFactory(school_type="primary")


@pytest.fixture
def key_class(primary, year):
    return SchoolClassFactory(school=primary, academic_year=year, grade=1, family_count=40)


@pytest.fixture
def other_class(primary, year):
    return SchoolClassFactory(school=primary, academic_year=year, grade=2, family_count=40)


def test_key_class_is_behind_once_a_pair_of_weeks_passes_without_a_lesson(key_class, short_term):
    assert status_of(key_class, short_term, D(2026, 9, 17)).status == DeliveryStatus.ON_TRACK
    row = status_of(key_class, short_term, D(2026, 9, 18))
    assert (row.lessons_due, row.lessons, row.status) == (1, 0, DeliveryStatus.BEHIND)
    log(key_class, date=D(2026, 9, 16))
    assert status_of(key_class, short_term, D(2026, 9, 18)).status == DeliveryStatus.ON_TRACK


def test_non_key_class_owes_no_lessons(other_class, short_term):
    row = status_of(other_class, short_term, D(2026, 10, 1))
    assert (row.is_key_grade, row.lessons_expected, row.lessons_due) == (False, 0, 0)
    assert row.status == DeliveryStatus.ON_TRACK


def test_key_class_met_at_term_end_needs_every_lesson(key_class, short_term):
    complete_term_rules(key_class, short_term)
    for week in range(3):
        log(key_class, date=D(2026, 9, 8) + datetime.timedelta(weeks=2 * week))
    end = short_term.end_date
    assert status_of(key_class, short_term, end).status == DeliveryStatus.BEHIND  # 3 of 4
    log(key_class, date=D(2026, 10, 27))
    row = status_of(key_class, short_term, end)
    assert (row.lessons, row.lessons_expected, row.status) == (4, 4, DeliveryStatus.MET)


@pytest.mark.parametrize("missing", ["theme", "special", "visit"])
def test_each_term_rule_is_required_by_term_end(other_class, short_term, missing):
    if missing != "theme":
        log(other_class, K.THEME_MEETING)
    if missing != "special":
        log(other_class, K.SPECIAL_ACTIVITY)
    visited = other_class.family_count - 1 if missing == "visit" else other_class.family_count
    FamilyVisitTallyFactory(school_class=other_class, term=short_term, families_visited=visited)
    assert status_of(other_class, short_term, D(2026, 10, 29)).status == DeliveryStatus.ON_TRACK
    assert status_of(other_class, short_term, short_term.end_date).status == DeliveryStatus.BEHIND


def test_all_term_rules_met_exactly_at_the_minimum(other_class, short_term):
    complete_term_rules(other_class, short_term)
    row = status_of(other_class, short_term, D(2026, 10, 1))
    assert (row.theme_meetings, row.special_activities, row.families_visited) == (1, 1, other_class.family_count)
    assert row.status == DeliveryStatus.MET


def test_voided_and_out_of_term_logs_do_not_count(key_class, short_term):
    log(key_class, date=D(2026, 9, 8), voided_at=datetime.datetime(2026, 9, 9, tzinfo=datetime.UTC))
    log(key_class, date=D(2026, 11, 5))  # after the term
    assert status_of(key_class, short_term, D(2026, 12, 1)).lessons == 0


def test_logs_after_the_as_of_date_are_ignored(key_class, short_term):
    log(key_class, date=D(2026, 9, 20))
    assert status_of(key_class, short_term, D(2026, 9, 18)).lessons == 0
    assert status_of(key_class, short_term, D(2026, 9, 21)).lessons == 1


def test_lessons_due_this_week(key_class, short_term):
    # Wednesday of week 2: the first pair completes on Friday.
    assert status_of(key_class, short_term, D(2026, 9, 16)).lessons_due_this_week == 1
    log(key_class, date=D(2026, 9, 15))
    assert status_of(key_class, short_term, D(2026, 9, 16)).lessons_due_this_week == 0


@pytest.mark.parametrize(
    ("school_type", "key", "not_key"),
    [
        ("primary", [1, 6], [2, 5]),
        ("junior", [7, 9], [8]),
        ("senior", [10, 12], [11]),
        ("vocational", [1], [2, 3]),
        ("nine_year", [1, 6, 7, 9], [2, 8]),
        ("twelve_year", [1, 6, 7, 9, 10, 12], [3, 8, 11]),
        ("special", [], [1, 6, 7]),
    ],
)
def test_default_key_grades(year, short_term, school_type, key, not_key):
    school = SchoolFactory(school_type=school_type)
    for grade in key + not_key:
        SchoolClassFactory(school=school, academic_year=year, grade=grade)
    rows = rules.class_delivery_status(SchoolClass.objects.filter(school=school), short_term, D(2026, 10, 1))
    assert sorted(r.grade for r in rows if r.is_key_grade) == key


def test_key_grades_configured_per_year_and_type(key_class, other_class, short_term, year):
    KeyGradeConfigFactory(academic_year=year, school_type="primary", grades=[2])
    assert status_of(key_class, short_term, D(2026, 10, 1)).is_key_grade is False
    assert status_of(other_class, short_term, D(2026, 10, 1)).is_key_grade is True


def test_configuration_of_another_year_does_not_apply(key_class, short_term):
    from tests.factories import AcademicYearFactory

    other_year = AcademicYearFactory(name="2027—2028学年", start_date=D(2027, 9, 1), end_date=D(2028, 8, 31))
    KeyGradeConfigFactory(academic_year=other_year, school_type="primary", grades=[])
    assert status_of(key_class, short_term, D(2026, 10, 1)).is_key_grade is True


def test_key_grades_can_be_configured_to_none(key_class, short_term, year):
    KeyGradeConfigFactory(academic_year=year, school_type="primary", grades=[])
    assert status_of(key_class, short_term, D(2026, 10, 1)).lessons_due == 0


class TestVocationalGradeOne:
    @pytest.fixture
    def career_class(self, year, short_term):
        school = SchoolFactory(school_type="vocational")
        school_class = SchoolClassFactory(school=school, academic_year=year, grade=1, family_count=30)
        complete_term_rules(school_class, short_term)
        for i in range(4):  # the key-grade lessons of the 8-week term
            log(school_class, date=D(2026, 9, 8) + datetime.timedelta(weeks=2 * i))
        return school_class

    def test_36_periods_in_the_year(self, career_class, short_term):
        for i in range(17):
            log(career_class, K.CAREER_COURSE, date=D(2026, 9, 7) + datetime.timedelta(days=i), periods=2)
        row = status_of(career_class, short_term, short_term.end_date)
        assert (row.is_career_class, row.career_periods, row.career_expected) == (True, 34, 36)
        assert row.status == DeliveryStatus.BEHIND
        log(career_class, K.CAREER_COURSE, date=D(2026, 10, 28), periods=1)
        assert status_of(career_class, short_term, short_term.end_date).status == DeliveryStatus.BEHIND  # 35
        log(career_class, K.CAREER_COURSE, date=D(2026, 10, 29), periods=1)
        assert status_of(career_class, short_term, short_term.end_date).status == DeliveryStatus.MET  # 36

    def test_periods_are_due_pro_rata_over_the_year(self, career_class, short_term):
        # The year has one 8-week term here: after 2 weeks, 36 * 2 / 8 = 9 periods are due.
        row = status_of(career_class, short_term, D(2026, 9, 18))
        assert row.career_due == 9
        log(career_class, K.CAREER_COURSE, date=D(2026, 9, 8), periods=8)
        assert status_of(career_class, short_term, D(2026, 9, 18)).status == DeliveryStatus.BEHIND
        log(career_class, K.CAREER_COURSE, date=D(2026, 9, 9), periods=1)
        assert status_of(career_class, short_term, D(2026, 9, 18)).status == DeliveryStatus.ON_TRACK

    def test_periods_from_the_other_term_of_the_year_count(self, career_class, short_term, year):
        TermFactory(academic_year=year, number=2, start_date=D(2027, 3, 1), end_date=D(2027, 4, 23))
        log(career_class, K.CAREER_COURSE, date=D(2026, 9, 8), periods=36)
        spring = career_class.academic_year.terms.get(number=2)
        assert status_of(career_class, spring, D(2027, 3, 2)).career_periods == 36

    def test_grade_two_has_no_career_requirement(self, year, short_term):
        school = SchoolFactory(school_type="vocational")
        school_class = SchoolClassFactory(school=school, academic_year=year, grade=2)
        assert status_of(school_class, short_term, short_term.end_date).career_expected == 0
