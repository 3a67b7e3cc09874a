"""Issue 17, the lesson page: a bounded number of queries that does not grow with the data, no
write on a GET, and caches that follow publishing, role changes and new notices (decision 0025)."""

import datetime
import re

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import CoordinatorRole
from cms.core.templatetags import chrome as chrome_tags
from courses.models import Enrolment, LessonPage, LessonProgress, StudyClock
from tests.auth import login_with_mfa
from tests.factories import (
    CoordinatorRoleFactory,
    CoursePageFactory,
    EnrolmentFactory,
    LessonPageFactory,
    QuizFactory,
    TeacherProfileFactory,
)
from tests.h5p.conftest import h5p_lesson, upload
from tracking.models import LedgerEntry
from tracking.notices.models import Notification
from tracking.notices.services import notify

from .conftest import correct_answers, lessons
from .helpers import quiz_token, submit

pytestmark = pytest.mark.django_db
WRITES = {"INSERT", "UPDATE", "DELETE"}
MAX_WARM_QUERIES = 8


def _enrol(client, teacher, course) -> Enrolment:
    client.force_login(teacher.user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    return Enrolment.objects.get(user=teacher.user, course=course)


def _warm(client, url) -> list[str]:
    """The SQL of a warm GET (the first two fill the caches)."""
    for _ in range(2):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _grow(course, catalogue, n: int) -> None:
    """More of everything around the lesson: lessons, courses, learners, their progress."""
    for i in range(n):
        LessonPageFactory(parent=course, slug=f"more-{i}")
        other = CoursePageFactory(parent=catalogue)
        LessonPageFactory(parent=other)
        teacher = TeacherProfileFactory()
        EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
        notify([teacher.user.pk], kind="nudge", period=f"p{i}", title="催办", message="请按时学习")


@pytest.fixture
def h5p_course(catalogue, training_year):
    course = CoursePageFactory(parent=catalogue, title="互动练习课程", training_year=training_year)
    h5p_lesson(course, upload("hello-world-truefalse.h5p"), pass_percent=60)
    return course


@pytest.mark.parametrize("which", ["reading", "quiz", "h5p"])
def test_a_warm_lesson_view_makes_a_constant_number_of_queries_and_writes_nothing(
    client, teacher, course, h5p_course, catalogue, which
):
    target = {"reading": course, "quiz": course, "h5p": h5p_course}[which]
    lesson = {"reading": 0, "quiz": 1, "h5p": 0}[which]
    _enrol(client, teacher, target)
    notify([teacher.user.pk], kind="nudge", period="w1", title="催办", message="请按时学习")
    url = lessons(target)[lesson].url
    client.get("/")  # the site settings row is created on the very first request of a new site
    small = _warm(client, url)
    _grow(target, catalogue, 6)
    large = _warm(client, url)
    assert len(small) == len(large), (small, large)
    assert len(large) <= MAX_WARM_QUERIES, large
    assert [sql for sql in small + large if sql.lstrip().split()[0].upper() in WRITES] == []


def test_an_anonymous_lesson_view_is_cheap_too(client, course):
    queries = _warm(client, lessons(course)[0].url)
    assert len(queries) <= 2, queries  # the session (none) and nothing of the page tree


def test_publishing_a_new_revision_shows_the_new_body(client, teacher, course):
    _enrol(client, teacher, course)
    reading = LessonPage.objects.get(pk=lessons(course)[0].pk)
    assert "教师的角色" in client.get(reading.url).content.decode()
    reading.body = [("paragraph", "<p>新版本：倾听学生的感受。</p>")]
    reading.title = "阅读：新版本"
    reading.save_revision().publish()
    html = client.get(reading.url).content.decode()
    assert "新版本：倾听学生的感受。" in html and "学生常见心理困扰与教师的角色" not in html
    # the neighbouring lesson's link follows the new title as well
    assert "阅读：新版本" in client.get(lessons(course)[1].url).content.decode()


def test_an_unpublished_lesson_is_gone_at_once(client, teacher, course):
    _enrol(client, teacher, course)
    reading = LessonPage.objects.get(pk=lessons(course)[0].pk)
    assert client.get(reading.url).status_code == 200
    reading.unpublish()
    assert client.get(reading.url).status_code == 404


def test_a_changed_quiz_is_shown_at_once(client, teacher, course, quiz):
    _enrol(client, teacher, course)
    url = lessons(course)[1].url
    assert quiz.title in client.get(url).content.decode()
    quiz.title = "改过名字的测验"
    quiz.save()
    assert "改过名字的测验" in client.get(url).content.decode()


def test_a_role_taken_away_changes_the_menu(client, course, school_coordinator):
    login_with_mfa(client, school_coordinator)
    url = lessons(course)[0].url
    assert reverse("ledger:manage") in client.get(url).content.decode()
    CoordinatorRole.objects.filter(user=school_coordinator).delete()
    assert reverse("ledger:manage") not in client.get(url).content.decode()


def test_a_role_given_asks_for_the_second_factor_on_the_next_page(client, teacher, course, org):
    """The cached 'needs no second factor' answer is dropped with the role change."""
    _enrol(client, teacher, course)
    url = lessons(course)[0].url
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # answered from the cache
    CoordinatorRoleFactory(user=teacher.user, level="school", school=org["school_a1"])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_a_new_notice_and_reading_it_change_the_unread_count(client, teacher, course):
    _enrol(client, teacher, course)
    url = lessons(course)[0].url
    html = client.get(url).content.decode()
    assert "我的通知（" not in html
    notify([teacher.user.pk], kind="nudge", period="w1", title="催办", message="请按时学习")
    assert "我的通知（1）" in client.get(url).content.decode()
    Notification.objects.create(user=teacher.user, kind="nudge", period="w2", title="催办", message="再次提醒")
    assert "我的通知（2）" in client.get(url).content.decode()
    client.post(reverse("notices:mark_read"))  # 全部标为已读
    assert "我的通知（" not in client.get(url).content.decode()


def test_completion_happens_once_and_at_the_progress_event_that_meets_the_last_requirement(
    client, teacher, course, quiz
):
    course.minimum_minutes = 2  # one minute per lesson
    course.save()
    enrolment = _enrol(client, teacher, course)
    reading, quiz_lesson = lessons(course)

    def event(lesson, name="beat"):
        response = client.post(reverse("courses:lesson_progress", args=[lesson.pk]), {"event": name})
        assert response.status_code == 200
        return response.json()

    def wait(seconds):
        StudyClock.objects.filter(user=teacher.user).update(
            last_event_at=timezone.now() - datetime.timedelta(seconds=seconds)
        )

    event(reading, "open")
    wait(60)
    event(reading)
    client.post(reverse("courses:finish_lesson", args=[reading.pk]))
    event(quiz_lesson, "open")
    submit(client, quiz_token(client.get(quiz_lesson.url).content.decode()), correct_answers(quiz))
    assert not LedgerEntry.objects.exists()
    assert "50%" in client.get(quiz_lesson.url).content.decode()  # the progress shown on the lesson page
    wait(60)
    last = event(quiz_lesson)
    assert last["course_completed"] is True  # immediately, in the answer to the event itself
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and LedgerEntry.objects.count() == 1
    html = client.get(quiz_lesson.url).content.decode()
    assert "100%" in html
    for _ in range(3):
        wait(60)
        assert event(quiz_lesson)["course_completed"] is False
    assert LedgerEntry.objects.count() == 1


def test_the_resume_position_still_follows_the_open_event(client, teacher, course):
    enrolment = _enrol(client, teacher, course)
    reading, quiz_lesson = lessons(course)
    client.get(quiz_lesson.url)  # a GET alone writes nothing, so it does not move the resume position
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id is None
    client.post(reverse("courses:lesson_progress", args=[quiz_lesson.pk]), {"event": "open"})
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == quiz_lesson.pk


def test_a_quiz_lesson_of_a_new_quiz_renders_from_the_cached_snippets(client, teacher, catalogue, training_year):
    """Quiz blocks are drawn per learner from the cached quiz (with its questions)."""
    quiz = QuizFactory(title="新测验")
    course = CoursePageFactory(parent=catalogue, training_year=training_year)
    LessonPageFactory(parent=course, slug="q", body=[("quiz", {"quiz": quiz, "introduction": "及格即完成"})])
    _enrol(client, teacher, course)
    url = lessons(course)[0].url
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    for html in (first, second):
        assert "新测验" in html and "及格即完成" in html and 'name="token"' in html
        assert all(q.text in html for q in quiz.questions.all())


def _main_column(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _csrf_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class _SpyCache:
    def __init__(self, real):
        self.real, self.written = real, []

    def __getattr__(self, name):
        return getattr(self.real, name)

    def set(self, key, *args, **kwargs):
        self.written.append(key)
        return self.real.set(key, *args, **kwargs)


def test_learners_in_the_same_state_share_the_main_column_with_their_own_csrf_token(course, catalogue, monkeypatch):
    """The lesson's main column is rendered once per learner state (decision 0044): a second learner
    in the same state gets the same HTML, with a CSRF token that works for them and only them."""
    course.minimum_minutes = 0
    course.save()
    reading = lessons(course)[0]
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        teacher = TeacherProfileFactory()
        EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
        client.force_login(teacher.user)
        client.get("/")  # the CSRF cookie, as a browser would have it
    spy = _SpyCache(chrome_tags.cache)
    monkeypatch.setattr(chrome_tags, "cache", spy)
    html_first = first.get(reading.url).content.decode()
    html_second = second.get(reading.url).content.decode()
    token_first, token_second = _csrf_of(html_first), _csrf_of(html_second)
    assert token_first != token_second
    assert _main_column(html_first).replace(token_first, "T") == _main_column(html_second).replace(token_second, "T")
    assert len([key for key in spy.written if key.startswith("lesson:page:")]) == 1  # rendered once for both…
    finish = reverse("courses:finish_lesson", args=[reading.pk])
    assert second.post(finish, {"csrfmiddlewaretoken": token_first}).status_code == 403  # …never another's token
    response = second.post(finish, {"csrfmiddlewaretoken": token_second})
    assert response.status_code == 302
    assert LessonProgress.objects.filter(lesson_id=reading.pk, completed_at__isnull=False).count() == 1
    done = second.get(reading.url).content.decode()  # a new state: its own column, at once
    assert "本课已完成" in done and "标记本课已学完" not in done
    assert "标记本课已学完" in first.get(reading.url).content.decode()  # the first learner's state is theirs


def test_study_minutes_on_the_lesson_page_follow_the_progress_events(client, teacher, course):
    course.minimum_minutes = 10
    course.save()
    _enrol(client, teacher, course)
    reading = lessons(course)[0]
    assert re.search(r"data-study-minutes>0<", client.get(reading.url).content.decode())
    client.post(reverse("courses:lesson_progress", args=[reading.pk]), {"event": "open"})
    StudyClock.objects.filter(user=teacher.user).update(last_event_at=timezone.now() - datetime.timedelta(seconds=60))
    client.post(reverse("courses:lesson_progress", args=[reading.pk]), {"event": "beat"})
    assert re.search(r"data-study-minutes>1<", client.get(reading.url).content.decode())
