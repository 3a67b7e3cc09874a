"""Races on PostgreSQL (issue 9, "Concurrency and faults"): many requests at the same instant
credit hours once and add imported rows once. Each thread has its own database connection,
as gunicorn's workers do; a barrier releases them together."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.scope import scope_for
from courses.models import Certificate, Enrolment
from tests.courses.conftest import home_page
from tests.factories import (
    CoordinatorRoleFactory,
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    OfflineSessionFactory,
    TeacherProfileFactory,
    TrainingYearFactory,
)
from tests.ledger.conftest import xlsx_bytes
from tracking.ledger import importers
from tracking.ledger.services import teacher_status
from tracking.models import Attendance, LedgerEntry, LedgerSource, TeacherYearTotal

pytestmark = pytest.mark.services

N = 50


def together(n: int, work):
    """Run work(i) in n threads released at the same moment; returns results or exceptions."""
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait(timeout=60)
            return work(i)
        except Exception as exc:  # noqa: BLE001 - the caller inspects what each thread got
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_fifty_concurrent_completions_credit_the_hours_once(postgres):
    year = TrainingYearFactory(year=timezone.localdate().year)
    teacher = TeacherProfileFactory()
    catalogue = CourseIndexPageFactory(parent=home_page(), slug="race-training")
    course = CoursePageFactory(parent=catalogue, training_year=year, credit_hours=Decimal("2.5"))
    lesson = LessonPageFactory(parent=course, slug="only-lesson")
    enrolment = Enrolment.objects.create(user=teacher.user, teacher=teacher, course=course)
    url = reverse("courses:finish_lesson", args=[lesson.pk])

    def finish(_i):
        client = Client(raise_request_exception=True)
        client.force_login(teacher.user)
        return client.post(url).status_code

    statuses = together(N, finish)
    assert statuses == [302] * N, statuses  # every request answered, none failed
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    entries = LedgerEntry.objects.filter(teacher=teacher, source=LedgerSource.ONLINE_COURSE)
    assert [e.hours for e in entries] == [Decimal("2.5")]
    assert teacher_status(teacher, year).hours == Decimal("2.5")
    assert TeacherYearTotal.objects.get(teacher=teacher, training_year=year).hours == Decimal("2.5")


@pytest.fixture
def sheet(postgres):
    year = TrainingYearFactory(year=2026)
    teachers = [TeacherProfileFactory(staff_number=f"R{i:03d}") for i in range(3)]
    school = teachers[0].school
    for t in teachers[1:]:
        t.school = school
        t.save(update_fields=["school"])
    start = timezone.make_aware(datetime.datetime(2026, 3, 5, 9, 0))
    session = OfflineSessionFactory(
        school=school, training_year=year, starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )
    coordinators = [CoordinatorRoleFactory(level="school", school=school).user for _ in range(2)]
    data = xlsx_bytes([[t.staff_number, "", "", 3, ""] for t in teachers])
    return {"session": session, "teachers": teachers, "coordinators": coordinators, "data": data}


def _preview(sheet, user):
    return importers.preview_import(
        data=sheet["data"], filename="签到表.xlsx", session=sheet["session"], scope=scope_for(user), user=user
    )


def test_two_coordinators_confirming_the_same_import_at_once_add_rows_once(sheet):
    batch = _preview(sheet, sheet["coordinators"][0])
    results = together(2, lambda i: importers.confirm_import(batch, sheet["coordinators"][i]))
    assert sorted(results, key=repr)[0] == 3  # one confirm wrote the three rows …
    assert any(isinstance(r, importers.AlreadyConfirmed) for r in results), results  # … the other nothing
    assert Attendance.objects.filter(session=sheet["session"]).count() == 3
    assert LedgerEntry.objects.filter(source=LedgerSource.OFFLINE_SESSION).count() == 3
    for teacher in sheet["teachers"]:
        assert teacher_status(teacher, sheet["session"].training_year).hours == Decimal("3")


def test_two_coordinators_uploading_the_same_sheet_and_confirming_at_once_add_rows_once(sheet):
    batches = [_preview(sheet, user) for user in sheet["coordinators"]]
    results = together(2, lambda i: importers.confirm_import(batches[i], sheet["coordinators"][i]))
    # The winner adds the rows; the loser either sees them already there (adds 0) or hits the
    # unique constraint and writes nothing (the page says: nothing was added, upload again).
    assert sorted(r if isinstance(r, int) else -1 for r in results)[-1] == 3, results
    assert all(r in (0, 3) or isinstance(r, IntegrityError) for r in results), results
    assert Attendance.objects.filter(session=sheet["session"]).count() == 3
    assert LedgerEntry.objects.filter(source=LedgerSource.OFFLINE_SESSION).count() == 3
    for teacher in sheet["teachers"]:
        assert teacher_status(teacher, sheet["session"].training_year).hours == Decimal("3")
