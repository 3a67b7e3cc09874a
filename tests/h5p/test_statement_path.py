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


def _relaxed_calls(monkeypatch):
    """Record each `_insert_sql(..., relaxed)` the statement path asks for."""
    from courses.h5p import xapi

    calls = []
    real = xapi._insert_sql

    def spy(vendor, rows, relaxed=False):
        calls.append(relaxed)
        return real(vendor, rows, relaxed)

    monkeypatch.setattr(xapi, "_insert_sql", spy)
    return calls


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_a_statement_that_counts_toward_nothing_skips_the_wal_flush(learner, monkeypatch):
    """Decision 0043: an interaction or a sub-question's answer, posted alone, commits without
    waiting for the WAL flush; a scored top-level answer (it moves the learner's result, progress
    and hours) and a batch keep a durable commit."""
    client, enrolment, config = learner
    calls = _relaxed_calls(monkeypatch)
    assert post(client, config, statement(enrolment.user, config, verb="interacted")).status_code == 204
    assert post(client, config, statement(enrolment.user, config, sub=True)).status_code == 204
    assert calls == [True, True]
    calls.clear()
    scored = statement(enrolment.user, config)
    assert post(client, config, scored).status_code == 204
    batch = [statement(enrolment.user, config, verb="interacted"), statement(enrolment.user, config, sub=True)]
    assert post(client, config, batch).status_code in {200, 204}
    assert True not in calls
    assert H5PStatement.objects.filter(user=enrolment.user).count() == 5


def test_a_statement_posted_inside_a_transaction_keeps_its_durable_commit(learner, monkeypatch):
    """Inside a transaction the setting would reach whatever else that transaction commits: never relaxed."""
    client, enrolment, config = learner
    calls = _relaxed_calls(monkeypatch)
    assert post(client, config, statement(enrolment.user, config, verb="interacted")).status_code == 204
    assert calls == [False]


def test_the_relaxed_insert_turns_off_the_flush_wait_for_its_own_transaction_only(db):
    """On PostgreSQL the INSERT's RETURNING sets `synchronous_commit` for the transaction it runs in
    (it is read at commit); the connection's setting is untouched after."""
    from django.db import connection, transaction

    from courses.h5p import xapi

    if connection.vendor != "postgresql":
        assert ", set_config(" not in xapi._insert_sql(connection.vendor, 1, True)
        return
    sql = xapi._insert_sql("postgresql", 1, True)
    assert sql.endswith(", set_config('synchronous_commit', 'off', true)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]
        with transaction.atomic():
            cursor.execute("CREATE TEMP TABLE t (id int PRIMARY KEY) ON COMMIT DROP")
            tail = sql[sql.index(", set_config(") :]  # the module's own RETURNING addition, a constant
            cursor.execute("INSERT INTO t VALUES (1) RETURNING id" + tail)  # noqa: S608
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "off"
            transaction.set_rollback(True)
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == before == "on"
