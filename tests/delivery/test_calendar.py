"""Teaching weeks and expected lessons for terms of different shapes (see docs/delivery.md)."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.auth import login_with_mfa
from tests.factories import KeyGradeConfigFactory, TermBreakFactory, TermFactory
from tracking.delivery import rules

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "weeks", "lessons"),
    [
        (D(2026, 9, 7), D(2026, 10, 16), 6, 3),  # six full weeks
        (D(2026, 9, 7), D(2026, 10, 23), 7, 3),  # odd week count: the 7th week alone owes nothing
        (D(2026, 9, 7), D(2026, 10, 30), 8, 4),
        (D(2026, 9, 2), D(2026, 9, 18), 3, 1),  # starts Wednesday: 3 weekdays, the first week counts
        (D(2026, 9, 3), D(2026, 9, 18), 2, 1),  # starts Thursday: 2 weekdays, the first week does not
        (D(2026, 9, 7), D(2026, 9, 23), 3, 1),  # ends Wednesday: last week has 3 weekdays, counts
        (D(2026, 9, 7), D(2026, 9, 22), 2, 1),  # ends Tuesday: last week has 2 weekdays, does not
        (D(2026, 9, 1), D(2027, 1, 20), 21, 10),  # the demo first semester (Tue – Wed), 21 weeks
    ],
)
def test_teaching_weeks_and_expected_lessons(start, end, weeks, lessons):
    week_ends = rules.teaching_week_ends(start, end)
    assert len(week_ends) == weeks
    assert rules.lessons_for_weeks(len(week_ends)) == lessons


def test_weekend_days_never_make_a_week():
    # Saturday to the next Tuesday: 2 weekdays only.
    assert rules.teaching_week_ends(D(2026, 9, 5), D(2026, 9, 8)) == []


def test_a_full_week_break_removes_a_week_and_a_lesson(year):
    term = TermFactory(academic_year=year, start_date=D(2026, 9, 7), end_date=D(2026, 10, 30))
    assert rules.term_calendar(term).expected_lessons == 4
    TermBreakFactory(term=term, name="期中考试周", start_date=D(2026, 10, 12), end_date=D(2026, 10, 16))
    calendar = rules.term_calendar(term)
    assert calendar.teaching_weeks == 7
    assert calendar.expected_lessons == 3


def test_national_day_break_leaves_the_weeks_with_three_teaching_days(year):
    # Thu 1 – Wed 7 Oct: the week of 28 Sep keeps Mon–Wed (counts), the week of 5 Oct keeps Thu–Fri (not).
    term = TermFactory(academic_year=year, start_date=D(2026, 9, 1), end_date=D(2027, 1, 20))
    TermBreakFactory(term=term, name="国庆节", start_date=D(2026, 10, 1), end_date=D(2026, 10, 7))
    calendar = rules.term_calendar(term)
    assert calendar.teaching_weeks == 20
    assert D(2026, 9, 30) in calendar.week_ends
    assert all(not (D(2026, 10, 5) <= d <= D(2026, 10, 11)) for d in calendar.week_ends)


def test_due_by_now_counts_completed_pairs_of_weeks(short_term):
    calendar = rules.term_calendar(short_term)
    assert calendar.lessons_due(D(2026, 9, 6)) == 0  # before the term
    assert calendar.lessons_due(D(2026, 9, 17)) == 0  # Thursday of week 2: pair not yet complete
    assert calendar.lessons_due(D(2026, 9, 18)) == 1  # Friday of week 2 completes the first pair
    assert calendar.lessons_due(D(2026, 10, 2)) == 2
    assert calendar.lessons_due(D(2026, 12, 31)) == 4  # after the term: everything


def test_break_before_week_end_moves_completion_to_the_last_teaching_day(year):
    term = TermFactory(academic_year=year, start_date=D(2026, 9, 7), end_date=D(2026, 10, 30))
    TermBreakFactory(term=term, name="调休", start_date=D(2026, 9, 18), end_date=D(2026, 9, 18))
    calendar = rules.term_calendar(term)
    assert calendar.lessons_due(D(2026, 9, 17)) == 1  # Thursday is week 2's last teaching day


def test_admin_can_configure_breaks_and_key_grades(client, year, admin_user):
    term = TermFactory(academic_year=year, start_date=D(2026, 9, 7), end_date=D(2026, 10, 30))
    login_with_mfa(client, admin_user)
    response = client.post(
        reverse("key_grades:add"),
        {"academic_year": year.pk, "school_type": "primary", "grades": "[2, 5]"},
    )
    assert response.status_code == 302
    assert rules.key_grades(year)["primary"] == (2, 5)
    client.post(
        reverse("term_breaks:add"),
        {"term": term.pk, "name": "期中考试周", "start_date": "2026-10-12", "end_date": "2026-10-16"},
    )
    assert rules.term_calendar(term).teaching_weeks == 7


def test_key_grade_list_is_validated(year):
    config = KeyGradeConfigFactory.build(academic_year=year, school_type="junior", grades=["seven"])
    with pytest.raises(ValidationError):
        config.full_clean()


def test_break_outside_its_term_is_refused(year):
    term = TermFactory(academic_year=year, start_date=D(2026, 9, 7), end_date=D(2026, 10, 30))
    with pytest.raises(ValidationError):
        TermBreakFactory.build(term=term, start_date=D(2026, 11, 2), end_date=D(2026, 11, 3)).full_clean()
