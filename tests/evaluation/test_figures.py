"""Indicator figures against hand-computed fixtures: staffing edge cases, the lesson rule, the
semester-wide rules, training shares, family work, thresholds as data and the registry."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import School, TeacherCategory
from evaluation import indicators, periods, registry
from evaluation.compute import Verdict, compute
from evaluation.types import Figure, StatusInfo
from tests.factories import (
    ClassActivityFactory,
    FamilyVisitTallyFactory,
    ParentLectureFactory,
    SchoolClassFactory,
    SchoolFactory,
    TeacherProfileFactory,
)
from tests.reports.conftest import credit
from tracking.models import ActivityKind, CoverageArrangement, CoverageKind

D = datetime.date
MID = D(2026, 9, 18)  # two teaching weeks done: 1 lesson due per key-grade class
AFTER = D(2026, 11, 2)  # the short term is over: 4 lessons were due


def card(school, term, on, thresholds=None):
    [found] = compute([school.pk], periods.for_term(term), thresholds=thresholds, on=on)
    return {row.indicator.key: row for row in found.rows}


def staff(school, full=0, part=0):
    for _i in range(full):
        TeacherProfileFactory(school=school, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    for _i in range(part):
        TeacherProfileFactory(school=school, category=TeacherCategory.PART_TIME_PSYCHOLOGY)


# --- staffing ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("students", "full", "part", "ratio", "full_time", "coverage"),
    [
        # exactly 800: one teacher needed, part-time is enough, no full-time rule, no coverage rule
        (800, 0, 1, Verdict.MET, Verdict.NOT_APPLICABLE, Verdict.NOT_APPLICABLE),
        (800, 0, 0, Verdict.NOT_MET, Verdict.NOT_APPLICABLE, Verdict.NOT_APPLICABLE),
        # 801: two teachers needed and at least one full-time
        (801, 0, 2, Verdict.MET, Verdict.NOT_MET, Verdict.NOT_APPLICABLE),
        (801, 1, 0, Verdict.NOT_MET, Verdict.MET, Verdict.NOT_APPLICABLE),
        (801, 1, 1, Verdict.MET, Verdict.MET, Verdict.NOT_APPLICABLE),
        # small school with its own part-time teacher
        (300, 0, 1, Verdict.MET, Verdict.NOT_APPLICABLE, Verdict.MET),
        # small school, nobody and no arrangement
        (300, 0, 0, Verdict.NOT_MET, Verdict.NOT_APPLICABLE, Verdict.NOT_MET),
    ],
)
def test_staffing_edges(org, short_term, students, full, part, ratio, full_time, coverage):
    school = SchoolFactory(student_count=students, district=org["district_a"])
    staff(school, full, part)
    rows = card(school, short_term, MID)
    assert rows["staffing_ratio"].verdict == ratio
    assert rows["staffing_full_time"].verdict == full_time
    assert rows["staffing_coverage"].verdict == coverage
    required = -(-students // 800)
    assert (rows["staffing_ratio"].figure.numerator, rows["staffing_ratio"].figure.denominator) == (
        full + part,
        required,
    )


def test_small_school_covered_by_an_arrangement(org, short_term):
    school = SchoolFactory(student_count=300, district=org["district_a"])
    CoverageArrangement.objects.create(
        school=school,
        kind=CoverageKind.PARTNER_SCHOOL,
        covering_school=org["school_b1"],
        starts_on=D(2026, 9, 1),
    )
    rows = card(school, short_term, MID)
    assert rows["staffing_ratio"].verdict == Verdict.MET
    assert rows["staffing_coverage"].verdict == Verdict.MET
    assert "乙一小学" in rows["staffing_coverage"].figure.note


def test_ratio_threshold_is_data(org, short_term):
    school = SchoolFactory(student_count=700, district=org["district_a"])
    staff(school, part=1)
    assert card(school, short_term, MID)["staffing_ratio"].verdict == Verdict.MET
    # A round asking one teacher per 500 students: 700 students need 2.
    stricter = card(school, short_term, MID, thresholds={"staffing_ratio": 500})
    assert stricter["staffing_ratio"].verdict == Verdict.NOT_MET
    assert (
        stricter["staffing_ratio"].standard.startswith("One psychology teacher")
        or "500" in stricter["staffing_ratio"].standard
    )


# --- lessons and semester-wide rules ------------------------------------------------------------
def delivery_school(org, year):
    """Two key-grade classes (grade 1) and one other (grade 2) of a primary school.
    Class 1-1 logs 1 lesson, a theme meeting and a special activity; 1-2 logs nothing;
    2-1 logs a theme meeting. Families: 44 per class, 1-1's all visited."""
    school = SchoolFactory(district=org["district_a"], school_type=School.SchoolType.PRIMARY)
    c11 = SchoolClassFactory(school=school, academic_year=year, grade=1, name="1-1")
    SchoolClassFactory(school=school, academic_year=year, grade=1, name="1-2")
    c21 = SchoolClassFactory(school=school, academic_year=year, grade=2, name="2-1")
    ClassActivityFactory(school_class=c11, date=D(2026, 9, 9))
    ClassActivityFactory(school_class=c11, date=D(2026, 9, 10), kind=ActivityKind.THEME_MEETING)
    ClassActivityFactory(school_class=c11, date=D(2026, 9, 11), kind=ActivityKind.SPECIAL_ACTIVITY)
    ClassActivityFactory(school_class=c21, date=D(2026, 9, 10), kind=ActivityKind.THEME_MEETING)
    return school, c11


