"""Version counters for caches that many keys depend on (decision 0025).

A cache key that embeds `current("content")` is dropped, all at once, by one `bump("content")`:
no key listing, no pattern delete. The counters live in the default cache (Redis in production,
answered from process memory while Redis is down: decision 0018), never expire, and start from the clock (a counter lost to an eviction or a Redis restart
starts again from a value no earlier generation used, so no stale key comes back).

Part of cms.core's shared kit: it imports no app, so courses and tracking may use it.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

# What the site shows every visitor the same way: the page tree, page content, snippets,
# images and documents, site settings. Bumped on publish, unpublish, move, delete and save.
CONTENT = "content"
# Who may see which menu entries: coordinator roles, profiles, groups and permissions.
ROLES = "roles"


def _key(name: str) -> str:
    return f"version:{name}"


def current(name: str) -> int:
    return cache.get_or_set(_key(name), _fresh, None)


def _fresh() -> int:
    return time.time_ns() // 1000


def bump(name: str, **_signal_kwargs) -> None:
    """Start a new generation of every key made with `current(name)` (usable as a signal receiver),
    now and again when the transaction commits: a page read in between must not keep the old content."""
    _incr(name)
    transaction.on_commit(lambda: _incr(name))


def _incr(name: str) -> None:
    try:
        cache.incr(_key(name))
    except ValueError:  # never set, or evicted
        cache.set(_key(name), _fresh(), None)
