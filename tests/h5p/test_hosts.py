"""H5P outside a lesson and the statement endpoint's lean path.

- Resource pages (资源库) play their H5P exercises for whoever may use the resource's files
  (teachers, coordinators, editors), on a published, unrestricted page; statements are kept
  (no lesson), nothing is credited (no result, no progress, no hours); no saved state.
- Parent courses run on the course engine: their lessons' H5P blocks finish the lesson and
  complete the course like a teacher's.
- Batches (xAPI arrays) are stored whole or refused whole; the grant is bound to the session
  that opened the player; a confirmed session costs no query per statement.
"""

import json

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Enrolment, H5PResult, H5PStatement, H5PUserData, LessonProgress
from tests.courses.conftest import home_page
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    ParentProfileFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    TeacherProfileFactory,
)
from tracking.models import LedgerEntry

from .conftest import h5p_lesson
from .test_xapi import player, post, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(truefalse):
    index = ResourceIndexPageFactory(parent=home_page())
    return ResourcePageFactory(
        parent=index,
        title="情绪识别互动练习",
        resource_type="interactive",
        interactive=[("h5p", {"title": "判断：这是求助信号吗？", "content": truefalse})],
    )


def play_resource(client, resource, content):
    response = client.get(reverse("courses:h5p_play", args=[content.pk]) + f"?page={resource.pk}")
    if response.status_code != 200:
        return response, None
    config = json.loads(
        response.content.decode().split('id="h5p-config" type="application/json">')[1].split("</script>")[0]
    )
    return response, config


def test_the_resource_page_frames_the_exercise_for_teachers_only(client, resource, truefalse, teacher):
    frame = f'src="/h5p/{truefalse.pk}/play/?page={resource.pk}"'
    anonymous = client.get(resource.url).content.decode()
    assert frame not in anonymous and "登录" in anonymous
    parent = Client()
    parent.force_login(ParentProfileFactory().user)
    assert frame not in parent.get(resource.url).content.decode()
    client.force_login(teacher.user)
    page = client.get(resource.url).content.decode()
    assert frame in page and "h5p-lesson.js" in page


def test_who_may_open_the_player_on_a_resource(client, resource, truefalse, teacher):
    client.force_login(teacher.user)
    response, config = play_resource(client, resource, truefalse)
    assert response.status_code == 200 and config["tracking"] and config["statementUrl"]
    assert not config["saveState"] and config["passPercent"] == 0  # no saved state, nothing to pass
    state_url = config["stateUrl"] + "?type=state&sub=0"
    assert client.post(state_url, {"data": '{"answer": true}'}).json()["success"]
    assert client.get(state_url).json() == {"success": True, "data": False} and not H5PUserData.objects.exists()
    parent = Client()
    parent.force_login(ParentProfileFactory().user)
    assert play_resource(parent, resource, truefalse)[0].status_code == 404
    assert play_resource(Client(), resource, truefalse)[0].status_code == 302  # login first
    lesson = h5p_lesson(CoursePageFactory(parent=CourseIndexPageFactory(parent=home_page())), truefalse)
    url = reverse("courses:h5p_play", args=[truefalse.pk])
    assert client.get(url + f"?page={lesson.pk}").status_code == 404  # a lesson is played as a lesson
    assert client.get(url + "?page=999999").status_code == 404
    resource.unpublish()
    assert play_resource(client, resource, truefalse)[0].status_code == 404


def test_statements_on_a_resource_are_kept_and_credit_nothing(client, resource, truefalse, teacher):
    client.force_login(teacher.user)
    _response, config = play_resource(client, resource, truefalse)
    response = post(client, config, statement(teacher.user, config, raw=1))
    assert response.status_code == 204 and response["X-H5P-Passed"] == "0" and response["X-Lesson-Done"] == "0"
    stored = H5PStatement.objects.get()
    assert stored.user == teacher.user and stored.content == truefalse and stored.lesson is None
    assert not H5PResult.objects.exists() and not LessonProgress.objects.exists()
    assert not LedgerEntry.objects.exists() and not H5PUserData.objects.exists()
    # Another teacher's session cannot use the grant; an unpublished resource takes no more statements.
    intruder = Client()
    intruder.force_login(TeacherProfileFactory().user)
    assert post(intruder, config, statement(teacher.user, config)).status_code == 404
    resource.unpublish()
    from django.core.cache import cache

    cache.clear()  # the page check is cached for a minute
    assert post(client, config, statement(teacher.user, config)).status_code == 404


