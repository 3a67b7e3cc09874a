"""The database backend at scale: two facet filters counted in one scan, and on PostgreSQL the
sampled path (very many matches) that estimates counts and ranks a candidate pool (docs/search.md)."""

import pytest

from django.db import connection
from django.urls import reverse

from search import services
from search.backends import database
from search.query import Results, SearchQuery

from .test_backends import ask, titles

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the sampled path is PostgreSQL's")


def test_two_filters_count_each_facet_under_the_other_filter_only(documents):
    results = ask(documents, "grade_band=junior&topic=stress")
    assert titles(results) == ["中考冲刺减压团体辅导"] and results.total == 1
    # 学段 counts within 压力 (考前焦虑 is 高中, 中考冲刺 初中); 主题 counts within 初中.
    assert results.facet_counts["grade_band"] == {"junior": 1, "senior": 1}
    assert results.facet_counts["topic"] == {"emotion": 2, "stress": 1}
    assert results.facet_counts["resource_type"] == {"activity_plan": 1}
    assert not results.approximate


@pytest.mark.parametrize("n, shown", [(7, 7), (99.6, 100), (1249, 1200), (16262, 16000), (103_456, 100_000)])
def test_estimates_keep_two_significant_figures(n, shown):
    assert database._round_estimate(n) == shown


@postgres_only
@pytest.mark.parametrize(
    "params",
    ["q=情绪", "q=情绪&grade_band=junior", "q=考前焦虑 小怪兽", "grade_band=junior&topic=stress", "q=情绪&sort=newest"],
)
def test_the_sampled_path_answers_like_the_exact_one_when_the_sample_is_the_whole_table(documents, monkeypatch, params):
    exact = ask(documents, params)
    # A sample of (nearly) every page, and "very many" from the first match on.
    monkeypatch.setattr(database, "_sample_fraction", lambda: 0.9999999)
    monkeypatch.setattr(database, "APPROXIMATE_ABOVE", 1)
    sampled = ask(documents, params)
    assert sampled.approximate
    assert sampled.total == exact.total and sampled.facet_counts == exact.facet_counts
    # The candidate pool (most downloaded and newest) holds every match here: the same order.
    assert titles(sampled) == titles(exact)
    assert sampled.matched_all_words == exact.matched_all_words


@postgres_only
def test_ranking_counts_the_words_in_title_and_text_like_ts_rank(documents):
    """Positionless tsvectors: ts_rank is proportional to the number of query words a row holds,
    so ordering by that count (what the backend does) is ordering by ts_rank."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, ts_rank(search_vector, %s::tsquery) FROM xinyu_search_searchentry ORDER BY title",
            ["'情绪' | '管理' | '主题班会'"],
        )
        ranks = dict(cursor.fetchall())
    assert ranks["情绪管理主题班会"] > ranks["认识我的情绪小怪兽"] > ranks["考前焦虑不用怕"] == 0
    results = ask(documents, "q=情绪 主题班会")
    assert titles(results)[0] == "情绪管理主题班会"


def test_the_page_says_when_counts_are_estimates(client, monkeypatch):
    def estimated(query: SearchQuery) -> Results:
        return Results(query, [], 16000, {"source": {"resource": 16000}}, approximate=True)

    monkeypatch.setattr(services, "search", estimated)
    body = client.get(reverse("search:search"), {"q": "初中"}).content.decode()
    assert "约 16000 条结果" in body and "data-approximate" in body


def test_exact_counts_are_not_called_estimates(client, monkeypatch):
    monkeypatch.setattr(services, "search", lambda query: Results(query, [], 3, {"source": {"resource": 3}}))
    body = client.get(reverse("search:search"), {"q": "初中"}).content.decode()
    assert "共 3 条结果" in body and "data-approximate" not in body and "约 3" not in body
