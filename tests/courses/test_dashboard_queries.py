"""我的研修 (the teacher dashboard): its queries do not grow with the teacher's courses,
certificates and ledger entries (issue 17's guard rails)."""

import datetime
from decimal import Decimal

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from tests.factories import CoursePageFactory, LessonPageFactory, TeacherProfileFactory
from tracking.ledger.services import record_entry
from tracking.models import LedgerSource

pytestmark = pytest.mark.django_db


def _add(teacher, catalogue, training_year, completed: int, started: int, offline: int, tag: str) -> None:
    for n in range(completed + started):
        course = CoursePageFactory(
            parent=catalogue, title=f"课程{tag}{n}", teacher_categories=["psy_full"], credit_hours=Decimal("2")
        )
        for _ in range(2):
            LessonPageFactory(parent=course)
        enrolment, _created = services.enrol(teacher.user, course)
        if n < completed:
            for lesson in course.lessons():
                services.finish_lesson(enrolment, lesson)
        else:
            services.finish_lesson(enrolment, course.lessons().first())
    for n in range(offline):
        record_entry(
            teacher=teacher,
            training_year=training_year,
            hours=Decimal("3"),
            source=LedgerSource.OFFLINE_SESSION,
            source_ref=f"session:{tag}{n}",
            title=f"线下专题培训{tag}{n}",
            activity_date=datetime.date(2026, 3, 1 + n),
        )


def _queries(client) -> list[str]:
    for _ in range(2):  # warm the shared caches (the first request of a new site creates its settings row)
        assert client.get(reverse("tracking:dashboard")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("tracking:dashboard"))
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_dashboard_makes_the_same_queries_for_one_course_or_many(client, org, training_year, catalogue):
    teacher = TeacherProfileFactory(school=org["school_a1"], category="psy_full")
    client.force_login(teacher.user)
    _add(teacher, catalogue, training_year, completed=1, started=1, offline=1, tag="a")
    small = _queries(client)
    _add(teacher, catalogue, training_year, completed=4, started=3, offline=5, tag="b")
    large = _queries(client)
    assert len(small) == len(large), "\n".join(large)
    assert [sql for sql in large if sql.lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}] == []


def test_other_teachers_data_does_not_add_queries(client, org, training_year, catalogue):
    teacher = TeacherProfileFactory(school=org["school_a1"], category="psy_full")
    _add(teacher, catalogue, training_year, completed=1, started=1, offline=1, tag="a")
    client.force_login(teacher.user)
    before = _queries(client)
    for i in range(4):
        other = TeacherProfileFactory(school=org["school_a1"], category="psy_full")
        _add(other, catalogue, training_year, completed=1, started=1, offline=1, tag=f"o{i}")
    assert len(_queries(client)) == len(before)