def test_a_parent_course_lesson_with_an_exercise_completes_through_the_answer(client, truefalse, training_year):
    index = CourseIndexPageFactory(parent=home_page(), slug="parents", title="家长学校", audience="parents")
    course = CoursePageFactory(
        parent=index,
        title="青春期的情绪变化",
        teacher_categories=[],
        parent_age_stages=["junior"],
        compulsory=True,
        credit_hours=1,
        training_year=training_year,
    )
    lesson = h5p_lesson(course, truefalse, title="情绪小测", slug="quiz")
    parent = ParentProfileFactory(age_stages=["junior"]).user
    client.force_login(parent)
    enrolment, _created = services.enrol(parent, course)
    assert enrolment.teacher is None
    page = client.get(lesson.url).content.decode()
    assert f'src="/h5p/{truefalse.pk}/play/?lesson={lesson.pk}"' in page
    _response, config = player(client, lesson, truefalse)
    assert config["tracking"] and config["stateUrl"]
    response = post(client, config, statement(parent, config, raw=1))
    assert response["X-H5P-Passed"] == "1" and response["X-Lesson-Done"] == "1"
    assert response["X-Course-Completed"] == "1"
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert not LedgerEntry.objects.exists()  # parents earn no training hours


@pytest.fixture
def learner(client, enrolment):
    client.force_login(enrolment.user)
    lesson = enrolment.course.lessons().first().specific
    from courses.models import H5PContent

    content = H5PContent.objects.get(pk=next(iter(lesson.h5p_blocks())))
    _response, config = player(client, lesson, content)
    return client, enrolment.user, config


def post_many(client, config, items):
    return client.post(config["statementUrl"], json.dumps(items), content_type="application/json")


def test_a_batch_is_stored_whole_and_may_pass(learner):
    client, user, config = learner
    batch = [statement(user, config, verb="interacted", raw=None, sub=True) for _ in range(4)]
    batch.append(statement(user, config, raw=1))
    response = post_many(client, config, batch)
    assert response.status_code == 204 and response["X-H5P-Passed"] == "1" and response["X-Lesson-Done"] == "1"
    assert H5PStatement.objects.count() == 5
    assert post_many(client, config, batch).status_code == 204  # the same batch again: nothing new
    assert H5PStatement.objects.count() == 5
    assert H5PResult.objects.get().statements == 1


def test_a_batch_with_two_scored_answers_counts_both_and_keeps_the_best(learner):
    """A learner offline for a while: the player resends a failed try and a passing one together."""
    client, user, config = learner
    batch = [statement(user, config, raw=0), statement(user, config, verb="interacted", raw=None, sub=True)]
    batch.append(statement(user, config, raw=1))
    response = post_many(client, config, batch)
    assert response.status_code == 204 and response["X-H5P-Passed"] == "1" and response["X-Lesson-Done"] == "1"
    result = H5PResult.objects.get()
    assert result.statements == 2 and result.best_scaled == 1.0 and result.passed_at is not None
    assert post_many(client, config, batch).status_code == 204  # resent: nothing counted twice
    assert H5PResult.objects.get().statements == 2
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == 1


@pytest.mark.parametrize("spoil", ["invalid", "duplicate", "clash", "too-many"])
def test_a_bad_batch_is_refused_whole(learner, spoil):
    client, user, config = learner
    kept = statement(user, config, raw=0)
    assert post(client, config, kept).status_code == 204
    batch = [statement(user, config, verb="interacted", raw=None, sub=True) for _ in range(3)]
    if spoil == "invalid":
        batch.append(dict(statement(user, config), actor={"mbox": "mailto:someone@else.cn"}))
    elif spoil == "duplicate":
        batch.append(dict(batch[0]))
    elif spoil == "clash":
        batch.append(dict(kept, result={"score": {"raw": 1, "max": 1}}))
    else:
        batch = [statement(user, config, verb="interacted", raw=None, sub=True) for _ in range(51)]
    response = post_many(client, config, batch)
    assert response.status_code == (409 if spoil == "clash" else 400)
    assert response.json()["error"]
    assert H5PStatement.objects.count() == 1  # nothing of the batch was kept
    assert not H5PResult.objects.filter(passed_at__isnull=False).exists()


def test_the_grant_is_bound_to_the_session_that_opened_the_player(learner):
    client, user, config = learner
    other_device = Client()
    other_device.force_login(user)  # the same learner, another session: its own player, its own grant
    assert post(other_device, config, statement(user, config)).status_code == 404
    assert post(client, config, statement(user, config, raw=0)).status_code == 204
    client.logout()  # signing out ends the grant at once, not after the cached minute
    assert post(client, config, statement(user, config, raw=0)).status_code == 404


def test_an_unscored_statement_is_one_query_once_the_session_is_confirmed(learner):
    client, user, config = learner
    assert post(client, config, statement(user, config, verb="interacted", raw=None, sub=True)).status_code == 204
    with CaptureQueriesContext(connection) as queries:
        response = post(client, config, statement(user, config, verb="interacted", raw=None, sub=True))
    assert response.status_code == 204
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
