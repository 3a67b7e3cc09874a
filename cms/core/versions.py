"""Version counters for caches that many keys depend on (decision 0025).

A cache key that embeds `current("content")` is dropped, all at once, by one `bump("content")`:
no key listing, no pattern delete. The counters live in the default cache (Redis in production,
answered from process memory while Redis is down: decision 0018), never expire, and start from
the clock: a counter lost to an eviction or a Redis restart starts again from a value no earlier
generation used, so no stale key comes back.

Part of cms.core's shared kit: it imports no app, so courses and tracking may use it.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

from . import readahead

# What the site shows every visitor the same way: the page tree, page content, snippets,
# images and documents, site settings. Bumped on publish, unpublish, move, delete and save.
CONTENT = "content"
# Who may see which menu entries: coordinator roles, profiles, groups and permissions.
ROLES = "roles"


def _key(name: str) -> str:
    return f"version:{name}"


# Within one request a counter is read once (a page asks for it for every key it builds); a
# bump forgets what was read. The first counter a request asks for brings every counter this
# process has been asked for in the same round trip (one MGET): a report page reads three (content
# for the chrome, roles for the menu, delivery for its figures), each was a GET of its own.
# Outside requests (tasks, commands) every call reads the cache.
_memo = threading.local()
# Counters asked for so far in this process; replaced, never mutated, so readers in other threads
# always see a whole set.
_known: frozenset[str] = frozenset()


def _forget(**_kwargs) -> None:
    _memo.__dict__.pop("values", None)


def _start(**_kwargs) -> None:
    _memo.values = {}
    _memo.fetched = False


request_started.connect(_start, dispatch_uid="versions.request_started")
request_finished.connect(_forget, dispatch_uid="versions.request_finished")


def _first_fetch(memo: dict, names: frozenset[str]) -> None:
    """The request's first round trip: every known counter, and every key the request said it
    would read (cms.core.readahead: the second-factor answer, the site and route)."""
    _memo.fetched = True
    extra = readahead.take_pending()
    keys = [_key(n) for n in names] + extra
    found = cache.get_many(keys)
    for n in names:
        if _key(n) in found:
            memo[n] = found[_key(n)]
    readahead.absorb(extra, found)


def current(name: str) -> int:
    global _known
    if name not in _known:
        _known = _known | {name}
    memo = getattr(_memo, "values", None)
    if memo is not None:
        if name in memo:
            return memo[name]
        if not _memo.fetched:  # the request's first counter: all known ones at once
            _first_fetch(memo, _known)  # `name` included
            if name in memo:
                return memo[name]
    value = cache.get_or_set(_key(name), _fresh, None)
    if memo is not None:
        memo[name] = value
    return value


def current_and_get(name: str, key: str) -> tuple[int, object]:
    """`current(name)` and the cached value at `key`: in one round trip when the request has not
    read its counters yet (the sign-in checks at the start of every request), else two."""
    readahead.expect([key])
    return current(name), readahead.get(key)


def _fresh() -> int:
    return time.time_ns() // 1000


def bump(name: str, **_signal_kwargs) -> None:
    """Start a new generation of every key made with `current(name)` (usable as a signal receiver),
    now and again when the transaction commits: a page read in between must not keep the old content."""
    _incr(name)
    transaction.on_commit(lambda: _incr(name))


def _incr(name: str) -> None:
    memo = getattr(_memo, "values", None)
    if memo is not None:
        memo.pop(name, None)
    try:
        cache.incr(_key(name))
    except ValueError:  # never set, or evicted
        cache.set(_key(name), _fresh(), None)