def test_lessons_due_so_far(org, year, short_term):
    school, _c11 = delivery_school(org, year)
    rows = card(school, short_term, MID)
    # 1 lesson due per key class; 1-1 has it, 1-2 does not: 1 of 2 key classes on track.
    lessons = rows["lessons"]
    assert (lessons.figure.numerator, lessons.figure.denominator, lessons.figure.value) == (1, 2, Decimal("50.0"))
    assert lessons.verdict == Verdict.NOT_MET  # lessons are judged against what is due now, never "in progress"
    assert "1" in lessons.figure.note


def test_a_new_class_log_shows_on_the_scorecard_at_once(org, year, short_term):
    """The scorecards' delivery figures are kept in the delivery figures' cache (decision 0039):
    a lesson logged, then withdrawn, changes the next scorecard, never a stale one."""
    school, _c11 = delivery_school(org, year)
    assert card(school, short_term, MID)["lessons"].figure.numerator == 1
    c12 = school.classes.get(name="1-2")
    logged = ClassActivityFactory(school_class=c12, date=D(2026, 9, 9))
    rows = card(school, short_term, MID)
    assert (rows["lessons"].figure.numerator, rows["lessons"].verdict) == (2, Verdict.MET)
    logged.void_reason, logged.voided_at = "记录有误", datetime.datetime(2026, 9, 10, tzinfo=datetime.UTC)
    logged.save()
    assert card(school, short_term, MID)["lessons"].figure.numerator == 1


def test_lessons_met_when_every_key_class_is_on_track(org, year, short_term):
    school = SchoolFactory(district=org["district_a"])
    for name in ("1-1", "6-1"):
        c = SchoolClassFactory(school=school, academic_year=year, grade=int(name[0]), name=name)
        ClassActivityFactory(school_class=c, date=D(2026, 9, 9))
    SchoolClassFactory(school=school, academic_year=year, grade=3, name="3-1")  # not a key grade
    rows = card(school, short_term, MID)
    assert (rows["lessons"].figure.numerator, rows["lessons"].figure.denominator) == (2, 2)
    assert rows["lessons"].verdict == Verdict.MET
    # After the term, 4 lessons were due: one lesson each is behind.
    assert card(school, short_term, AFTER)["lessons"].verdict == Verdict.NOT_MET


def test_semester_rules_pending_then_not_met(org, year, short_term):
    school, c11 = delivery_school(org, year)
    FamilyVisitTallyFactory(school_class=c11, term=short_term, families_visited=44)
    mid = card(school, short_term, MID)
    assert (mid["theme_meetings"].figure.numerator, mid["theme_meetings"].figure.denominator) == (2, 3)
    assert mid["theme_meetings"].verdict == Verdict.PENDING
    assert (mid["special_activities"].figure.numerator, mid["special_activities"].figure.denominator) == (1, 3)
    assert (mid["family_visits"].figure.numerator, mid["family_visits"].figure.denominator) == (44, 132)
    after = card(school, short_term, AFTER)
    assert after["theme_meetings"].verdict == Verdict.NOT_MET
    assert after["family_visits"].verdict == Verdict.NOT_MET
    # A round that accepts two thirds of classes: the meetings pass, the activities do not.
    lenient = card(school, short_term, AFTER, thresholds={"theme_meetings": "66.6", "special_activities": 50})
    assert lenient["theme_meetings"].verdict == Verdict.MET
    assert lenient["special_activities"].verdict == Verdict.NOT_MET


