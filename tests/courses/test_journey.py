"""The whole journey on the server: enrol → lessons → quiz → one ledger entry → dashboard → certificate."""

from decimal import Decimal

import pytest

from django.urls import reverse

from courses.models import Enrolment, LessonProgress, QuizAttempt
from tracking.models import LedgerEntry, LedgerSource

from .conftest import correct_answers, lessons
from .helpers import quiz_token, submit

pytestmark = pytest.mark.django_db


def test_teacher_completes_course_and_sees_hours_and_certificate(client, teacher, course, quiz):
    client.force_login(teacher.user)
    reading, quiz_lesson = lessons(course)

    page = client.get(course.get_parent().url)
    assert course.title in page.content.decode()

    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302 and response["Location"] == reading.url
    enrolment = Enrolment.objects.get(user=teacher.user, course=course)
    assert enrolment.teacher == teacher

    assert client.get(reading.url).status_code == 200
    client.post(reverse("courses:finish_lesson", args=[reading.pk]))
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 50
    assert enrolment.completed_at is None
    # Resuming from the course page sends the teacher to the first unfinished lesson.
    assert f'href="{quiz_lesson.url}"' in client.get(course.url).content.decode()

    html = client.get(quiz_lesson.url).content.decode()
    assert "*" not in html.split('id="quiz"')[1].split("</section>")[0]  # correct markers never rendered
    response = submit(client, quiz_token(html), correct_answers(quiz))
    assert response.status_code == 200

    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.progress_percent == 100
    entry = LedgerEntry.objects.get(teacher=teacher)
    assert entry.hours == Decimal("2.0")
    assert entry.source == LedgerSource.ONLINE_COURSE
    assert entry.title == course.title
    assert LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).count() == 2

    dashboard = client.get(reverse("tracking:dashboard")).content.decode()
    assert "data-hours>2.0<" in dashboard
    assert "data-sessions>1<" in dashboard
    assert "badge-ok" in dashboard  # 'other' teachers need one session: target met
    assert course.title in dashboard

    cert = enrolment.certificate
    pdf = client.get(reverse("courses:certificate", args=[cert.code, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    verify = client.get(reverse("courses:verify", args=[cert.code]))
    assert verify.status_code == 200
    text = verify.content.decode()
    assert course.title in text and "2.0" in text


def test_a_failed_quiz_can_be_retried_and_attempts_are_stored(client, teacher, course, quiz):
    client.force_login(teacher.user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    _reading, quiz_lesson = lessons(course)
    from .conftest import wrong_answers

    submit(client, quiz_token(client.get(quiz_lesson.url).content.decode()), wrong_answers(quiz))
    submit(client, quiz_token(client.get(quiz_lesson.url).content.decode()), correct_answers(quiz))
    attempts = QuizAttempt.objects.filter(enrolment__user=teacher.user, submitted_at__isnull=False).order_by("id")
    assert [(a.score, a.passed) for a in attempts] == [(0, False), (100, True)]
    # Only the quiz lesson is done; the reading lesson is still missing, so no credit yet.
    assert not LedgerEntry.objects.exists()
    assert Enrolment.objects.get(user=teacher.user).progress_percent == 50
