"""Concurrent class logs keep the maintained delivery totals exact (docs/decisions/0027), on
PostgreSQL: each writer locks its class row before recounting, so a recount never misses a log
another connection committed meanwhile."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import AcademicYearFactory, SchoolClassFactory, TermFactory, UserFactory
from tracking.delivery import services
from tracking.delivery.totals import totals_differ
from tracking.models import ActivityKind, ClassActivity, ClassTermTotal

from .services import needs_postgres
from .test_concurrency import together

pytestmark = [pytest.mark.services, needs_postgres]

N = 12


def test_concurrent_logs_of_one_class_are_all_counted(postgres):
    year = AcademicYearFactory(start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 8, 31))
    term = TermFactory(academic_year=year, start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 1, 20))
    school_class = SchoolClassFactory(academic_year=year, grade=1)
    users = [UserFactory() for _ in range(N)]

    def work(i):
        activity, _created = services.log_activity(
            actor=users[i],
            school_class=school_class,
            kind=ActivityKind.PSYCHOLOGY_LESSON,
            date=datetime.date(2026, 9, 1) + datetime.timedelta(days=i),
            topic=f"并发 {i}",
        )
        return activity.pk

    results = together(N, work)
    assert all(isinstance(r, int) for r in results), results
    assert ClassActivity.objects.count() == N
    assert ClassTermTotal.objects.get(school_class=school_class, term=term).logs == N
    assert totals_differ() == []
