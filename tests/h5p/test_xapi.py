"""The xAPI statement endpoint: validated, idempotent by id (204 / 409), scope-checked, CSRF
protected; a passing score finishes the lesson and, on the last lesson, credits the hours once."""

import json
import re
import threading
import uuid

import pytest

from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from courses.h5p import storage, xapi
from courses.models import H5PResult, H5PStatement, H5PUserData, LessonProgress
from tests.factories import EnrolmentFactory, TeacherProfileFactory
from tracking.models import LedgerEntry

ADL = "http://adlnet.gov/expapi/verbs/"


def player(client, lesson, content):
    response = client.get(reverse("courses:h5p_play", args=[content.pk]) + f"?lesson={lesson.pk}")
    assert response.status_code == 200
    config = json.loads(
        re.search(r'id="h5p-config" type="application/json">(.*?)</script>', response.content.decode()).group(1)
    )
    return response, config


def statement(user, config, verb="answered", raw=1, top=1, sub=False, sid=None):
    target = config["xAPIObjectIRI"] + ("?subContentId=abc" if sub else "")
    data = {
        "id": str(sid or uuid.uuid4()),
        "actor": {"name": "x", "mbox": xapi.actor_mbox(user), "objectType": "Agent"},
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {"id": target, "objectType": "Activity"},
    }
    if raw is not None:
        data["result"] = {"score": {"raw": raw, "max": top, "min": 0, "scaled": 1}, "completion": True}
    return data


def post(client, config, data):
    return client.post(config["statementUrl"], json.dumps(data), content_type="application/json")


@pytest.fixture
def learner(client, enrolment):
    client.force_login(enrolment.user)
    lesson = enrolment.course.lessons().first()
    content = lesson.specific.h5p_blocks()
    from courses.models import H5PContent

    return client, enrolment, lesson, H5PContent.objects.get(pk=next(iter(content)))


def test_the_player_page_has_its_own_strict_policy(learner):
    client, enrolment, lesson, content = learner
    response, config = player(client, lesson, content)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy  # TrueFalse needs no eval
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert config["tracking"] and "@xinyu.invalid" in config["user"]["mail"]
    assert enrolment.user.username not in response.content.decode()


def test_files_are_served_with_allowlisted_types_and_nosniff(learner):
    client, _enrolment, lesson, content = learner
    _response, config = player(client, lesson, content)
    h5p_json = client.get(config["h5pJsonPath"] + "/h5p.json")
    assert h5p_json["Content-Type"] == "application/json" and h5p_json["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in h5p_json["Content-Security-Policy"]
    library = content.main_library
    script = client.get(f"{config['librariesPath']}/{library.folder}/library.json")
    assert script.status_code == 200
    assert client.get(config["h5pJsonPath"] + "/../../../etc/passwd").status_code == 404
    other = Client()
    other.force_login(TeacherProfileFactory().user)
    assert other.get(config["h5pJsonPath"] + "/h5p.json").status_code == 404  # a grant is for one learner
    assert Client().get(f"{config['librariesPath']}/{library.folder}/library.json").status_code == 302


def test_a_passing_answer_finishes_the_lesson_and_credits_the_hours_once(learner):
    client, enrolment, lesson, content = learner
    _response, config = player(client, lesson, content)
    failing = post(client, config, statement(enrolment.user, config, raw=0))
    assert failing.status_code == 204 and failing["X-H5P-Passed"] == "0"
    assert not LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).exists()
    passing = statement(enrolment.user, config, raw=1)
    response = post(client, config, passing)
    assert response.status_code == 204
    assert response["X-H5P-Passed"] == "1" and response["X-Lesson-Done"] == "1"
    assert response["X-Course-Completed"] == "1"
    assert LedgerEntry.objects.filter(teacher=enrolment.teacher).count() == 1
    # The same statement again: no change, 204. Same id, other content: 409.
    assert post(client, config, passing).status_code == 204
    changed = dict(passing, result={"score": {"raw": 0, "max": 1}})
    assert post(client, config, changed).status_code == 409
    assert H5PStatement.objects.count() == 2
    # Another pass later credits nothing more.
    assert post(client, config, statement(enrolment.user, config)).status_code == 204
    assert LedgerEntry.objects.filter(teacher=enrolment.teacher).count() == 1
    result = H5PResult.objects.get(enrolment=enrolment)
    assert result.best_scaled == 1 and result.passed_at is not None


def test_sub_content_and_non_scoring_verbs_do_not_pass(learner):
    client, enrolment, lesson, content = learner
    _response, config = player(client, lesson, content)
    assert post(client, config, statement(enrolment.user, config, sub=True)).status_code == 204
    assert post(client, config, statement(enrolment.user, config, verb="interacted", raw=None)).status_code == 204
    assert not H5PResult.objects.filter(passed_at__isnull=False).exists()


@pytest.mark.parametrize(
    "forge",
    [
        lambda s, u: s.update(actor={"mbox": "mailto:someone@else.cn"}),
        lambda s, u: s.update(verb={"id": "http://evil.example/verbs/hacked"}),
        lambda s, u: s.update(verb={"id": ADL + "deleted"}),
        lambda s, u: s.update(object={"id": "http://evil.example/activity"}),
        lambda s, u: s.update(id="not-a-uuid"),
        lambda s, u: s.pop("id"),
        lambda s, u: s.update(result={"score": {"raw": 5, "max": 1}}),
        lambda s, u: s.update(result={"score": {"raw": -1, "max": 1}}),
    ],
    ids=["actor", "verb-iri", "verb", "object", "bad-id", "no-id", "score-over-max", "negative-score"],
)
def test_forged_statements_are_refused(learner, forge):
    client, enrolment, lesson, content = learner
    _response, config = player(client, lesson, content)
    data = statement(enrolment.user, config)
    forge(data, enrolment.user)
    response = post(client, config, data)
    assert response.status_code == 400 and response.json()["error"]
    assert not H5PStatement.objects.exists()


