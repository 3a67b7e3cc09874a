"""Cache keys a request will read, fetched in round trips it makes anyway (decision 0044).

A signed-in page reads about fifteen cache keys: generation counters, the second-factor answer,
the site, the route, the sites' root paths, the page's own parts, the menu, the unread count,
the header and the footer. Each read is a round trip to Redis and, in redis-py, about 0.1 ms of
the worker's CPU whatever the number of keys. Code that knows early which keys a later step
will read says so (`expect`); the request's next read of the cache (`get_many` here, or the
generation counters' first read) brings them along, and the later step finds them here.

Only requests that read (GET, HEAD) expect keys, so nothing a request writes can be shadowed by
an earlier read of its own; values carry their generation where they depend on one, and the
reader compares it. Outside a request (tasks, commands) every call reads the cache.

Part of cms.core's shared kit: it imports no app.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.core.cache import cache
from django.core.signals import request_finished, request_started

_MISS = object()
_local = threading.local()


def _start(**_kwargs) -> None:
    _local.store = {}
    _local.pending = []


def _end(**_kwargs) -> None:
    _local.__dict__.pop("store", None)
    _local.__dict__.pop("pending", None)


request_started.connect(_start, dispatch_uid="readahead.request_started")
request_finished.connect(_end, dispatch_uid="readahead.request_finished")


def expect(keys: Iterable[str]) -> None:
    """These keys will be read later in this request: fetch them with the next read."""
    store = getattr(_local, "store", None)
    if store is not None:
        _local.pending.extend(key for key in keys if key not in store)


def take_pending() -> list[str]:
    """The keys expected and not fetched yet (for a read that fetches them along)."""
    store = getattr(_local, "store", None)
    if store is None:
        return []
    pending = [key for key in dict.fromkeys(_local.pending) if key not in store]
    _local.pending = []
    return pending


def absorb(keys: Iterable[str], found: dict) -> None:
    """Keep what one read of the cache returned for `keys` (a key not found: a miss)."""
    store = getattr(_local, "store", None)
    if store is not None:
        for key in keys:
            store[key] = found.get(key, _MISS)


def get_many(keys: list[str]) -> dict:
    """`cache.get_many`, answered from what this request already fetched; the keys not fetched
    yet go in one round trip with every key expected so far."""
    store = getattr(_local, "store", None)
    if store is None:
        return cache.get_many(keys)
    wanted = [key for key in keys if key not in store]
    if wanted:
        fetch = list(dict.fromkeys(wanted + take_pending()))
        absorb(fetch, cache.get_many(fetch))
    return {key: store[key] for key in keys if store[key] is not _MISS}


def get(key: str):
    return get_many([key]).get(key)


def remember(key: str, value) -> None:
    """What this request just wrote to the cache at `key`, for its own later reads."""
    store = getattr(_local, "store", None)
    if store is not None:
        store[key] = value
