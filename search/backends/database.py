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

import json
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
TABLE = SearchEntry._meta.db_table
# Above this many rows to read for the counts (estimated from a sample of the table's pages), totals and facet counts
# are the sample's, scaled up and shown as estimates; the sample reads about SAMPLE_ROWS rows.
APPROXIMATE_ABOVE = 5_000
SAMPLE_ROWS = 5_000
ROWS_READ = "_rows"
# Then, sorted by relevance, the ranking reads this many of the most downloaded matches (and half as
# many of the newest) instead of every match.
CANDIDATES = 500


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sample_fraction() -> float:
    """The share of the table's pages a sample reads (1: the table is small, count exactly)."""
    rows = _fetch("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
    estimated_rows = rows[0][0] if rows else 0
    if estimated_rows < 4 * SAMPLE_ROWS:
        return 1.0
    return SAMPLE_ROWS / estimated_rows


def _planned_rows(match_sql: str, params: list) -> float:
    """How many rows the planner expects to match (tsvector statistics keep the lexemes' frequencies)."""
    rows = _fetch(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} WHERE {match_sql}", params)  # noqa: S608
    plan = rows[0][0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _round_estimate(n: float) -> int:
    """Two significant figures: an estimate should not look exact."""
    if n < 100:
        return round(n)
    digits = len(str(int(n))) - 2
    return int(round(n, -digits))


def _total(facet_counts: dict[str, dict[str, int]], query: SearchQuery) -> int:
    # Every entry has exactly one source, so the source counts add up to the total. Under a source
    # filter its counts exclude only that filter: add the chosen sources.
    chosen = query.filters.get(SOURCE_FACET)
    return sum(n for value, n in facet_counts.get(SOURCE_FACET, {}).items() if chosen is None or value in chosen)


def _hit(e: SearchEntry, score: float) -> Hit:
    return Hit(
        source=e.source,
        object_id=e.object_id,
        title=e.title,
        summary=e.summary,
        url=e.url,
        facets=e.facets,
        published_at=e.published_at,
        popularity=e.popularity,
        featured=e.featured,
        score=score,
    )


def _tsquery(tokens: list[str], operator: str) -> str:
    # Tokens hold letters, digits and dots only (search.segment), quoted as literal lexemes anyway.
    return f" {operator} ".join("'" + t.replace("'", "''").replace("\\", "\\\\") + "'" for t in tokens)


def _facet_pairs(document: Document) -> set[tuple[str, str]]:
    pairs = {(SOURCE_FACET, document.source)}
    for key, values in document.facets.items():
        pairs.update((key, str(v)[:64].replace(" ", "_")) for v in values)
    return pairs


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
            "facet_tokens": " ".join(sorted(f"{k}:{v}" for k, v in _facet_pairs(document))),
            "published_at": document.published_at,
            "popularity": document.popularity,
            "featured": document.featured,
        }
        with transaction.atomic():
            entry, _created = SearchEntry.objects.update_or_create(
                source=document.source, object_id=str(document.object_id), defaults=values
            )
            rows = _facet_pairs(document)
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

    def _facet_filter(self, key: str, values: list[str]):
        if self.postgres:  # any of the values: overlap with the GIN-indexed array
            pairs = [f"{key}:{v}" for v in values]
            return RawSQL("facet_array && %s::text[]", [pairs], output_field=BooleanField())
        return Exists(SearchFacet.objects.filter(entry=OuterRef("pk"), key=key, value__in=values))

    def search(self, query: SearchQuery, facet_keys: list[str]) -> Results:
        if self.postgres:
            return self._search_postgres(query, facet_keys)
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
        facet_counts = self._facet_counts(base, query, facet_keys)
        if SOURCE_FACET in facet_counts:
            # Every entry has exactly one source, so the source counts add up to the total (one scan
            # of the matching rows fewer). Under a source filter its counts exclude only that filter.
            chosen = query.filters.get(SOURCE_FACET)
            counts = facet_counts[SOURCE_FACET]
            total = sum(n for value, n in counts.items() if chosen is None or value in chosen)
        else:
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
        return Results(
            query=query,
            hits=[_hit(e, float(e.score or 0)) for e in rows],
            total=total,
            facet_counts=facet_counts,
            matched_all_words=matched_all,
        )

    # -- PostgreSQL: raw SQL, so that one scan counts every facet and a sample can stand in for it --
    def _search_postgres(self, query: SearchQuery, facet_keys: list[str]) -> Results:
        tokens = query.tokens
        matched_all = True
        match_sql, match_params = "TRUE", []
        if tokens:
            match_sql, match_params = "search_vector @@ %s::tsquery", [_tsquery(tokens, "&")]
            if len(tokens) > 1 and not _fetch(f"SELECT 1 FROM {TABLE} WHERE {match_sql} LIMIT 1", match_params):  # noqa: S608
                match_params = [_tsquery(tokens, "|")]
                matched_all = False
        filters = [(key, [f"{key}:{v}" for v in values]) for key, values in query.filters.items()]

        approximate = False
        facet_counts: dict[str, dict[str, int]] = {}
        fraction = _sample_fraction()
        if fraction < 1 and _planned_rows(match_sql, match_params) >= APPROXIMATE_ABOVE:
            # Very many matches (the planner's estimate, from the lexeme statistics): a sample of
            # the table's pages answers for the counts, scaled up, and the page says they are estimates.
            sampled = self._pg_facet_counts(match_sql, match_params, filters, facet_keys, fraction)
            rows_read = sampled.pop(ROWS_READ, {}).get("", 0) / fraction
            if rows_read >= APPROXIMATE_ABOVE:
                approximate = True
                facet_counts = {
                    key: {value: _round_estimate(n / fraction) for value, n in values.items()}
                    for key, values in sampled.items()
                }
        if not approximate:
            facet_counts = self._pg_facet_counts(match_sql, match_params, filters, facet_keys, 1)
            facet_counts.pop(ROWS_READ, None)
        total = _total(facet_counts, query)

        where = [match_sql] + ["facet_array && %s::text[]" for _key, _pairs in filters]
        params = [*match_params] + [pairs for _key, pairs in filters]
        if tokens:
            # ts_rank of a tsvector without positions is proportional to how many query words it
            # holds, so counting them gives the same order, cheaper (docs/search.md).
            hits_title = " + ".join("(title_vector @@ %s::tsquery)::int" for _t in tokens)
            hits_all = " + ".join("(search_vector @@ %s::tsquery)::int" for _t in tokens)
            score = f"(4 * ({hits_title}) + ({hits_all})) * CASE WHEN featured THEN 1.2 ELSE 1 END"
            score_params = [_tsquery([t], "|") for t in tokens] * 2
        else:
            score, score_params = "0.0", []
        order = {
            "newest": "published_at DESC NULLS LAST, score DESC, id DESC",
            "downloads": "popularity DESC, score DESC, id DESC",
        }.get(query.sort)
        if order is None:
            order = (
                "score DESC, featured DESC, popularity DESC, id DESC"
                if tokens
                else "featured DESC, published_at DESC NULLS LAST, id DESC"
            )
        start = (query.page - 1) * query.per_page
        condition = " AND ".join(where)
        source = TABLE
        if tokens and query.sort == "relevance" and approximate and total >= APPROXIMATE_ABOVE and start < CANDIDATES:
            # Very many matches: rank a candidate pool instead of every match, the most downloaded
            # and the newest ones (both read in index order), so the work stays bounded.
            columns = "id, title_vector, search_vector, featured, popularity, published_at"
            source = (
                f"((SELECT {columns} FROM {TABLE} WHERE {condition} ORDER BY popularity DESC LIMIT {CANDIDATES})"  # noqa: S608
                f" UNION (SELECT {columns} FROM {TABLE} WHERE {condition} ORDER BY published_at DESC"
                f" LIMIT {CANDIDATES // 2})) candidates"
            )
            condition, params = "TRUE", [*params, *params]
        sql = (
            f"SELECT id, {score} AS score FROM {source} WHERE {condition}"  # noqa: S608 - fixed fragments
            f" ORDER BY {order} LIMIT %s OFFSET %s"
        )
        ranked = _fetch(sql, [*score_params, *params, query.per_page, start])
        entries = SearchEntry.objects.in_bulk([pk for pk, _score in ranked])
        return Results(
            query=query,
            hits=[_hit(entries[pk], float(score)) for pk, score in ranked if pk in entries],
            total=total,
            facet_counts=facet_counts,
            matched_all_words=matched_all,
            approximate=approximate,
        )

    def _pg_facet_counts(self, match_sql, match_params, filters, facet_keys, fraction: float):
        """Every facet's counts in one scan of the matching rows (or of a sample of the table's pages).

        Counts are disjunctive: a value of facet k counts the rows that pass every filter but k's
        own. A row is read when it fails at most one filter; each pair of it is counted when the
        filters other than its key's hold.
        """
        counts: dict[str, dict[str, int]] = {key: {} for key in facet_keys}
        counts[ROWS_READ] = {}
        flags = [f"(facet_array && %s::text[]) AS m{i}" for i in range(len(filters))]
        flag_params = [pairs for _key, pairs in filters]
        sample = f" TABLESAMPLE SYSTEM ({fraction * 100:.4f}) REPEATABLE (13)" if fraction < 1 else ""
        inner_where = match_sql
        if len(filters) > 1:  # (one filter: its own values count without it, the others under it)
            passed = " + ".join("(facet_array && %s::text[])::int" for _f in filters)
            inner_where += f" AND ({passed}) >= {len(filters) - 1}"
        inner_params = [*match_params] + ([pairs for _key, pairs in filters] if len(filters) > 1 else [])
        conditions = []
        for key in facet_keys:
            others = [f"m{i}" for i, (k, _p) in enumerate(filters) if k != key]
            conditions.append(f"WHEN %s THEN {' AND '.join(others) if others else 'TRUE'}")
        # One more element per row, ROWS_READ, counts the rows read: the work an exact count does.
        keep = f"CASE split_part(f, ':', 1) {' '.join(conditions)} WHEN '{ROWS_READ}' THEN TRUE ELSE FALSE END"
        sql = (
            f"SELECT f, COUNT(*) FROM (SELECT facet_array AS fa{''.join(', ' + c for c in flags)}"  # noqa: S608
            f" FROM {TABLE}{sample} WHERE {inner_where} OFFSET 0) t"  # OFFSET 0: flags once a row, not once a pair
            f" CROSS JOIN LATERAL unnest(t.fa || '{ROWS_READ}:'::text) f WHERE {keep} GROUP BY f"
        )
        for pair, n in _fetch(sql, [*flag_params, *inner_params, *facet_keys]):
            key, _sep, value = pair.partition(":")
            counts[key][value] = n
        return counts

    def _facet_counts(self, base, query: SearchQuery, facet_keys: list[str]) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {key: {} for key in facet_keys}
        # Facets nobody filtered on share one GROUP BY over the fully filtered results; each
        # filtered facet needs its own, under the other facets' filters only.
        unfiltered = [key for key in facet_keys if key not in query.filters]
        groups = [(unfiltered, query.filters)] if unfiltered else []
        groups += [([key], {k: v for k, v in query.filters.items() if k != key}) for key in query.filters]
        for keys, filters in groups:
            entries = base
            for other, values in filters.items():
                entries = entries.filter(self._facet_filter(other, values))
            for key, value, n in self._count_pairs(entries, keys):
                counts[key][value] = n
        return counts

    def _count_pairs(self, entries, keys: list[str]):
        """(key, value, count) of the given facets over these entries: one query."""
        if self.postgres:
            inner = entries.order_by().extra(select={"fa": "facet_array"}).values("fa")  # noqa: S610 - a column name
            sql, params = inner.query.sql_with_params()
            prefixes = [f"{key}:%" for key in keys]
            outer = (
                f"SELECT f, COUNT(*) FROM ({sql}) t CROSS JOIN LATERAL unnest(t.fa) f"  # noqa: S608 - compiled by Django
                " WHERE f LIKE ANY(%s) GROUP BY f"
            )
            with connection.cursor() as cursor:
                cursor.execute(outer, [*params, prefixes])
                for pair, n in cursor.fetchall():
                    key, _sep, value = pair.partition(":")
                    yield key, value, n
            return
        rows = (
            SearchFacet.objects.filter(key__in=keys, entry__in=entries.values("pk"))
            .values("key", "value")
            .annotate(n=Count("pk", output_field=IntegerField()))
        )
        for row in rows:
            yield row["key"], row["value"], row["n"]

    def suggest(self, prefix: str, limit: int = SUGGEST_LIMIT) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        titles = SearchEntry.objects.filter(Q(title__istartswith=prefix) | Q(title__icontains=prefix))
        ordered = titles.annotate(
            starts=Case(When(title__istartswith=prefix, then=Value(1)), default=Value(0), output_field=IntegerField())
        ).order_by("-starts", "-popularity", "title")
        return list(dict.fromkeys(ordered.values_list("title", flat=True)[: limit * 2]))[:limit]
