"""What must be refused or must not count twice."""

import datetime
import threading
import time

import pytest

from django.db import OperationalError, connection
from django.urls import reverse

from courses import services
from courses.models import Certificate, Enrolment, QuizAttempt
from courses.signals import course_completed
from tests.factories import CoursePageFactory, QuizFactory, TeacherProfileFactory
from tracking.models import LedgerEntry

from .conftest import correct_answers, lessons, wrong_answers
from .helpers import quiz_token, submit

pytestmark = pytest.mark.django_db


def _enrolled(client, teacher, course):
    client.force_login(teacher.user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    return Enrolment.objects.get(user=teacher.user, course=course)


def test_ineligible_teacher_cannot_enrol(client, teacher, catalogue):
    head_only = CoursePageFactory(parent=catalogue, teacher_categories=["head"], title="班主任专题")
    client.force_login(teacher.user)
    page = client.get(head_only.url).content.decode()
    assert 'action="/learn/courses/' not in page  # no enrol button, a reason instead
    response = client.post(reverse("courses:enrol", args=[head_only.pk]), follow=True)
    assert not Enrolment.objects.exists()
    messages = [str(m) for m in response.context["messages"]]
    assert "该课程面向班主任等思政教育骨干教师，您不在报名范围内。" in messages


def test_enrolment_window_is_enforced(client, teacher, catalogue):
    closed = CoursePageFactory(parent=catalogue, enrolment_closes=datetime.date(2020, 1, 31))
    client.force_login(teacher.user)
    response = client.post(reverse("courses:enrol", args=[closed.pk]), follow=True)
    assert not Enrolment.objects.exists()
    assert "该课程当前不在报名时间内。" in [str(m) for m in response.context["messages"]]


def test_unpublished_or_forged_course_id_is_404(client, teacher, course):
    client.force_login(teacher.user)
    assert client.post(reverse("courses:enrol", args=[999999])).status_code == 404
    course.unpublish()
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 404


def test_quiz_of_a_course_not_enrolled_is_refused(client, org, teacher, course, quiz):
    _enrolled(client, teacher, course)
    token = quiz_token(client.get(lessons(course)[1].url).content.decode())
    intruder = TeacherProfileFactory(school=org["school_b1"])
    client.force_login(intruder.user)
    # The intruder sees no form on the lesson page...
    assert 'name="token"' not in client.get(lessons(course)[1].url).content.decode()
    # ...and a stolen token is refused without consuming the owner's attempt.
    response = submit(client, token, correct_answers(quiz))
    assert "该测验答卷与您的账号不符。请先报名课程，再重新打开本课。" in [str(m) for m in response.context["messages"]]
    assert not QuizAttempt.objects.filter(submitted_at__isnull=False).exists()
    assert not Enrolment.objects.filter(user=intruder.user).exists()


def test_anonymous_quiz_submission_goes_to_login(client, course):
    response = client.post(reverse("courses:submit_quiz"), {"token": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_forged_score_fields_are_ignored(client, teacher, course, quiz):
    _enrolled(client, teacher, course)
    html = client.get(lessons(course)[1].url).content.decode()
    submit(client, quiz_token(html), wrong_answers(quiz), score="100", passed="1", **{"q999": "0"})
    attempt = QuizAttempt.objects.get(submitted_at__isnull=False)
    assert attempt.score == 0 and attempt.passed is False
    assert not LedgerEntry.objects.exists()


def test_single_choice_with_two_answers_is_wrong(client, teacher, course):
    quiz = QuizFactory(questions=[("单选", "single", "*甲\n乙")], pass_mark=100)
    from django.http import QueryDict

    from courses.services import score_answers

    data = QueryDict(mutable=True)
    data.setlist(f"q{quiz.questions.get().pk}", ["0", "1"])
    assert score_answers(quiz, data)[0] == 0


def test_replayed_submission_is_not_counted_twice(client, teacher, course, quiz):
    _enrolled(client, teacher, course)
    reading, quiz_lesson = lessons(course)
    client.post(reverse("courses:finish_lesson", args=[reading.pk]))
    token = quiz_token(client.get(quiz_lesson.url).content.decode())
    submit(client, token, correct_answers(quiz))
    replay = submit(client, token, correct_answers(quiz))
    also_replay = submit(client, token, wrong_answers(quiz))
    for response in (replay, also_replay):
        assert "该答卷已提交过，本次不重复计算。" in [str(m) for m in response.context["messages"]]
    attempts = QuizAttempt.objects.filter(submitted_at__isnull=False)
    assert attempts.count() == 1 and attempts.get().score == 100
    assert LedgerEntry.objects.count() == 1
    assert Certificate.objects.count() == 1


def test_attempts_beyond_the_limit_are_refused(client, teacher, course, quiz):
    quiz.max_attempts = 1
    quiz.save()
    enrolment = _enrolled(client, teacher, course)
    quiz_lesson = lessons(course)[1]
    submit(client, quiz_token(client.get(quiz_lesson.url).content.decode()), wrong_answers(quiz))
    page = client.get(quiz_lesson.url).content.decode()
    assert 'name="token"' not in page  # no new form once the attempts are used
    # A form for a further attempt (e.g. issued while a grant was expected) cannot buy an extra attempt.
    spare = services.attempt_token(enrolment.pk, quiz.pk, quiz_lesson.pk, 2)
    response = submit(client, spare, correct_answers(quiz))
    assert "您已用完该测验的全部 1 次作答机会。" in [str(m) for m in response.context["messages"]]
    assert QuizAttempt.objects.filter(submitted_at__isnull=False).count() == 1


def test_quiz_lessons_cannot_be_finished_without_passing(client, teacher, course):
    _enrolled(client, teacher, course)
    quiz_lesson = lessons(course)[1]
    response = client.post(reverse("courses:finish_lesson", args=[quiz_lesson.pk]), follow=True)
    assert "通过本课测验即可完成本课。" in [str(m) for m in response.context["messages"]]
    assert Enrolment.objects.get().progress_percent == 0


def _complete_all_lessons(enrolment, quiz):
    reading, quiz_lesson = lessons(enrolment.course)
    services.finish_lesson(enrolment, reading)
    state = services.quiz_state(enrolment, quiz, quiz_lesson)
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, values in correct_answers(quiz).items():
        data.setlist(key, values)
    return state.token, data


def test_completing_twice_credits_once(teacher, course, quiz):
    enrolment, _ = services.enrol(teacher.user, course)
    sent = []
    course_completed.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="test-count")
    try:
        token, data = _complete_all_lessons(enrolment, quiz)
        assert services.submit_quiz(teacher.user, token, data).completed_course is True
        assert services.evaluate_completion(enrolment.pk) is False
        assert services.submit_quiz(teacher.user, token, data).replay is True
        services.record_progress(enrolment, lessons(course)[0], "open")
    finally:
        course_completed.disconnect(dispatch_uid="test-count")
    assert len(sent) == 1
    assert LedgerEntry.objects.count() == 1
    assert Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_completion_requests_credit_once(org, training_year, catalogue, quiz):
    teacher = TeacherProfileFactory(school=org["school_a1"])
    course = CoursePageFactory(parent=catalogue, training_year=training_year)
    from tests.factories import LessonPageFactory

    lesson = LessonPageFactory(parent=course)
    enrolment, _ = services.enrol(teacher.user, course)
    services.record_progress(enrolment, lesson, "open")
    # The lesson is finished directly in the table, so both requests find the course complete.
    from django.utils import timezone

    from courses.models import LessonProgress

    LessonProgress.objects.filter(enrolment=enrolment).update(completed_at=timezone.now())

    barrier = threading.Barrier(2)
    results, errors = [], []

    def request():
        try:
            barrier.wait()
            for _ in range(50):  # a client retrying a request that hit a locked SQLite database
                try:
                    results.append(services.evaluate_completion(enrolment.pk))
                    return
                except OperationalError:
                    time.sleep(0.05)
            errors.append("gave up")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [False, True]
    assert LedgerEntry.objects.filter(teacher=teacher).count() == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_a_lesson_whose_quiz_was_deleted_can_still_be_finished(teacher, course, quiz):
    enrolment, _ = services.enrol(teacher.user, course)
    quiz_lesson = lessons(course)[1]
    with pytest.raises(services.Refused):
        services.finish_lesson(enrolment, quiz_lesson)
    quiz.delete()
    services.finish_lesson(enrolment, quiz_lesson)
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 50
