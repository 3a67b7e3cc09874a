"""The Elasticsearch backend reads answers and sends writes correctly — checked with a stand-in
client that records requests and answers as Elasticsearch 8 does (no server needed)."""

import pytest

from search.backends import elastic
from search.query import SearchQuery

from .conftest import doc


class Answer(dict):
    """A JSON answer as the client returns it (`ObjectApiResponse`: a mapping with `.body`)."""

    @property
    def body(self):
        return dict(self)


class FakeClient:
    """Answers the calls the backend makes, in the shape of Elasticsearch 8's JSON."""

    def __init__(self, hits=None, total=None, aggregations=None, options=None):
        self.requests = []
        self.hits = hits or []
        self.total = total if total is not None else len(self.hits)
        self.aggregations = aggregations or {}
        self.options_list = options or []

    def options(self, **kwargs):
        return self

    # indices
    @property
    def indices(self):
        return self

    def exists(self, index, **kwargs):
        self.requests.append(("exists", index))
        return True

    # documents
    def index(self, index, body=None, document=None, id=None, **kwargs):
        self.requests.append(("index", index, id, document or body, kwargs.get("refresh")))
        return Answer(
            {"_id": id, "result": "created", "_version": 1, "_index": index, "_seq_no": 0, "_primary_term": 1}
        )

    def delete(self, index, id, **kwargs):
        self.requests.append(("delete", index, id))
        return {"result": "deleted"}

    def delete_by_query(self, index, body=None, **kwargs):
        self.requests.append(("delete_by_query", index, body or kwargs.get("query")))
        return {"deleted": 0}

    def count(self, index, body=None, **kwargs):
        return {"count": self.total}

    def search(self, index=None, body=None, **kwargs):
        self.requests.append(("search", index, body or kwargs))
        if (body or kwargs).get("suggest"):
            return Answer(
                {
                    "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
                    "suggest": {"titles": [{"text": "情绪", "offset": 0, "length": 2, "options": self.options_list}]},
                }
            )
        return Answer(
            {
                "took": 1,
                "hits": {"total": {"value": self.total, "relation": "eq"}, "max_score": 1.0, "hits": self.hits},
                "aggregations": self.aggregations,
            }
        )


def hit(n, title, score=1.0, **source):
    body = {
        "source": "resource",
        "object_id": str(n),
        "title": title,
        "summary": "摘要",
        "url": f"/resources/r{n}/",
        "facets": {"source": ["resource"], "grade_band": ["junior"]},
        "popularity": 3,
        "featured": False,
        **source,
    }
    return {"_index": "t", "_id": f"resource:{n}", "_score": score, "_source": body}


@pytest.fixture
def backend(monkeypatch):
    es = elastic.ElasticsearchBackend("http://127.0.0.1:9", index="t")
    return es


def use(monkeypatch, client):
    elastic.connections.add_connection(elastic.ALIAS, client)


def test_a_search_maps_hits_and_facet_counts(backend, monkeypatch):
    client = FakeClient(
        hits=[hit(2, "ABC情绪模型", 3.2), hit(3, "情绪管理主题班会", 1.1)],
        total=2,
        aggregations={
            "_filter_grade_band": {"doc_count": 2, "grade_band": {"buckets": [{"key": "junior", "doc_count": 2}]}},
            "_filter_source": {"doc_count": 2, "source": {"buckets": [{"key": "resource", "doc_count": 2}]}},
        },
    )
    use(monkeypatch, client)
    results = backend.search(SearchQuery(text="情绪"), ["source", "grade_band"])
    assert [h.title for h in results.hits] == ["ABC情绪模型", "情绪管理主题班会"]
    assert results.hits[0].facets == {"grade_band": ["junior"]} and results.hits[0].score == 3.2
    assert results.total == 2 and results.matched_all_words
    assert results.facet_counts == {"source": {"resource": 2}, "grade_band": {"junior": 2}}
    body = next(r for r in client.requests if r[0] == "search")[2]
    assert body["query"]["function_score"]["query"]["multi_match"]["operator"] == "and"
    assert body["size"] == 10 and body.get("from", 0) == 0


def test_nothing_with_every_word_asks_again_with_any_word(backend, monkeypatch):
    client = FakeClient(total=0)
    use(monkeypatch, client)
    results = backend.search(SearchQuery(text="考前焦虑 小怪兽"), [])
    searches = [r[2] for r in client.requests if r[0] == "search"]
    assert [s["query"]["function_score"]["query"]["multi_match"]["operator"] for s in searches] == ["and", "or"]
    assert not results.matched_all_words


def test_writes_and_deletes_go_to_the_index(backend, monkeypatch):
    client = FakeClient()
    use(monkeypatch, client)
    backend.upsert(doc(7, "情绪温度计", "三四年级"))
    backend.delete("resource", "7")
    kinds = [r[0] for r in client.requests]
    assert "index" in kinds and ("delete", "t", "resource:7") in client.requests
    written = next(r for r in client.requests if r[0] == "index")
    assert written[2] == "resource:7" and written[3]["title_tokens"] == "情绪 温度 温度计"


def test_typeahead_reads_the_completion_options(backend, monkeypatch):
    client = FakeClient(
        options=[
            {
                "text": "情绪温度计",
                "_source": {"title": "情绪温度计：我会调节坏心情"},
                "_score": 1.0,
                "_index": "t",
                "_id": "resource:1",
            }
        ]
    )
    use(monkeypatch, client)
    assert backend.suggest("情绪") == ["情绪温度计：我会调节坏心情"]
    assert backend.suggest(" ") == []
    body = backend.suggest_body("情绪")
    assert body["suggest"]["titles"] == {"prefix": "情绪", "completion": {"field": "suggest", "size": 8}}
