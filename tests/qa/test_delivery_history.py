"""The class change history reads as words (it showed raw Python dicts)."""

import datetime

import pytest

from django.urls import reverse
from django.utils.translation import gettext as _

from tests.auth import login_with_mfa
from tests.factories import (
    SchoolClassFactory,
    TeacherProfileFactory,
    TermFactory,
)
from tracking.delivery.services import change_record, log_activity
from tracking.models import ActivityKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(org):
    term = TermFactory()
    teacher = TeacherProfileFactory(school=org["school_a1"], category="psy_full")
    school_class = SchoolClassFactory(
        school=org["school_a1"], academic_year=term.academic_year, psychology_teacher=teacher
    )
    return {"term": term, "teacher": teacher, "class": school_class}


def test_change_history_reads_as_words_not_python(client, delivered, school_coordinator):
    school_class, teacher = delivered["class"], delivered["teacher"]
    activity, _created = log_activity(
        actor=teacher.user,
        school_class=school_class,
        kind=ActivityKind.PSYCHOLOGY_LESSON,
        date=datetime.date(2026, 9, 15),
        topic="认识情绪",
        teacher=teacher,
    )
    change_record(actor=school_coordinator, obj=activity, topic="情绪调节")
    login_with_mfa(client, school_coordinator)
    page = client.get(reverse("delivery:manage_class", args=[school_class.pk])).content.decode()
    body = page.split(_("Change history"))[1]
    assert "{'" not in body and "'kind'" not in body and "psy_lesson" not in body
    assert str(ActivityKind.PSYCHOLOGY_LESSON.label) in body
    assert str(teacher) in body  # the teacher's name, not their id
    assert "认识情绪" in body and "情绪调节" in body  # a correction shows the old and the new topic


def test_change_history_query_count_does_not_grow(client, delivered, school_coordinator, django_assert_max_num_queries):
    school_class = delivered["class"]
    login_with_mfa(client, school_coordinator)
    url = reverse("delivery:manage_class", args=[school_class.pk])
    for day in (1, 2):
        log_activity(
            actor=school_coordinator,
            school_class=school_class,
            kind=ActivityKind.THEME_MEETING,
            date=datetime.date(2026, 9, day),
            topic="主题",
            teacher=TeacherProfileFactory(school=school_class.school),
        )
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for day in (3, 4, 5, 6):
        log_activity(
            actor=school_coordinator,
            school_class=school_class,
            kind=ActivityKind.THEME_MEETING,
            date=datetime.date(2026, 9, day),
            topic="主题",
            teacher=TeacherProfileFactory(school=school_class.school),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
