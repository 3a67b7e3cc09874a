"""The one search page (/search/) and its typeahead (/search/suggest/). Public: the index holds
only what anyone may read (summaries of published, unrestricted pages); files stay behind the
apps' own download views."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import registry, services
from .highlight import mark, snippet
from .query import SORTS, SearchQuery
from .segment import surface_forms

SORT_LABELS = {"relevance": _("Relevance"), "newest": _("Newest"), "downloads": _("Most downloaded")}
# Shown when nothing matched: topics a teacher often looks for (they all have demo resources).
SUGGESTED_QUERIES = ["情绪管理", "人际交往", "考前焦虑", "生涯规划", "青春期", "生命教育"]


@require_GET
def search(request):
    query = SearchQuery.from_params(request.GET)
    results = services.search(query)
    words = surface_forms(query.text)
    facets = []
    for facet in registry.facets():
        counts = results.facet_counts.get(facet.key, {})
        selected = query.filters.get(facet.key, [])
        options = [
            {"value": code, "label": label, "count": counts.get(code, 0), "selected": code in selected}
            for code, label in facet.choices().items()
            if counts.get(code) or code in selected
        ]
        if options:
            facets.append({"key": facet.key, "label": facet.label, "options": options})
    labels = {facet.key: facet.choices() for facet in registry.facets()}
    hits = [
        {
            "hit": hit,
            "title": mark(hit.title, words),
            "snippet": snippet(hit.summary, words),
            "source_label": labels.get(registry.SOURCE_FACET, {}).get(hit.source, ""),
            "tags": [
                labels.get(key, {}).get(v, v)
                for key in ("resource_type", "grade_band")
                for v in hit.facets.get(key, [])
            ],
        }
        for hit in results.hits
    ]
    params = request.GET.copy()
    params.pop("page", None)
    sort_params = request.GET.copy()
    sort_params.pop("sort", None)
    sort_params.pop("page", None)
    context = {
        "query": query,
        "results": results,
        "hits": hits,
        "facets": facets,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "page_query": params.urlencode(),
        "sort_query": sort_params.urlencode(),
        "suggested_queries": SUGGESTED_QUERIES,
        "pages": _page_window(query.page, results.num_pages),
    }
    return render(request, "search/search.html", context)


def _page_window(page: int, num_pages: int, width: int = 2) -> list[int]:
    return list(range(max(1, page - width), min(num_pages, page + width) + 1))


@require_GET
def suggest(request):
    return JsonResponse({"suggestions": services.suggest(request.GET.get("q") or "")})
