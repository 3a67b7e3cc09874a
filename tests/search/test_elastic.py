"""The Elasticsearch backend's mapping and request bodies, checked without a server."""

import datetime

from django.utils import timezone

from search.backends.elastic import SearchDoc, XinyuFacetedSearch, to_search_doc
from search.query import SearchQuery
from search.registry import Document
from search.segment import segment


def test_the_mapping_splits_the_jieba_tokens_on_spaces_only():
    mapping = SearchDoc._doc_type.mapping.to_dict()
    properties = mapping["properties"]
    assert properties["title_tokens"] == {"type": "text", "analyzer": "xinyu_jieba_tokens"}
    assert properties["text_tokens"]["analyzer"] == "xinyu_jieba_tokens"
    assert properties["suggest"]["type"] == "completion"
    assert mapping["dynamic_templates"] == [{"facets": {"path_match": "facets.*", "mapping": {"type": "keyword"}}}]
    analysis = SearchDoc._index.to_dict()["settings"]["analysis"]
    assert analysis["analyzer"]["xinyu_jieba_tokens"] == {"type": "custom", "tokenizer": "whitespace"}


def test_a_document_carries_the_same_tokens_as_the_database_backend():
    published = timezone.make_aware(datetime.datetime(2026, 10, 10))
    document = Document(
        source="resource",
        object_id="7",
        title="10·10世界精神卫生日主题活动方案",
        url="/resources/x/",
        summary="心理游园会",
        keywords="活动方案 初中",
        facets={"grade_band": ["junior", "senior"]},
        published_at=published,
        popularity=3,
    )
    body = to_search_doc(document).to_dict(include_meta=True)
    assert body["_id"] == "resource:7"
    source = body["_source"]
    assert source["title_tokens"] == segment(document.title)
    assert "10.10" in source["title_tokens"].split()
    assert source["text_tokens"] == segment("心理游园会 活动方案 初中")
    assert source["facets"] == {"grade_band": ["junior", "senior"], "source": ["resource"]}
    assert document.title in source["suggest"]["input"]


def test_the_query_body_needs_every_token_filters_after_and_counts_facets_under_the_other_filters():
    query = SearchQuery(text="初中 青春期 教案", filters={"grade_band": ["junior"], "topic": ["puberty"]})
    body = XinyuFacetedSearch(query, ["grade_band", "topic"], index="t").build_search().to_dict()
    match = body["query"]["function_score"]["query"]["multi_match"]
    assert match == {
        "query": "初中 青春期教育 教案",
        "fields": ["title_tokens^4", "text_tokens"],
        "type": "cross_fields",
        "operator": "and",
    }
    assert body["query"]["function_score"]["functions"] == [{"filter": {"term": {"featured": True}}, "weight": 1.2}]
    filters = body["post_filter"]["bool"]["must"]
    assert {"terms": {"facets.grade_band": ["junior"]}} in filters
    assert {"terms": {"facets.topic": ["puberty"]}} in filters
    grade_agg = body["aggs"]["_filter_grade_band"]
    assert grade_agg["filter"] == {"terms": {"facets.topic": ["puberty"]}}
    assert grade_agg["aggs"]["grade_band"] == {"terms": {"field": "facets.grade_band", "size": 50}}
    assert body["sort"][0] == "_score"


def test_the_fallback_asks_for_any_token_and_sorts_follow_the_request():
    body = XinyuFacetedSearch(SearchQuery(text="考前焦虑 小怪兽", sort="downloads"), [], "or", "t").build_search()
    body = body.to_dict()
    assert body["query"]["function_score"]["query"]["multi_match"]["operator"] == "or"
    assert body["sort"][0] == {"popularity": {"order": "desc"}}
    newest = XinyuFacetedSearch(SearchQuery(sort="newest"), [], index="t").build_search().to_dict()
    assert "query" not in newest
    assert newest["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}
