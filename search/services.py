"""Keeping the index in step with the apps' content, and asking it.

Every write goes through `update(source, object_id)`: it asks the source for the object's
document and stores it, or removes the entry when the source answers None (unpublished,
private, deleted). So the same call serves publish, unpublish, delete and move, and is safe
to repeat (the Celery task retries it).
"""

from __future__ import annotations

from collections.abc import Callable

from . import registry
from .backends import get_backend
from .query import Results, SearchQuery


def update(source_key: str, object_id: str) -> bool:
    """Index one object, or remove it; True when it is searchable afterwards."""
    source = registry.get_source(source_key)
    if source is None:
        return False
    document = source.document(str(object_id))
    backend = get_backend()
    if document is None:
        backend.delete(source_key, str(object_id))
        return False
    backend.upsert(document)
    return True


def rebuild(progress: Callable[[int, int, str], None] | None = None) -> int:
    """Index every source's objects afresh and drop entries whose object is gone; returns the count."""
    backend = get_backend()
    indexed = 0
    for key, source in registry.SOURCES.items():
        ids = [str(i) for i in source.all_ids()]
        stale = backend.ids(key) - set(ids)
        for object_id in stale:
            backend.delete(key, object_id)
        for n, object_id in enumerate(ids, start=1):
            indexed += update(key, object_id)
            if progress:
                progress(n, len(ids), key)
    return indexed


def search(query: SearchQuery) -> Results:
    """Answer a query; a page past the end answers with the last page instead."""
    backend = get_backend()
    keys = [facet.key for facet in registry.facets()]
    if query.text and not query.tokens:
        return Results(query, [], 0, {}, no_words=True)
    results = backend.search(query, keys)
    if not results.hits and results.total and query.page > results.num_pages:
        query.page = results.num_pages
        results = backend.search(query, keys)
    return results


def suggest(prefix: str) -> list[str]:
    return get_backend().suggest(prefix[:50])
