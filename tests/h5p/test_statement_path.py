"""Statement POSTs run through a short middleware chain (courses/h5p/middleware.py, decision 0035):
what a learner and the site rely on still holds on that path — the session and CSRF, the size limit
with its Chinese page, the security headers — and a middleware added to the site later runs there
too unless it is skipped with a reason."""

import json

import pytest

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.test import Client

from courses.h5p.middleware import SKIPPED
from courses.models import H5PStatement

from .test_xapi import player, post, statement


class MarkResponses:
    """A middleware the site might add later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Added-Later"] = "ran"
        return response


@pytest.fixture
def learner(client, enrolment):
    from courses.models import H5PContent

    client.force_login(enrolment.user)
    lesson = enrolment.course.lessons().first()
    content = H5PContent.objects.get(pk=next(iter(lesson.specific.h5p_blocks())))
    _response, config = player(client, lesson, content)
    return client, enrolment, config


def test_a_statement_is_stored_without_the_url_resolver_and_keeps_the_site_headers(learner, monkeypatch):
    client, enrolment, config = learner

    def no_resolver(self, request):
        raise AssertionError(f"the URL resolver ran for {request.path}")

    monkeypatch.setattr(BaseHandler, "resolve_request", no_resolver)
    response = post(client, config, statement(enrolment.user, config))
    assert response.status_code == 204
    assert H5PStatement.objects.filter(user=enrolment.user).count() == 1
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_a_middleware_added_later_runs_on_the_statement_path_unless_skipped(enrolment, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.h5p.test_statement_path.MarkResponses"]
    client = Client()  # a new handler: it loads the changed MIDDLEWARE
    client.force_login(enrolment.user)
    from courses.models import H5PContent

    lesson = enrolment.course.lessons().first()
    content = H5PContent.objects.get(pk=next(iter(lesson.specific.h5p_blocks())))
    _response, config = player(client, lesson, content)
    response = post(client, config, statement(enrolment.user, config))
    assert response.status_code == 204 and response["X-Added-Later"] == "ran"
    # Every skipped middleware is one the site really has, each with its reason.
    assert set(SKIPPED) <= set(settings.MIDDLEWARE) and all(SKIPPED.values())


def test_csrf_the_session_and_logout_still_guard_the_short_path(learner):
    client, enrolment, config = learner
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(enrolment.user)
    assert post(strict, config, statement(enrolment.user, config)).status_code == 403
    anonymous = Client()
    assert post(anonymous, config, statement(enrolment.user, config)).status_code in {403, 404}
    client.logout()
    assert post(client, config, statement(enrolment.user, config)).status_code == 404
    assert not H5PStatement.objects.exists()


def test_an_oversized_body_gets_the_chinese_413_page_before_it_is_read(learner):
    client, enrolment, config = learner
    data = statement(enrolment.user, config)
    data["context"] = {"extensions": {"http://example.com/pad": "x" * (settings.REQUEST_MAX_BYTES + 10)}}
    response = client.post(
        config["statementUrl"], json.dumps(data), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 413
    assert "上传的内容过大" in response.content.decode()
    assert not H5PStatement.objects.exists()
