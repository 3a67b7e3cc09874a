"""Cache round trips of every page: within a request, every generation counter the process knows
comes in one MGET (cms/core/versions.py), and a bump during the request is still seen at once; the
navigation's cached parts come in one MGET too (cms/context_processors.py).

A request's start and end are versions' own receivers (`_start`, `_forget`), not the signals: their
other receivers close the test's database connection on PostgreSQL."""

import pytest

from cms.core import versions


class CountingCache:
    """The cache, with a list of the calls made to it."""

    def __init__(self, real):
        self.real, self.calls = real, []

    def __getattr__(self, name):
        method = getattr(self.real, name)

        def call(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return call


@pytest.mark.django_db
def test_a_request_reads_every_known_counter_in_one_round_trip(monkeypatch):
    names = ("content", "roles", "delivery")
    before = [versions.current(name) for name in names]  # outside a request: each read, now known
    cache = CountingCache(versions.cache)
    monkeypatch.setattr(versions, "cache", cache)
    versions._start()
    try:
        assert [versions.current(name) for name in reversed(names)] == list(reversed(before))
        assert cache.calls == ["get_many"]
        versions.bump("roles")  # a write during the request: the next read sees the new generation
        assert versions.current("roles") > before[1]
        assert versions.current("content") == before[0]
    finally:
        versions._forget()
    versions._start()
    try:
        assert versions.current("roles") > before[1]  # the next request too
    finally:
        versions._forget()


@pytest.mark.django_db
def test_navigation_reads_its_cached_facts_in_one_round_trip(rf, monkeypatch, city_coordinator):
    """The context processor's section links, menu facts and unread count come in one MGET once
    cached, and are the same as when each was read (or computed) on its own."""
    from cms import context_processors
    from cms.core import readahead, routing

    def page():
        request = rf.get("/manage/reports/")
        request.user = city_coordinator
        versions._start()
        readahead._start()
        readahead.expect(routing.expected_keys(request))  # as cms.middleware.ReadAheadMiddleware does
        try:
            return context_processors.navigation(request)
        finally:
            versions._forget()
            readahead._end()

    first = page()  # computes and caches each part
    cache = CountingCache(readahead.cache)
    keys = []
    get_many = cache.real.get_many
    monkeypatch.setattr(readahead, "cache", cache)
    monkeypatch.setattr(cache.real, "get_many", lambda k, *a, **kw: keys.append(list(k)) or get_many(k, *a, **kw))
    assert page() == first
    assert cache.calls == ["get_many"]
    assert any(key.startswith("nav:user:") for key in keys[-1]) and any("notices:unread" in key for key in keys[-1])


@pytest.mark.django_db
def test_a_warm_lesson_get_reads_the_cache_in_three_round_trips(client, monkeypatch, teacher, catalogue):
    """cms.core.readahead (decision 0044): the counters with the 2FA answer, site, route and root
    paths; the lesson's parts with the menu's keys; the header, footer and main column."""
    from django.core.cache import cache as default_cache

    from tests.factories import CoursePageFactory, EnrolmentFactory, LessonPageFactory

    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course)
    EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
    client.force_login(teacher.user)
    for _ in range(2):
        assert client.get(lesson.url).status_code == 200
    backend = type(default_cache._connections[default_cache._alias])
    reads, depth = [], [0]

    def counting(name, real):
        def read(self, *args, **kwargs):
            if not depth[0]:  # a round trip; the memory cache's get_many calls its own get per key
                reads.append(name)
            depth[0] += 1
            try:
                return real(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        return read

    for name in ("get", "get_many", "get_or_set", "has_key"):
        monkeypatch.setattr(backend, name, counting(name, getattr(backend, name)))
    html = client.get(lesson.url).content.decode()
    assert reads == ["get_many", "get_many", "get_many"], reads
    assert lesson.title in html and course.title in html
