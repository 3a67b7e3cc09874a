"""The maintained per-class, per-semester totals (`ClassTermTotal`) equal the live aggregate of
the class logs after every write path, and the report reads the same figures from either.

Marked `figures`: CI runs these on PostgreSQL (`make test`) and again on SQLite (.ci/run), so
the roll-up is checked equal to the logs on both databases. Concurrent logs of one class (row
locks, real connections) are tested on PostgreSQL in tests/faults/test_delivery_totals.py.
"""

import datetime

import pytest

from django.core.management import call_command

from accounts.models import School, SchoolClass
from tests.factories import (
    ClassActivityFactory,
    FamilyVisitTallyFactory,
    SchoolClassFactory,
    TeacherProfileFactory,
    TermFactory,
    UserFactory,
)
from tracking.delivery import rules, services
from tracking.delivery.totals import rebuild_totals, recompute_for_classes, totals_differ
from tracking.models import ActivityKind, ClassActivity, ClassTermTotal

D = datetime.date
K = ActivityKind

pytestmark = [pytest.mark.django_db, pytest.mark.figures]


@pytest.fixture
def terms(year):
    """Two semesters with a winter gap (21 Jan – 19 Feb) and a summer after the second."""
    first = TermFactory(academic_year=year, number=1, start_date=D(2026, 9, 1), end_date=D(2027, 1, 20))
    second = TermFactory(academic_year=year, number=2, start_date=D(2027, 2, 20), end_date=D(2027, 7, 10))
    return first, second


@pytest.fixture
def classes(org, year):
    vocational = School.objects.filter(pk=org["school_b1"].pk)
    vocational.update(school_type=School.SchoolType.VOCATIONAL)
    return {
        "key": SchoolClassFactory(school=org["school_a1"], academic_year=year, grade=1, family_count=3),
        "plain": SchoolClassFactory(school=org["school_a2"], academic_year=year, grade=2, family_count=2),
        "career": SchoolClassFactory(school=org["school_b1"], academic_year=year, grade=1, family_count=2),
    }


def log(school_class, kind=K.PSYCHOLOGY_LESSON, date=None, periods=1, topic="认识情绪", actor=None):
    activity, created = services.log_activity(
        actor=actor or UserFactory(),
        school_class=school_class,
        kind=kind,
        date=date or D(2026, 9, 15),
        topic=topic,
        periods=periods,
    )
    assert created
    return activity


def figures(term, on, source):
    """Everything the report shows for `term` as of `on`, read from one source."""
    per_class = sorted(
        rules.class_delivery_status(SchoolClass.objects.all(), term, on, source).values(
            "pk",
            "lessons",
            "theme_meetings",
            "special_activities",
            "career_periods",
            "families_visited",
            "status",
            "lessons_due",
        ),
        key=lambda r: r["pk"],
    )
    levels = {
        by: rules.rollup(SchoolClass.objects.all(), term, by, on, source) for by in ("school", "district", "city")
    }
    return per_class, levels


def assert_same(terms, days):
    """The stored rows equal the logs' aggregate, and every report figure is the same read from
    either source on each day the totals apply (no log after it), the default source on every day."""
    assert totals_differ() == []
    compared = 0
    for term in terms:
        for on in days:
            from_logs = figures(term, on, "logs")
            assert figures(term, on, None) == from_logs, (term, on)
            if not rules.year_calendar(term.academic_year, totals_as_of=on).totals_hold_later_logs:
                assert figures(term, on, "totals") == from_logs, (term, on)
                compared += 1
    assert compared >= len(terms)


DAYS = (D(2026, 12, 31), D(2027, 1, 20), D(2027, 3, 31), D(2027, 8, 31), D(2027, 9, 30))