def test_not_json_and_not_an_object_are_refused(learner):
    client, _enrolment, lesson, content = learner
    _response, config = player(client, lesson, content)
    assert client.post(config["statementUrl"], "{", content_type="application/json").status_code == 400
    assert client.post(config["statementUrl"], "[]", content_type="application/json").status_code == 400


def test_the_endpoint_needs_csrf_and_the_grant_of_the_signed_in_learner(learner):
    client, enrolment, lesson, content = learner
    _response, config = player(client, lesson, content)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(enrolment.user)
    assert post(strict, config, statement(enrolment.user, config)).status_code == 403
    intruder = Client()
    intruder.force_login(TeacherProfileFactory().user)
    assert post(intruder, config, statement(enrolment.user, config)).status_code == 404
    forged = config["statementUrl"].replace("/g/", "/g/x")
    assert client.post(forged, "{}", content_type="application/json").status_code == 404


def test_only_enrolled_learners_and_editors_open_the_player(client, learner, h5p_course):
    _client, enrolment, lesson, content = learner
    stranger = Client()
    stranger.force_login(TeacherProfileFactory().user)
    url = reverse("courses:h5p_play", args=[content.pk])
    assert stranger.get(url + f"?lesson={lesson.pk}").status_code == 404
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_saved_state_is_restored_on_another_device(learner):
    client, enrolment, lesson, content = learner
    _response, config = player(client, lesson, content)
    state_url = config["stateUrl"] + "?type=state&sub=0"
    assert client.post(state_url, {"data": '{"answer": true}', "preload": 1}).json()["success"]
    assert client.post(state_url, {"data": "{broken"}).status_code == 400
    other_device = Client()
    other_device.force_login(enrolment.user)
    _response, config2 = player(other_device, lesson, content)
    assert config2["previousState"] == '{"answer": true}'
    assert other_device.get(config2["stateUrl"] + "?type=state&sub=0").json()["data"] == '{"answer": true}'
    client.post(state_url, {"data": "0"})
    assert not H5PUserData.objects.exists()


def test_a_replaced_package_keeps_the_learners_results(learner):
    from .conftest import upload

    client, enrolment, lesson, content = learner
    _response, config = player(client, lesson, content)
    post(client, config, statement(enrolment.user, config))
    upload("H5P.TrueFalse.h5p", content=content)
    assert H5PResult.objects.get(enrolment=enrolment, content=content).passed_at is not None


def test_a_lesson_with_an_exercise_is_not_finished_by_a_click(learner):
    client, enrolment, lesson, content = learner
    response = client.post(reverse("courses:finish_lesson", args=[lesson.pk]), follow=True)
    assert "互动练习" in response.content.decode() or "interactive exercise" in response.content.decode()
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_many_posts_at_once_credit_the_hours_once(h5p_course, teacher):
    enrolment = EnrolmentFactory(user=teacher.user, course=h5p_course, teacher=teacher)
    lesson = h5p_course.lessons().first()
    content_id = next(iter(lesson.specific.h5p_blocks()))
    from courses.models import H5PContent

    client = Client()
    client.force_login(teacher.user)
    _response, config = player(client, lesson, H5PContent.objects.get(pk=content_id))
    codes = []

    def send(c):
        try:
            codes.append(post(c, config, statement(teacher.user, config)).status_code)
        except OperationalError:  # SQLite's single writer turned the request away ("table is locked")
            codes.append(503)
        finally:
            connection.close()

    clients = []
    for _ in range(8):  # the learner's tabs: one session (the grant is bound to it)
        clients.append(Client())
        clients[-1].cookies = client.cookies
    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if connection.vendor == "postgresql":  # SQLite's single writer may turn some away; PostgreSQL takes all
        assert codes == [204] * 8
    assert LedgerEntry.objects.filter(teacher=enrolment.teacher).count() == 1


def test_chinese_readers_get_the_libraries_chinese_ui_strings(client, catalogue, training_year, teacher):
    from django.utils import translation

    from tests.factories import CoursePageFactory

    from .conftest import h5p_lesson, upload

    content = upload("H5P.MultiChoice.h5p")
    course = CoursePageFactory(parent=catalogue, training_year=training_year)
    lesson = h5p_lesson(course, content)
    EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
    client.force_login(teacher.user)
    with translation.override("zh-hans"):
        _response, config = player(client, lesson, content)
    zh = client.get(config["contentJsonPath"] + "/content.json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    en = json.loads((storage.content_dir(content.pk) / "content" / "content.json").read_text())
    assert en["UI"]["checkAnswerButton"] == "Check"
    assert zh["UI"]["checkAnswerButton"] != "Check" and any(
        "\u4e00" <= c <= "\u9fff" for c in zh["UI"]["checkAnswerButton"]
    )
    assert zh["question"] == en["question"]  # the author's own text stays as written
    # MultiChoice 1.14 compiles EmbeddedJS templates: its player, and only it, allows eval of our own scripts.
    assert "script-src 'self' 'unsafe-eval'" in _response["Content-Security-Policy"]
