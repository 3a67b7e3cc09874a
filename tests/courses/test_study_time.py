"""Hours reflect study: time measured on the server from progress events, video watched share,
hours credited only when every lesson's time and the quiz are met; a lesson GET writes nothing."""

import datetime
import io
import struct
from decimal import Decimal
from pathlib import Path

import pytest

from django.conf import settings
from django.core.files import File
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model

from courses import services
from courses.media import mp4_duration
from courses.models import Certificate, Enrolment, LessonProgress, StudyClock
from tests.factories import CoursePageFactory, LessonPageFactory
from tracking.models import LedgerEntry

from .conftest import correct_answers, lessons
from .helpers import quiz_token, submit

pytestmark = pytest.mark.django_db
DEMO_VIDEO = Path(settings.BASE_DIR) / "courses/demo_media/calm-breathing.mp4"


def _enrol(client, teacher, course) -> Enrolment:
    client.force_login(teacher.user)
    client.post(reverse("courses:enrol", args=[course.pk]))
    return Enrolment.objects.get(user=teacher.user, course=course)


def _event(client, lesson, event="beat", **extra):
    response = client.post(reverse("courses:lesson_progress", args=[lesson.pk]), {"event": event, **extra})
    assert response.status_code == 200, response.content
    return response.json()


def _wait(user, seconds: int):
    """Time passes: the learner's last event moves `seconds` into the past."""
    StudyClock.objects.filter(user=user, last_event_at__isnull=False).update(
        last_event_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def _seconds(enrolment, lesson) -> int:
    return LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).seconds_spent


def test_a_lesson_page_get_writes_nothing(client, teacher, course):
    _enrol(client, teacher, course)
    client.get("/")  # the site's settings row is created on the very first request of a new site
    for url in [lesson.url for lesson in lessons(course)] + [course.url]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
        assert writes == [], url
    assert not LessonProgress.objects.exists()


def test_time_is_credited_from_events_and_never_more_than_real_time(client, teacher, course):
    enrolment = _enrol(client, teacher, course)
    reading = lessons(course)[0]
    assert _event(client, reading, "open")["seconds"] == 0
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson == reading  # resuming is remembered by the event
    _wait(teacher.user, 30)
    assert 30 <= _event(client, reading)["seconds"] <= 31
    for _ in range(5):  # forged rapid heartbeats add only the real time between them
        _event(client, reading)
    assert 30 <= _seconds(enrolment, reading) <= 32
    _wait(teacher.user, 600)  # a closed laptop lid: the gap counts for one interval at most
    assert _seconds(enrolment, reading) + 60 >= _event(client, reading)["seconds"] >= 90
    total = _seconds(enrolment, reading)
    _event(client, reading, "pause")
    _wait(teacher.user, 300)
    _event(client, reading)  # after a pause (tab hidden) the next event starts the clock again
    assert _seconds(enrolment, reading) == total


def test_two_tabs_do_not_double_the_time(client, teacher, course):
    enrolment = _enrol(client, teacher, course)
    first, second = lessons(course)
    _event(client, first, "open")
    _event(client, second, "open")
    _wait(teacher.user, 20)
    _event(client, first)
    _event(client, second)
    assert _seconds(enrolment, first) + _seconds(enrolment, second) <= 21


def test_progress_events_need_an_enrolment_and_a_known_event(client, teacher, course):
    reading = lessons(course)[0]
    url = reverse("courses:lesson_progress", args=[reading.pk])
    assert client.post(url, {"event": "beat"}).status_code == 302  # anonymous → log in
    client.force_login(teacher.user)
    assert client.post(url, {"event": "beat"}).status_code == 404  # not enrolled
    _enrol(client, teacher, course)
    assert client.get(url).status_code == 405
    response = client.post(url, {"event": "credit-me-an-hour"})
    assert response.status_code == 400 and response.json()["error"] == "无法识别的学习进度记录。"
    assert client.post(reverse("courses:lesson_progress", args=[999999]), {"event": "beat"}).status_code == 404


def test_minimum_study_time_is_derived_from_the_hours_and_editable(catalogue, training_year):
    course = CoursePageFactory(
        parent=catalogue, credit_hours=Decimal("40"), minimum_minutes=None, training_year=training_year
    )
    four = [LessonPageFactory(parent=course, estimated_minutes=15) for _ in range(4)]
    assert course.study_minutes == 40 * 45
    assert [services.lesson_requirement(lesson).seconds for lesson in four] == [450 * 60] * 4
    own = LessonPageFactory(parent=course, estimated_minutes=15, minimum_minutes=10)
    optional = LessonPageFactory(parent=course, required=False)
    assert services.lesson_requirement(own).seconds == 600
    assert services.lesson_requirement(four[0]).seconds == (1800 - 10) * 60 // 4
    assert services.lesson_requirement(optional).seconds == 0
    course.minimum_minutes = 0  # the editor turns the requirement off
    course.save()
    assert services.lesson_requirement(four[0]).seconds == 0
    assert services.lesson_requirement(own).seconds == 600


