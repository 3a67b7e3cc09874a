"""Generation counters (cms/core/versions.py): within a request, every counter the process knows
comes in one cache round trip, and a bump during the request is still seen at once."""

import pytest

from django.core.signals import request_finished, request_started

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
    request_started.send(sender=None)
    try:
        assert [versions.current(name) for name in reversed(names)] == list(reversed(before))
        assert cache.calls == ["get_many"]
        versions.bump("roles")  # a write during the request: the next read sees the new generation
        assert versions.current("roles") > before[1]
        assert versions.current("content") == before[0]
    finally:
        request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert versions.current("roles") > before[1]  # the next request too
    finally:
        request_finished.send(sender=None)
