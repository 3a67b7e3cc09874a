"""A search request and its answer, the same for every backend.

`SearchQuery.from_params` turns whatever a browser sent into a valid request: an over-long or
empty query, an unknown facet or value, a page number that is not a number — each becomes
something the backends can answer, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from . import registry
from .segment import MAX_QUERY_CHARS, query_tokens

SORTS = ("relevance", "newest", "downloads")
PER_PAGE = 10
MAX_PAGE = 1000
MAX_VALUES_PER_FACET = 10


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def tokens(self) -> list[str]:
        return query_tokens(self.text)

    @classmethod
    def from_params(cls, params) -> SearchQuery:
        """Build from a QueryDict: q, sort, page and one list parameter per facet key."""
        text = " ".join((params.get("q") or "").split())[:MAX_QUERY_CHARS]
        sort = params.get("sort") or "relevance"
        if sort not in SORTS:
            sort = "relevance"
        try:
            page = min(max(int(params.get("page") or 1), 1), MAX_PAGE)
        except (TypeError, ValueError):
            page = 1
        filters: dict[str, list[str]] = {}
        for facet in registry.facets():
            known = facet.choices()
            values = [v for v in params.getlist(facet.key) if v in known][:MAX_VALUES_PER_FACET]
            if values:
                filters[facet.key] = list(dict.fromkeys(values))
        return cls(text=text, filters=filters, sort=sort, page=page)


@dataclass
class Hit:
    source: str
    object_id: str
    title: str
    summary: str
    url: str
    facets: dict[str, list[str]]
    published_at: datetime | None
    popularity: int
    featured: bool
    score: float = 0.0


@dataclass
class Results:
    query: SearchQuery
    hits: list[Hit]
    total: int
    facet_counts: dict[str, dict[str, int]]
    matched_all_words: bool = True  # False: nothing had every word, these have some of them
    no_words: bool = False  # the query had text but nothing searchable (only punctuation, emoji)
    approximate: bool = False  # total and facet counts estimated from a sample (very many matches)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))
