"""我的研修: hours against the category target, status, courses, certificates and the ledger behind it."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from courses import services
from tests.factories import CoursePageFactory, LessonPageFactory, TeacherProfileFactory, UserFactory
from tracking.ledger.services import record_entry
from tracking.models import LedgerSource

pytestmark = pytest.mark.django_db


def _complete(teacher, course):
    enrolment, _ = services.enrol(teacher.user, course)
    for lesson in course.lessons():
        services.finish_lesson(enrolment, lesson)
    return enrolment


def test_full_time_psychology_teacher_sees_progress_towards_40_hours(
    client, org, training_year, catalogue, django_assert_max_num_queries
):
    teacher = TeacherProfileFactory(school=org["school_a1"], category="psy_full")
    for n in range(3):
        course = CoursePageFactory(
            parent=catalogue, title=f"专职课程{n}", teacher_categories=["psy_full"], credit_hours=Decimal("4")
        )
        LessonPageFactory(parent=course)
        _complete(teacher, course)
    unfinished = CoursePageFactory(parent=catalogue, title="进行中的课程", teacher_categories=["psy_full"])
    LessonPageFactory(parent=unfinished)
    services.enrol(teacher.user, unfinished)
    record_entry(
        teacher=teacher,
        training_year=training_year,
        hours=Decimal("6"),
        source=LedgerSource.OFFLINE_SESSION,
        source_ref="session:1",
        title="市级线下专题培训",
        activity_date=datetime.date(2026, 3, 14),
    )
    client.force_login(teacher.user)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("tracking:dashboard"))
    html = response.content.decode()
    assert "data-hours>18.0<" in html  # 3 × 4 online + 6 offline
    assert "badge-warn" in html  # in progress: 18 of 40
    assert 'aria-valuenow="45"' in html
    assert "市级线下专题培训" in html and "专职课程0" in html
    assert "<td>线下培训</td>" in html and "<td>线上课程</td>" in html  # the source of each entry
    assert "进行中的课程" in response.context["in_progress"][0].course.title
    assert len(response.context["completed"]) == 3
    assert len(response.context["certificates"]) == 3


def test_dashboard_for_non_teachers_and_anonymous(client):
    assert client.get(reverse("tracking:dashboard")).status_code == 302
    client.force_login(UserFactory())
    response = client.get(reverse("tracking:dashboard"))
    assert response.status_code == 200 and "status" not in response.context


def test_account_menu_links_teachers_to_their_dashboard(client, teacher):
    client.force_login(teacher.user)
    assert reverse("tracking:dashboard") in client.get(reverse("accounts:profile")).content.decode()


def test_a_teacher_sees_only_their_own_entries(client, org, training_year, catalogue):
    course = CoursePageFactory(parent=catalogue, title="他人完成的课程")
    LessonPageFactory(parent=course)
    mine = TeacherProfileFactory(school=org["school_a1"])
    theirs = TeacherProfileFactory(school=org["school_a1"])
    _complete(theirs, course)
    client.force_login(mine.user)
    html = client.get(reverse("tracking:dashboard")).content.decode()
    assert "data-hours>0.0<" in html
    assert course.title not in html
