"""Status against the yearly target, per category, computed in SQL (one query)."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError

from accounts.models import TeacherCategory, TeacherProfile
from tests.factories import LedgerEntryFactory, TeacherProfileFactory
from tracking.figures import round_percent
from tracking.ledger.services import Status, annotate_status, record_correction, record_entry, teacher_status
from tracking.models import LedgerEntry, LedgerSource, TrainingTarget

pytestmark = pytest.mark.django_db

DURING = datetime.date(2026, 6, 1)
AFTER = datetime.date(2027, 1, 5)


def credit(teacher, year, hours, *, session=True, n=1):
    for i in range(n):
        LedgerEntryFactory(
            teacher=teacher, training_year=year, hours=Decimal(hours), counts_as_session=session, source_ref=f"x{i}"
        )


@pytest.mark.parametrize(
    ("category", "hours", "on", "expected"),
    [
        (TeacherCategory.FULL_TIME_PSYCHOLOGY, "39.5", DURING, Status.IN_PROGRESS),
        (TeacherCategory.FULL_TIME_PSYCHOLOGY, "40", DURING, Status.MET),
        (TeacherCategory.FULL_TIME_PSYCHOLOGY, "39.5", AFTER, Status.NOT_MET),
        (TeacherCategory.FULL_TIME_PSYCHOLOGY, "40.5", AFTER, Status.MET),
        (TeacherCategory.HEAD_TEACHER, "9.5", DURING, Status.IN_PROGRESS),
        (TeacherCategory.HEAD_TEACHER, "10", DURING, Status.MET),
        (TeacherCategory.HEAD_TEACHER, "9.5", AFTER, Status.NOT_MET),
        (TeacherCategory.PART_TIME_PSYCHOLOGY, "19.5", DURING, Status.IN_PROGRESS),
        (TeacherCategory.PART_TIME_PSYCHOLOGY, "20", AFTER, Status.MET),
    ],
)
def test_hours_targets_at_the_boundary(org, training_year, category, hours, on, expected):
    teacher = TeacherProfileFactory(school=org["school_a1"], category=category)
    credit(teacher, training_year, hours)
    row = teacher_status(teacher, training_year, on=on)
    assert row.hours == Decimal(hours)
    assert row.status == expected


@pytest.mark.parametrize(
    ("sessions", "on", "expected"),
    [(0, DURING, Status.IN_PROGRESS), (1, DURING, Status.MET), (0, AFTER, Status.NOT_MET), (2, AFTER, Status.MET)],
)
def test_other_teachers_need_one_session(org, training_year, sessions, on, expected):
    teacher = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.OTHER)
    credit(teacher, training_year, "1", n=sessions)
    row = teacher_status(teacher, training_year, on=on)
    assert row.sessions == sessions
    assert row.target_sessions == 1
    assert row.status == expected
    assert row.percent == (Decimal("100") if sessions else Decimal("0"))


def test_percent_is_capped_and_proportional(org, training_year):
    teacher = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    credit(teacher, training_year, "10")
    assert teacher_status(teacher, training_year, on=DURING).percent == Decimal("25")
    LedgerEntryFactory(teacher=teacher, training_year=training_year, hours=Decimal("50"))
    assert teacher_status(teacher, training_year, on=DURING).percent == Decimal("100")


def test_changed_target_changes_status(org, training_year):
    teacher = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.HEAD_TEACHER)
    credit(teacher, training_year, "10")
    TrainingTarget.objects.filter(training_year=training_year, category=TeacherCategory.HEAD_TEACHER).update(
        hours=Decimal("12")
    )
    assert teacher_status(teacher, training_year, on=DURING).status == Status.IN_PROGRESS


def test_status_for_many_teachers_is_one_query(org, training_year, django_assert_num_queries):
    for i in range(12):
        teacher = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.HEAD_TEACHER)
        credit(teacher, training_year, str(i))
    with django_assert_num_queries(1):
        rows = list(annotate_status(TeacherProfile.objects.all(), training_year, on=DURING))
    assert sorted(r.hours for r in rows) == [Decimal(i) for i in range(12)]
    assert sum(r.status == Status.MET for r in rows) == 2  # 10 and 11 hours


def test_entries_cannot_be_changed_or_deleted(teacher, training_year):
    entry, created = record_entry(
        teacher=teacher,
        training_year=training_year,
        hours=Decimal("2"),
        source=LedgerSource.OFFLINE_SESSION,
        source_ref="session:1",
        title="面授",
        activity_date=DURING,
    )
    assert created
    entry.hours = Decimal("20")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert LedgerEntry.objects.get().hours == Decimal("2")


def test_same_source_is_credited_once(teacher, training_year):
    kwargs = {
        "teacher": teacher,
        "training_year": training_year,
        "hours": Decimal("2"),
        "source": LedgerSource.OFFLINE_SESSION,
        "source_ref": "session:1",
        "title": "面授",
        "activity_date": DURING,
    }
    first, created1 = record_entry(**kwargs)
    second, created2 = record_entry(**kwargs)
    assert (created1, created2) == (True, False)
    assert first.pk == second.pk
    assert teacher_status(teacher, training_year, on=DURING).hours == Decimal("2")


def test_correction_adds_an_entry_with_reason(teacher, city_coordinator, training_year):
    credit(teacher, training_year, "5")
    correction = record_correction(
        teacher=teacher,
        training_year=training_year,
        hours=Decimal("-1.5"),
        reason="重复登记",
        recorded_by=city_coordinator,
    )
    assert correction.source == LedgerSource.CORRECTION
    assert correction.note == "重复登记"
    assert LedgerEntry.objects.filter(teacher=teacher).count() == 2
    row = teacher_status(teacher, training_year, on=DURING)
    assert row.hours == Decimal("3.5")
    assert row.sessions == 1  # a negative correction never adds a session
    with pytest.raises(ValueError):
        record_correction(
            teacher=teacher, training_year=training_year, hours=Decimal("1"), reason=" ", recorded_by=None
        )


def test_only_corrections_may_be_negative(teacher, training_year):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntryFactory(teacher=teacher, training_year=training_year, hours=Decimal("-1"))


# 我的研修 and 我的首页 ask `teacher_status` (one teacher, the rule applied in Python); reports ask
# `annotate_status` (the rule in SQL). Both must give every teacher the same answer.
TARGETS = [("40", None), ("10", 2), (None, 1), ("0", None), ("0", 0), (None, None)]


@pytest.mark.parametrize(("target_hours", "target_sessions"), TARGETS)
@pytest.mark.parametrize("on", [DURING, AFTER])
def test_one_teachers_status_agrees_with_the_reports(org, training_year, target_hours, target_sessions, on):
    TrainingTarget.objects.filter(training_year=training_year, category=TeacherCategory.HEAD_TEACHER).update(
        hours=Decimal(target_hours) if target_hours is not None else None, sessions=target_sessions
    )
    teachers = []
    for hours, sessions in [("0", 0), ("4.5", 1), ("10", 2), ("12", 3), ("39.5", 1), ("41", 0)]:
        teacher = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.HEAD_TEACHER)
        if sessions:
            credit(teacher, training_year, str(Decimal(hours) / sessions), n=sessions)
        elif hours != "0":
            credit(teacher, training_year, hours, session=False)
        teachers.append(teacher)
    record_correction(
        teacher=teachers[2], training_year=training_year, hours=Decimal("-1"), reason="重复登记", recorded_by=None
    )
    reports = {row.pk: row for row in annotate_status(TeacherProfile.objects.all(), training_year, on=on)}
    for teacher in teachers:
        mine, theirs = teacher_status(teacher, training_year, on=on), reports[teacher.pk]
        assert (mine.hours, mine.sessions, mine.status) == (theirs.hours, theirs.sessions, theirs.status)
        assert (mine.target_hours, mine.target_sessions) == (theirs.target_hours, theirs.target_sessions)
        assert round_percent(mine.percent) == round_percent(theirs.percent)


def test_one_teachers_status_takes_two_small_queries(teacher, training_year, django_assert_num_queries):
    credit(teacher, training_year, "2", n=3)
    with django_assert_num_queries(2):  # the year's sums, the category's target
        row = teacher_status(teacher, training_year, on=DURING)
    assert (row.hours, row.sessions) == (Decimal("6"), 3)
