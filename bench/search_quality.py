"""Search quality on the demo library against the gold set (bench/data/search_gold.json).

Loads the demo library (resources.demo), asks every gold query through the search service and
measures precision@5 (relevant in the top 5 / min(5, expected)), recall@10, MRR and nDCG@10
(binary relevance). tests/search/test_gold.py holds the same figures to precision@5 >= 0.8.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

from bench import record

GOLD = Path(__file__).resolve().parent / "data" / "search_gold.json"
PRECISION_FLOOR = 0.8


def gold_queries() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8"))["queries"]


def measure(ask: Callable[[str], list[str]], queries: list[dict] | None = None) -> dict:
    """`ask(query) -> ranked titles`; returns the mean of each metric and the per-query misses."""
    queries = queries if queries is not None else gold_queries()
    p5 = r10 = rr = ndcg = 0.0
    misses = []
    for item in queries:
        expected = set(item["expect"])
        ranked = ask(item["q"])
        top5, top10 = ranked[:5], ranked[:10]
        precision = len(expected & set(top5)) / min(5, len(expected))
        p5 += precision
        r10 += len(expected & set(top10)) / len(expected)
        first = next((i for i, title in enumerate(ranked, start=1) if title in expected), None)
        rr += 1 / first if first else 0
        dcg = sum(1 / math.log2(i + 1) for i, title in enumerate(top10, start=1) if title in expected)
        ideal = sum(1 / math.log2(i + 1) for i in range(1, min(10, len(expected)) + 1))
        ndcg += dcg / ideal
        if precision < 1:
            misses.append({"q": item["q"], "precision@5": round(precision, 2), "top5": top5})
    n = len(queries)
    return {
        "queries": n,
        "precision@5": p5 / n,
        "recall@10": r10 / n,
        "mrr": rr / n,
        "ndcg@10": ndcg / n,
        "misses": misses,
    }


def ask_service(query: str) -> list[str]:
    from django.http import QueryDict

    from search import services
    from search.query import SearchQuery

    params = QueryDict(mutable=True)
    params["q"] = query
    results = services.search(SearchQuery.from_params(params))
    return [hit.title for hit in results.hits]


def run() -> list[dict]:
    from resources import demo

    demo.load()
    figures = measure(ask_service)
    detail = f"{figures['queries']} gold queries on the {len(gold_queries())}-query set, demo library of 56 resources"
    return [
        record.measure(
            "search precision@5 (gold set)", figures["precision@5"], "", f">= {PRECISION_FLOOR}", detail=detail
        ),
        record.measure("search recall@10 (gold set)", figures["recall@10"], "", None, detail=""),
        record.measure("search MRR (gold set)", figures["mrr"], "", None, detail=""),
        record.measure("search nDCG@10 (gold set)", figures["ndcg@10"], "", None, detail=""),
    ]