def test_parent_lectures_and_vocational(org, year, short_term):
    school = SchoolFactory(district=org["district_a"], school_type=School.SchoolType.VOCATIONAL)
    c = SchoolClassFactory(school=school, academic_year=year, grade=1, name="1-1")
    ClassActivityFactory(school_class=c, date=D(2026, 9, 9), kind=ActivityKind.CAREER_COURSE, periods=9)
    ParentLectureFactory(school=school, date=D(2026, 9, 10))
    rows = card(school, short_term, AFTER)
    assert rows["parent_lectures"].figure.value == 1
    assert rows["parent_lectures"].verdict == Verdict.MET
    career = rows["vocational_career"]
    assert (career.figure.numerator, career.figure.denominator, career.figure.value) == (9, 36, Decimal("25.0"))
    assert career.verdict == Verdict.PENDING  # the academic year runs to August
    primary = card(org["school_a1"], short_term, AFTER)
    assert primary["vocational_career"].verdict == Verdict.NOT_APPLICABLE
    assert primary["parent_lectures"].verdict == Verdict.NOT_MET


def test_psychology_committee_applies_to_secondary_only(org, short_term):
    junior = SchoolFactory(district=org["district_a"], school_type=School.SchoolType.JUNIOR)
    assert card(junior, short_term, MID)["psychology_committee"].verdict == Verdict.NOT_MET  # no approved entry
    assert card(org["school_a1"], short_term, MID)["psychology_committee"].verdict == Verdict.NOT_APPLICABLE


# --- training ---------------------------------------------------------------------------------
def test_training_shares(org, short_term, training_year):
    school = org["school_a1"]
    met = TeacherProfileFactory(school=school, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    credit(met, training_year, 40, n=4)
    short = TeacherProfileFactory(school=school, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    credit(short, training_year, Decimal("39.5"), n=3)
    head = TeacherProfileFactory(school=school, category=TeacherCategory.HEAD_TEACHER)
    credit(head, training_year, 10)
    TeacherProfileFactory(school=school, category=TeacherCategory.OTHER)  # no session
    rows = card(school, short_term, MID)
    full = rows["training_full_time"]
    assert (full.figure.numerator, full.figure.denominator, full.figure.value) == (1, 2, Decimal("50.0"))
    assert full.verdict == Verdict.PENDING  # the 2026 training year is running on 18 Sep
    assert rows["training_head"].verdict == Verdict.MET
    assert (rows["training_other"].figure.numerator, rows["training_other"].figure.denominator) == (0, 1)
    after = card(school, short_term, D(2027, 1, 5))
    assert after["training_full_time"].verdict == Verdict.NOT_MET
    none = card(org["school_b1"], short_term, MID)
    assert none["training_full_time"].verdict == Verdict.NOT_APPLICABLE


# --- thresholds and the registry ------------------------------------------------------------------
def test_contradictory_thresholds_are_refused():
    errors = indicators.check_thresholds({"lessons": 120, "leading_group": 1, "nope": 3, "staffing_ratio": 0})
    assert len(errors) == 4
    with pytest.raises(ValueError, match="100"):
        indicators.thresholds({"lessons": "120"})


def test_registered_figures_and_status(org, short_term):
    school = org["school_a1"]

    def facilities(school_ids, period):
        assert list(school_ids) == [school.pk]
        return {school.pk: {"counselling_room": Figure(value=True, source_url="/x/"), "bogus": Figure(value=1)}}

    def status(school_ids):
        return {school.pk: StatusInfo(status="demonstration", label="示范校", valid_until=D(2028, 8, 31))}

    registry.register_figures(facilities)
    registry.register_status(status)
    try:
        [found] = compute([school.pk], periods.for_term(short_term), on=MID)
    finally:
        registry.unregister(facilities)
        registry.unregister(status)
    rows = {r.indicator.key: r for r in found.rows}
    assert rows["counselling_room"].verdict == Verdict.MET
    assert rows["counselling_room"].figure.source_url == "/x/"
    assert rows["leading_group"].verdict == Verdict.NOT_MET
    assert "bogus" not in rows
    assert found.status.label == "示范校"
