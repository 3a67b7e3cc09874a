"""Querysets compiled once (cms/core/prepared.py) and what uses them: the session store, the
sign-in backends and the lesson page's enrolment query. Each gives exactly what the ordinary
queryset gives, on both databases, and compiles its SQL once per process."""

from datetime import timedelta

import pytest

from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.backends import ModelBackend
from accounts.models import User
from cms.core.prepared import Prepared
from cms.core.sessions import SessionStore
from courses.services.pages import _enrolment_query, _enrolment_with_lesson_progress
from tests.factories import EnrolmentFactory, LessonPageFactory, TeacherProfileFactory

pytestmark = pytest.mark.django_db


def test_a_prepared_query_gives_what_its_queryset_gives_and_compiles_once(monkeypatch):
    teachers = [TeacherProfileFactory() for _ in range(3)]
    prepared = Prepared(lambda pk: User.objects.filter(pk=pk).select_related("teacher_profile")[:1], pk=-5_550_001)
    compiled = []
    real = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or real(self, *a, **k))
    for teacher in teachers:
        with CaptureQueriesContext(connection) as queries:
            user = prepared.first(pk=teacher.user.pk)
            assert user.teacher_profile.pk == teacher.pk  # the related row came with it: no query
        assert user == teacher.user and user.username == teacher.user.username
        assert len(queries) == 1
    assert prepared.first(pk=10**9) is None
    assert len(compiled) == 1  # the first use compiled it; the other four bound new values


def test_the_lesson_query_matches_the_ordinary_queryset_with_and_without_progress():
    enrolment = EnrolmentFactory()
    lesson = LessonPageFactory(parent=enrolment.course)
    for round_ in range(2):
        ordinary = list(_enrolment_with_lesson_progress(enrolment.user_id, enrolment.course_id, lesson.pk))
        prepared = _enrolment_query.all(user_id=enrolment.user_id, course_id=enrolment.course_id, lesson_id=lesson.pk)
        assert prepared == ordinary == [enrolment]
        assert getattr(prepared[0], "this_lesson", None) == getattr(ordinary[0], "this_lesson", None)
        assert prepared[0].enrolled_at == enrolment.enrolled_at  # converted like the ORM's (aware datetime)
        if round_ == 0:
            enrolment.lesson_progress.create(lesson_id=lesson.pk, seconds_spent=120)
    assert prepared[0].this_lesson.seconds_spent == 120
    other = EnrolmentFactory()
    assert _enrolment_query.all(user_id=other.user_id, course_id=enrolment.course_id, lesson_id=lesson.pk) == []


def test_values_the_query_cannot_bind_are_refused():
    with pytest.raises(TypeError):
        Prepared(lambda when: Session.objects.filter(expire_date__gt=when), when=timezone.now())
    # The value reaches the SQL changed ("%name%"): it cannot be bound, and Prepared says so.
    prepared = Prepared(lambda name: User.objects.filter(username__contains=name), name="\x00example")
    with pytest.raises(ValueError, match="name"):
        prepared.all(name="x")
    with pytest.raises(TypeError):
        Prepared(lambda pk: User.objects.filter(pk=pk), pk=-1).all(user=3)


def test_the_session_store_reads_live_sessions_and_no_expired_or_unknown_one():
    store = SessionStore()
    store["colour"] = "green"
    store.create()
    assert SessionStore(store.session_key).load() == {"colour": "green"}
    assert SessionStore("no-such-session-key-0000000000").load() == {}
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None  # as Django's own store: a new session next


def test_the_backend_loads_active_users_only():
    teacher = TeacherProfileFactory()
    backend = ModelBackend()
    assert backend.get_user(teacher.user.pk) == teacher.user
    assert backend.get_user("not a number") is None
    User.objects.filter(pk=teacher.user.pk).update(is_active=False)
    assert backend.get_user(teacher.user.pk) is None


def test_a_signed_in_page_reads_the_session_and_user_with_the_prepared_queries(client):
    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("start")).status_code == 200
    session_reads = [q["sql"] for q in queries if 'FROM "django_session"' in q["sql"]]
    assert session_reads and all("expire_date" not in sql.split("WHERE", 1)[1] for sql in session_reads)


def test_on_postgresql_the_statement_is_prepared_on_the_server_once_per_connection(settings):
    teacher = TeacherProfileFactory()
    prepared = Prepared(lambda pk: User.objects.filter(pk=pk)[:1], pk=-5_550_002)
    for _ in range(3):
        assert prepared.first(pk=teacher.user.pk) == teacher.user
    if connection.vendor != "postgresql":  # SQLite has no server to prepare on: the same rows, that is all
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ['%"accounts_user"%'])
        assert cursor.fetchone()[0] == 1
    settings.DATABASE_PREPARED_STATEMENTS = False  # behind a pooler that cannot keep them
    other = Prepared(lambda pk: User.objects.filter(pk=pk).only("pk")[:1], pk=-5_550_003)
    assert other.first(pk=teacher.user.pk) == teacher.user
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ['%"accounts_user"%'])
        assert cursor.fetchone()[0] == 1
