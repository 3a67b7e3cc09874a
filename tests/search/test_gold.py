"""The gold set: real teacher queries on the demo library, precision@5 >= 0.8 (MRR reported)."""

import pytest

from bench.search_quality import PRECISION_FLOOR, ask_service, gold_queries, measure
from resources import demo
from resources.models import ResourcePage


@pytest.mark.django_db
def test_gold_queries_find_the_right_resources_first(capsys):
    demo.load()
    titles = set(ResourcePage.objects.values_list("title", flat=True))
    queries = gold_queries()
    assert len(queries) >= 50
    for item in queries:  # every expected title exists, or the set tests nothing
        assert set(item["expect"]) <= titles, item
    figures = measure(ask_service, queries)
    with capsys.disabled():
        print(
            f"\ngold set: P@5 {figures['precision@5']:.3f}  R@10 {figures['recall@10']:.3f}  "
            f"MRR {figures['mrr']:.3f}  nDCG@10 {figures['ndcg@10']:.3f}"
        )
    assert figures["precision@5"] >= PRECISION_FLOOR, figures["misses"]
    assert figures["mrr"] >= PRECISION_FLOOR, figures["misses"]
