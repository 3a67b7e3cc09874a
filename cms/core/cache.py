"""The Redis cache, made tolerant of Redis being down (docs/decisions: Redis cache fallback).

With `REDIS_URL` set, the cache is Redis: the four production workers then share allauth's
login rate limits, its used-TOTP-code markers and everything else cached. If Redis stops
answering, pages must still serve: each cache call that fails is answered by a small
in-process memory cache instead, and Redis is left alone for `retry_after` seconds before it is
tried again (so a dead Redis costs one short connect timeout per worker, not one per call).
While that lasts the rate limits are counted per worker — weaker, never off — and the outage is
logged once as a warning.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

FALLBACK_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client wraps its connection pool in a new `redis.Redis` for every cache call; with
    redis-py 8 that constructor costs about 0.12 ms of CPU (it builds its response-callback table),
    as much as the GET itself, and a page makes several calls. One `redis.Redis` per pool, reused:
    it is thread-safe, each command takes a connection from the pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 15))
        # Fail fast: a request must not hang on a Redis that is gone.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedRedisCacheClient
        self.fallback = LocMemCache(f"xinyu-redis-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self.down_until = 0.0

    @property
    def redis_is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def _call(self, name: str, *args, **kwargs) -> Any:
        if not self.redis_is_down:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except RedisError as exc:
                logger.warning(
                    "Redis cache unavailable (%s); using the in-process cache for %.0f s", exc, self.retry_after
                )
                self.down_until = time.monotonic() + self.retry_after
        return getattr(self.fallback, name)(*args, **kwargs)


def _delegate(name: str) -> Callable:
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, answered in process while Redis is down."
    return method


for _name in FALLBACK_OPERATIONS:
    setattr(TolerantRedisCache, _name, _delegate(_name))
