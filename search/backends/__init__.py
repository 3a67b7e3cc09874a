"""The backend in use: Elasticsearch when ELASTICSEARCH_URL is set, else the database."""

from __future__ import annotations

from django.conf import settings

from .database import DatabaseBackend
from .elastic import ElasticsearchBackend

_backends: dict[str, object] = {}


def get_backend():
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if url not in _backends:
        if url:
            _backends[url] = ElasticsearchBackend(url)
        else:
            _backends[url] = DatabaseBackend()
    return _backends[url]
