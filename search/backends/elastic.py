"""The scale-out backend: Elasticsearch 8 through `elasticsearch.dsl` (part of the official client).

Selected when ELASTICSEARCH_URL is set. The mapping does not segment Chinese itself: the same
jieba tokens as the database backend (`search.segment`) are stored in `title_tokens` /
`text_tokens` and analysed with a whitespace tokenizer, so both backends cut a text into the
same words and a query finds the same documents. Facets are `terms` aggregations built by
`FacetedSearch` (counts of one facet under the filters of the others, as in the database backend).

`tests/search/test_elastic.py` checks the mapping and request bodies without a server, and the
shared behaviour tests run here too when ELASTICSEARCH_URL is set (README: "Elasticsearch").
"""

from __future__ import annotations

from elasticsearch.dsl import (
    Boolean,
    Completion,
    Date,
    FacetedSearch,
    Integer,
    Keyword,
    MetaField,
    Q,
    TermsFacet,
    Text,
    analyzer,
    connections,
)
from elasticsearch.dsl import Document as DslDocument
from elasticsearch.dsl import Search as DslSearch

from django.conf import settings

from ..query import Hit, Results, SearchQuery
from ..registry import SOURCE_FACET, Document
from ..segment import segment, tokens

ALIAS = "xinyu"
FACET_SIZE = 50
SUGGEST_LIMIT = 8

# The tokens were cut by jieba already: split on spaces, nothing else (lower-casing was done too).
jieba_tokens = analyzer("xinyu_jieba_tokens", tokenizer="whitespace")


def index_name() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX", "xinyu") + "-search"


class SearchDoc(DslDocument):
    source = Keyword()
    object_id = Keyword()
    title = Keyword(index=False)
    summary = Text(index=False)
    url = Keyword(index=False)
    title_tokens = Text(analyzer=jieba_tokens)
    text_tokens = Text(analyzer=jieba_tokens)
    suggest = Completion(analyzer="keyword", preserve_separators=False)
    published_at = Date()
    popularity = Integer()
    featured = Boolean()

    class Meta:
        # facets.<key> is a keyword array, whatever keys the apps register.
        dynamic_templates = MetaField([{"facets": {"path_match": "facets.*", "mapping": {"type": "keyword"}}}])

    class Index:
        name = "xinyu-search"  # replaced by index_name() in ElasticsearchBackend.__init__
        settings = {"number_of_shards": 1, "number_of_replicas": 0}


def to_search_doc(document: Document) -> SearchDoc:
    text = " ".join(part for part in (document.summary, document.keywords, document.body) if part)
    title_words = tokens(document.title)
    facets = {key: [str(v) for v in values] for key, values in document.facets.items()}
    facets[SOURCE_FACET] = [document.source]
    doc = SearchDoc(
        meta={"id": f"{document.source}:{document.object_id}"},
        source=document.source,
        object_id=str(document.object_id),
        title=document.title,
        summary=document.summary,
        url=document.url,
        title_tokens=" ".join(title_words),
        text_tokens=segment(text),
        # Typeahead from the start of the title or of any word in it.
        suggest={"input": [document.title, *{document.title[document.title.find(w) :] for w in title_words}][:20]},
        facets=facets,
        published_at=document.published_at,
        popularity=document.popularity,
        featured=document.featured,
    )
    return doc


class XinyuFacetedSearch(FacetedSearch):
    doc_types = [SearchDoc]
    fields = ["title_tokens^4", "text_tokens"]

    def __init__(self, query: SearchQuery, facet_keys: list[str], operator: str = "and", index: str | None = None):
        self.index = index or index_name()
        self.using = ALIAS
        self.operator = operator
        self.facets = {key: TermsFacet(field=f"facets.{key}", size=FACET_SIZE) for key in facet_keys}
        words = query.tokens
        super().__init__(" ".join(words) if words else None, query.filters, _sort(query, bool(words)))

    def query(self, search, query):
        match = Q("multi_match", query=query, fields=self.fields, type="cross_fields", operator=self.operator)
        # 精品 (featured) resources rank a little higher, as in the database backend.
        return search.query(
            "function_score", query=match, functions=[{"filter": Q("term", featured=True), "weight": 1.2}]
        )

    def highlight(self, search):
        return search  # snippets are marked in Python on the original text (search.highlight)


