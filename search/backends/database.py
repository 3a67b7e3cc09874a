"""The default backend: the search tables in the project's database.

PostgreSQL matches with the GIN-indexed tsvector (`search_vector @@ tsquery`) and ranks with
ts_rank over all text plus, weighted four times, over the title. SQLite (the demo run) matches
whole tokens with a regular expression over the same token columns: slower, same answers.

A query first needs every word (AND); when nothing has them all and there are several words,
it asks for any word (OR) and says so (`matched_all_words=False`).
Facet counts are "disjunctive": the counts of one facet are taken with the filters of the other
facets only, so ticking 初中 still shows how many 高中 results there are.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, Exists, F, FloatField, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL

from ..models import SearchEntry, SearchFacet
from ..query import Hit, Results, SearchQuery
from ..registry import SOURCE_FACET, Document
from ..segment import segment

MAX_TEXT_TOKENS_CHARS = 200_000
SUGGEST_LIMIT = 8


def _tsquery(tokens: list[str], operator: str) -> str:
    # Tokens hold letters, digits and dots only (search.segment), quoted as literal lexemes anyway.
    return f" {operator} ".join("'" + t.replace("'", "''").replace("\\", "\\\\") + "'" for t in tokens)


class DatabaseBackend:
    name = "database"

    @property
    def postgres(self) -> bool:
        return connection.vendor == "postgresql"

    # -- writing -------------------------------------------------------------------------
    def upsert(self, document: Document) -> None:
        text = " ".join(part for part in (document.summary, document.keywords, document.body) if part)
        values = {
            "title": document.title[:255],
            "summary": document.summary,
            "url": document.url,
            "title_tokens": segment(document.title),
            "text_tokens": segment(text)[:MAX_TEXT_TOKENS_CHARS].rsplit(" ", 1)[0]
            if len(text) > MAX_TEXT_TOKENS_CHARS
            else segment(text),
            "facets": document.facets,
            "published_at": document.published_at,
            "popularity": document.popularity,
            "featured": document.featured,
        }
        with transaction.atomic():
            entry, _created = SearchEntry.objects.update_or_create(
                source=document.source, object_id=str(document.object_id), defaults=values
            )
            rows = {(SOURCE_FACET, document.source)}
            for key, facet_values in document.facets.items():
                rows.update((key, str(v)[:64]) for v in facet_values)
            SearchFacet.objects.filter(entry=entry).delete()
            SearchFacet.objects.bulk_create([SearchFacet(entry=entry, key=k, value=v) for k, v in sorted(rows)])

    def delete(self, source: str, object_id: str) -> None:
        SearchEntry.objects.filter(source=source, object_id=str(object_id)).delete()

    def clear(self, source: str | None = None) -> None:
        entries = SearchEntry.objects.all()
        if source:
            entries = entries.filter(source=source)
        entries.delete()

    def count(self) -> int:
        return SearchEntry.objects.count()

    def ids(self, source: str) -> set[str]:
        return set(SearchEntry.objects.filter(source=source).values_list("object_id", flat=True))

    # -- reading -------------------------------------------------------------------------
    def _match(self, tokens: list[str], operator: str) -> Q | RawSQL:
        if self.postgres:
            return RawSQL("search_vector @@ %s::tsquery", [_tsquery(tokens, operator)], output_field=BooleanField())
        condition = Q()
        for token in tokens:
            pattern = r"(^| )" + re.escape(token) + r"( |$)"
            token_q = Q(title_tokens__regex=pattern) | Q(text_tokens__regex=pattern)
            condition = condition & token_q if operator == "&" else condition | token_q
        return condition

    def _rank(self, tokens: list[str]):
        if self.postgres:
            tsq = _tsquery(tokens, "|")
            return RawSQL(
                "(4 * ts_rank(title_vector, %s::tsquery) + ts_rank(search_vector, %s::tsquery))"
                " * CASE WHEN featured THEN 1.2 ELSE 1 END",
                [tsq, tsq],
                output_field=FloatField(),
            )
        score = Value(0.0, output_field=FloatField())
        for token in tokens:
            pattern = r"(^| )" + re.escape(token) + r"( |$)"
            score = score + Case(
                When(title_tokens__regex=pattern, then=Value(4.0)), default=Value(0.0), output_field=FloatField()
            )
            score = score + Case(
                When(text_tokens__regex=pattern, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
            )
        return score * Case(When(featured=True, then=Value(1.2)), default=Value(1.0), output_field=FloatField())

    @staticmethod
    def _facet_filter(key: str, values: list[str]):
        return Exists(SearchFacet.objects.filter(entry=OuterRef("pk"), key=key, value__in=values))

    def search(self, query: SearchQuery, facet_keys: list[str]) -> Results:
        tokens = query.tokens
        matched_all = True
        base = SearchEntry.objects.all()
        if tokens:
            text_match = self._match(tokens, "&")
            if len(tokens) > 1 and not base.filter(text_match).exists():
                text_match = self._match(tokens, "|")
                matched_all = False
            base = base.filter(text_match)

        filtered = base
        for key, values in query.filters.items():
            filtered = filtered.filter(self._facet_filter(key, values))
        total = filtered.count()

        if tokens:
            ordered = filtered.annotate(score=self._rank(tokens))
        else:
            ordered = filtered.annotate(score=Value(0.0, output_field=FloatField()))
        if query.sort == "newest":
            ordered = ordered.order_by(F("published_at").desc(nulls_last=True), "-score", "-pk")
        elif query.sort == "downloads":
            ordered = ordered.order_by("-popularity", "-score", "-pk")
        elif tokens:
            ordered = ordered.order_by("-score", "-featured", "-popularity", "-pk")
        else:
            ordered = ordered.order_by("-featured", F("published_at").desc(nulls_last=True), "-pk")
        start = (query.page - 1) * query.per_page
        rows = ordered[start : start + query.per_page]
        hits = [
            Hit(
                source=e.source,
                object_id=e.object_id,
                title=e.title,
                summary=e.summary,
                url=e.url,
                facets=e.facets,
                published_at=e.published_at,
                popularity=e.popularity,
                featured=e.featured,
                score=float(e.score or 0),
            )
            for e in rows
        ]
        return Results(
            query=query,
            hits=hits,
            total=total,
            facet_counts=self._facet_counts(base, query, facet_keys),
            matched_all_words=matched_all,
        )

    def _facet_counts(self, base, query: SearchQuery, facet_keys: list[str]) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for key in facet_keys:
            entries = base
            for other, values in query.filters.items():
                if other != key:
                    entries = entries.filter(self._facet_filter(other, values))
            rows = (
                SearchFacet.objects.filter(key=key, entry__in=entries.values("pk"))
                .values("value")
                .annotate(n=Count("pk", output_field=IntegerField()))
            )
            counts[key] = {row["value"]: row["n"] for row in rows}
        return counts

    def suggest(self, prefix: str, limit: int = SUGGEST_LIMIT) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        titles = SearchEntry.objects.filter(Q(title__istartswith=prefix) | Q(title__icontains=prefix))
        ordered = titles.annotate(
            starts=Case(When(title__istartswith=prefix, then=Value(1)), default=Value(0), output_field=IntegerField())
        ).order_by("-starts", "-popularity", "title")
        return list(dict.fromkeys(ordered.values_list("title", flat=True)[: limit * 2]))[:limit]