def test_hours_are_credited_only_when_time_and_quiz_are_met_and_exactly_once(client, teacher, course, quiz):
    course.minimum_minutes = 4  # two minutes per lesson
    course.save()
    enrolment = _enrol(client, teacher, course)
    reading, quiz_lesson = lessons(course)

    _event(client, reading, "open")
    _wait(teacher.user, 50)
    response = client.post(reverse("courses:finish_lesson", args=[reading.pk]), follow=True)
    assert "本课时要求学习 2 分钟，您已学习 0 分钟。请继续学习约 2 分钟。" in [
        str(m) for m in response.context["messages"]
    ]
    assert not LessonProgress.objects.get(lesson=reading).completed_at
    for _ in range(2):
        _wait(teacher.user, 60)
        _event(client, reading)
    client.post(reverse("courses:finish_lesson", args=[reading.pk]))
    assert LessonProgress.objects.get(lesson=reading).completed_at

    _event(client, quiz_lesson, "open")
    response = submit(client, quiz_token(client.get(quiz_lesson.url).content.decode()), correct_answers(quiz))
    assert "学习时长达到要求后本课将自动完成，请继续学习。" in [str(m) for m in response.context["messages"]]
    assert not LedgerEntry.objects.exists()
    _wait(teacher.user, 60)
    assert _event(client, quiz_lesson)["course_completed"] is False
    _wait(teacher.user, 60)
    last = _event(client, quiz_lesson)  # the heartbeat that meets the last requirement completes the course
    assert last["lesson_done"] is True and last["course_completed"] is True
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert LedgerEntry.objects.get().hours == Decimal("2.0")
    _wait(teacher.user, 60)
    assert _event(client, quiz_lesson)["course_completed"] is False
    assert LedgerEntry.objects.count() == 1 and Certificate.objects.count() == 1


def test_the_learner_sees_their_time_so_far(client, teacher, catalogue, training_year):
    course = CoursePageFactory(parent=catalogue, minimum_minutes=None, training_year=training_year)
    first = LessonPageFactory(parent=course, estimated_minutes=20)
    LessonPageFactory(parent=course, estimated_minutes=20)
    _enrol(client, teacher, course)
    _event(client, first, "open")
    for _ in range(3):
        _wait(teacher.user, 60)
        _event(client, first)
    page = client.get(first.url).content.decode()
    assert "本课已学习 <strong data-study-minutes>3</strong> 分钟，要求 45 分钟" in page
    assert "还需学习约 42 分钟。" in page
    overview = client.get(course.url).content.decode()
    assert "已学习 3 分钟，要求 90 分钟" in overview
    assert "已学 3 / 45 分钟" in overview


def _video_lesson(course):
    with DEMO_VIDEO.open("rb") as f:
        document = get_document_model().objects.create(title="深呼吸练习", file=File(f, name="calm.mp4"))
    return LessonPageFactory(
        parent=course,
        minimum_minutes=0,
        body=[("video", {"title": "深呼吸练习", "video": document, "transcript": ""})],
    )


def test_video_lessons_count_the_watched_share_not_more_than_real_time(client, teacher, catalogue, training_year):
    course = CoursePageFactory(parent=catalogue, training_year=training_year)
    lesson = _video_lesson(course)
    assert services.lesson_requirement(lesson).video_total == 8  # read from the file, not from the browser
    enrolment = _enrol(client, teacher, course)
    _event(client, lesson, "open", video_watched="0")
    _wait(teacher.user, 3)
    data = _event(client, lesson, video_watched="8")  # claims the whole video after 3 seconds
    assert data["video_seconds"] <= 6 and not data["lesson_done"]
    response = client.post(reverse("courses:finish_lesson", args=[lesson.pk]), follow=True)
    assert "请观看本课视频（至少观看 90%）后再完成本课。" in [str(m) for m in response.context["messages"]]
    _wait(teacher.user, 3)
    assert _event(client, lesson, video_watched="8")["video_seconds"] == 8
    client.post(reverse("courses:finish_lesson", args=[lesson.pk]))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def test_mp4_duration_is_read_wherever_the_movie_header_sits():
    mvhd_v1 = _box(b"mvhd", bytes([1, 0, 0, 0]) + b"\0" * 16 + struct.pack(">IQ", 600, 600 * 95) + b"\0" * 8)
    moov_last = _box(b"ftyp", b"isom\0\0\0\0") + _box(b"mdat", b"\0" * 5000) + _box(b"moov", mvhd_v1)
    assert mp4_duration(io.BytesIO(moov_last)) == 95
    assert mp4_duration(io.BytesIO(b"not a video at all")) is None
    with DEMO_VIDEO.open("rb") as f:
        assert mp4_duration(f) == 8


def test_a_heartbeat_reads_only_the_learners_rows(client, teacher, course, django_assert_max_num_queries):
    """The deadline week's most frequent request: the lesson and its requirement come from the cache."""
    enrolment = _enrol(client, teacher, course)
    reading = lessons(course)[0]
    _event(client, reading, "open")
    _wait(teacher.user, 20)
    # session, user, enrolment (locked), study clock read and moved, lesson progress read and credited
    with django_assert_max_num_queries(9):
        answer = _event(client, reading)
    assert answer["seconds"] >= 20 and _seconds(enrolment, reading) == answer["seconds"]


def test_a_heartbeat_for_an_unpublished_lesson_is_not_found_even_when_cached(client, teacher, course):
    _enrol(client, teacher, course)
    reading = lessons(course)[0]
    _event(client, reading, "open")  # the lesson's facts are cached now
    reading.unpublish()
    url = reverse("courses:lesson_progress", args=[reading.pk])
    assert client.post(url, {"event": "beat"}).status_code == 404
