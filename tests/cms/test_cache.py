"""The production cache: Redis shared by the workers, and pages keep serving when Redis is down."""

import os
import uuid

import pytest
import redis

from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from cms.core.cache import TolerantRedisCache

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _cache(location: str) -> TolerantRedisCache:
    return TolerantRedisCache(location, {"KEY_PREFIX": f"t{uuid.uuid4().hex[:6]}", "OPTIONS": {"RETRY_AFTER": 60}})


def test_a_dead_redis_is_answered_from_process_memory(caplog):
    cache = _cache(DEAD_REDIS)
    cache.set("k", "v")
    assert cache.get("k") == "v"
    assert cache.add("k", "other") is False
    cache.set("n", 1)
    assert cache.incr("n") == 2
    cache.delete("n")
    assert cache.get("n") is None
    assert cache.redis_is_down
    assert caplog.text.count("Redis cache unavailable") == 1  # logged once, then Redis is left alone


def test_the_settings_choose_the_tolerant_cache_when_redis_url_is_set(monkeypatch):
    import importlib

    from cms.settings import base

    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    try:
        assert importlib.reload(base).CACHES["default"]["BACKEND"] == "cms.core.cache.TolerantRedisCache"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(base)


@pytest.mark.django_db
def test_pages_and_login_serve_with_redis_down(client, teacher, password, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    dead = {"default": {"BACKEND": "cms.core.cache.TolerantRedisCache", "LOCATION": DEAD_REDIS}}
    with override_settings(CACHES=dead):  # Django's test signals rebuild the cache handler
        assert isinstance(caches["default"], TolerantRedisCache)
        assert client.get("/").status_code == 200
        for i in range(3):
            client.post(reverse("account_login"), {"login": teacher.user.username, "password": f"bad{i}"})
        refused = client.post(reverse("account_login"), {"login": teacher.user.username, "password": password})
        # Still limited (per worker) while Redis is down: never off.
        assert "登录失败次数过多" in refused.content.decode()
        assert caches["default"].redis_is_down


@pytest.mark.services
def test_two_workers_share_the_rate_limit_counts_through_redis():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis is not answering at {REDIS_URL}: {exc}")
    prefix = f"t{uuid.uuid4().hex[:6]}"
    worker_a = TolerantRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    worker_b = TolerantRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    worker_a.set("allauth:rl:login_failed", [1.0, 2.0], 60)
    assert worker_b.get("allauth:rl:login_failed") == [1.0, 2.0]
    assert not worker_a.redis_is_down
    worker_a.delete("allauth:rl:login_failed")


@pytest.mark.services
def test_every_cache_call_reuses_one_redis_client():
    """Building a redis.Redis costs as much CPU as the GET it wraps: one per connection pool."""
    cache = TolerantRedisCache(REDIS_URL, {"KEY_PREFIX": f"t{uuid.uuid4().hex[:6]}"})
    cache.set("k", "v", 60)
    assert cache.get("k") == "v"
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)
    assert len(cache._cache._clients) == 1
    cache.delete("k")