def test_every_write_path_keeps_the_totals_equal_to_the_logs(terms, classes):
    first, second = terms
    key, plain, career = classes["key"], classes["plain"], classes["career"]
    # Through the service (the teacher and coordinator forms, the demo, campaign activities).
    for day in (D(2026, 9, 15), D(2026, 10, 13), D(2026, 11, 10), D(2027, 3, 2)):
        log(key, date=day, topic=f"课 {day}")
    meeting = log(key, K.THEME_MEETING, D(2026, 9, 25), topic="主题班会")
    log(plain, K.SPECIAL_ACTIVITY, D(2026, 10, 9), topic="专题活动")
    log(career, K.CAREER_COURSE, D(2026, 9, 16), periods=2, topic="生涯")
    log(career, K.CAREER_COURSE, D(2027, 2, 5), periods=3, topic="寒假里的生涯课")  # between the semesters
    log(career, K.CAREER_COURSE, D(2027, 7, 20), periods=1, topic="暑假里的生涯课")  # after the second
    FamilyVisitTallyFactory(school_class=key, term=first, families_visited=3)
    assert_same(terms, DAYS)
    row = ClassTermTotal.objects.get(school_class=key, term=first)
    assert (row.lessons, row.theme_meetings, row.logs, row.last_date) == (3, 1, 4, D(2026, 11, 10))
    assert sum(ClassTermTotal.objects.filter(school_class=career).values_list("career_periods", flat=True)) == 6

    # A coordinator's correction: another kind, another semester, another class.
    services.change_record(actor=UserFactory(), obj=meeting, kind=K.SPECIAL_ACTIVITY)
    services.change_record(actor=UserFactory(), obj=meeting, date=D(2027, 3, 10))
    services.change_record(actor=UserFactory(), obj=meeting, school_class=plain)
    assert ClassTermTotal.objects.get(school_class=plain, term=second).special_activities == 1
    assert_same(terms, DAYS)

    # Voided by a coordinator, withdrawn by its teacher: no longer counted.
    lesson = ClassActivity.objects.filter(school_class=key).order_by("date").first()
    services.void_record(actor=UserFactory(), obj=lesson, reason="记错了")
    teacher = TeacherProfileFactory(school=key.school)
    mine = log(key, date=D(2026, 12, 1), topic="撤回的课", actor=teacher.user)
    services.withdraw_activity(actor=teacher.user, activity=mine)
    assert ClassTermTotal.objects.get(school_class=key, term=first).lessons == 2
    assert_same(terms, DAYS)

    # Plain ORM writes (as tests and the admin make them) send the same signals.
    ClassActivityFactory(school_class=plain, kind=K.THEME_MEETING, date=D(2026, 11, 3))
    assert_same(terms, DAYS)


def test_a_report_of_an_earlier_day_reads_the_logs(terms, classes):
    """The totals count every log; as of a day before some log the logs answer (same figures)."""
    first, _second = terms
    log(classes["key"], date=D(2026, 9, 15))
    log(classes["key"], date=D(2026, 11, 10), topic="第二课")
    on = D(2026, 10, 1)
    assert rules.year_calendar(first.academic_year, totals_as_of=on).totals_hold_later_logs
    assert not rules.year_calendar(first.academic_year, totals_as_of=D(2026, 11, 10)).totals_hold_later_logs
    assert figures(first, on, None) == figures(first, on, "logs")
    assert figures(first, on, None)[0][0]["lessons"] == 1
    # Read from the totals the later lesson would wrongly count: that is why the logs answer.
    assert figures(first, on, "totals")[0][0]["lessons"] == 2


def test_bulk_writers_recompute_and_the_command_rebuilds(terms, classes):
    first, second = terms
    key = classes["key"]
    user = UserFactory()
    ClassActivity.objects.bulk_create(
        [
            ClassActivity(
                school_class=key, kind=K.PSYCHOLOGY_LESSON, date=D(2026, 9, 14 + i), topic="批量", created_by=user
            )
            for i in range(3)
        ]
    )
    assert totals_differ() != []  # bulk_create sends no signal: the writer must recompute
    recompute_for_classes([key.pk])
    assert totals_differ() == []

    ClassTermTotal.objects.all().delete()
    call_command("rebuild_delivery_totals", verbosity=0)
    assert ClassTermTotal.objects.get(school_class=key, term=first).lessons == 3
    assert_same(terms, DAYS[:2])

    # The semesters' dates decide which row a log belongs to: moving them rebuilds the year.
    first.end_date = D(2026, 9, 14)
    first.save()
    second.start_date = D(2026, 9, 15)
    second.save()
    assert ClassTermTotal.objects.get(school_class=key, term=second).lessons == 2
    assert rebuild_totals() == ClassTermTotal.objects.count()
    assert_same(terms, DAYS[:2])


def test_a_campaign_activity_counted_as_special_activities_is_in_the_totals(terms, classes, org):
    """Rule 2: a school's mental-health campaign activity logs a 专题活动 for each class that took
    part, through `log_activity`, so the roll-up counts it in the same transaction."""
    from cms.campaigns.models import CampaignActivity
    from cms.campaigns.services import count_as_special_activities

    first, _second = terms
    user = UserFactory()
    activity = CampaignActivity.objects.create(
        school=org["school_a1"],
        date=D(2026, 10, 10),
        kind="lecture",
        theme="mental_health",
        participants=50,
        created_by=user,
    )
    activity.classes.set([classes["key"]])
    assert count_as_special_activities(activity, actor=user) == 1
    assert ClassTermTotal.objects.get(school_class=classes["key"], term=first).special_activities == 1
    assert_same(terms, DAYS)