def _sort(query: SearchQuery, has_words: bool) -> list:
    if query.sort == "newest":
        return [{"published_at": {"order": "desc", "missing": "_last"}}, "_score"]
    if query.sort == "downloads":
        return [{"popularity": {"order": "desc"}}, "_score"]
    if has_words:
        return ["_score", {"featured": {"order": "desc"}}, {"popularity": {"order": "desc"}}]
    return [{"featured": {"order": "desc"}}, {"published_at": {"order": "desc", "missing": "_last"}}]


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str, index: str | None = None):
        self.index = index or index_name()
        connections.create_connection(alias=ALIAS, hosts=[url], request_timeout=10)
        SearchDoc._index._name = self.index

    def ensure_index(self) -> None:
        if not SearchDoc._index.exists(using=ALIAS):
            SearchDoc.init(index=self.index, using=ALIAS)

    def upsert(self, document: Document) -> None:
        self.ensure_index()
        to_search_doc(document).save(index=self.index, using=ALIAS, refresh="wait_for")

    def delete(self, source: str, object_id: str) -> None:
        client = connections.get_connection(ALIAS)
        client.delete(index=self.index, id=f"{source}:{object_id}", refresh="wait_for", ignore_unavailable=True)

    def clear(self, source: str | None = None) -> None:
        self.ensure_index()
        search = DslSearch(index=self.index, using=ALIAS)
        if source:
            search = search.filter("term", source=source)
        search.params(refresh=True).delete()

    def count(self) -> int:
        self.ensure_index()
        return DslSearch(index=self.index, using=ALIAS).count()

    def ids(self, source: str) -> set[str]:
        self.ensure_index()
        search = DslSearch(index=self.index, using=ALIAS).filter("term", source=source).source(["object_id"])
        return {hit.object_id for hit in search.scan()}

    def search(self, query: SearchQuery, facet_keys: list[str]) -> Results:
        self.ensure_index()
        faceted = self.build(query, facet_keys, "and")
        response = faceted.execute()
        matched_all = True
        if response.hits.total.value == 0 and len(query.tokens) > 1:
            faceted = self.build(query, facet_keys, "or")
            response = faceted.execute()
            matched_all = False
        hits = [
            Hit(
                source=h.source,
                object_id=h.object_id,
                title=h.title,
                summary=h.summary or "",
                url=h.url,
                facets={k: list(v) for k, v in (h.facets.to_dict() if h.facets else {}).items() if k != SOURCE_FACET},
                published_at=h.published_at,
                popularity=h.popularity or 0,
                featured=bool(h.featured),
                score=float(h.meta.score or 0),
            )
            for h in response
        ]
        counts = {key: {str(value): count for value, count, _selected in response.facets[key]} for key in facet_keys}
        return Results(query, hits, response.hits.total.value, counts, matched_all)

    def build(self, query: SearchQuery, facet_keys: list[str], operator: str) -> XinyuFacetedSearch:
        start = (query.page - 1) * query.per_page
        faceted = XinyuFacetedSearch(query, facet_keys, operator, self.index)[start : start + query.per_page]
        faceted.params(track_total_hits=True)
        return faceted

    def suggest_body(self, prefix: str, limit: int = SUGGEST_LIMIT) -> dict:
        search = DslSearch(index=self.index, using=ALIAS).source(["title"])
        return search.suggest("titles", prefix, completion={"field": "suggest", "size": limit}).to_dict()

    def suggest(self, prefix: str, limit: int = SUGGEST_LIMIT) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        self.ensure_index()
        search = DslSearch(index=self.index, using=ALIAS).source(["title"])
        response = search.suggest("titles", prefix, completion={"field": "suggest", "size": limit}).execute()
        options = response.suggest.titles[0].options if response.suggest.titles else []
        return list(dict.fromkeys(option._source.title for option in options))[:limit]
