"""What every backend must answer the same way (database always; Elasticsearch when configured)."""

from django.http import QueryDict

from search.query import SearchQuery

from .conftest import doc

KEYS = ["source", "resource_type", "grade_band", "topic", "audience"]


def ask(backend, params: str):
    return backend.search(SearchQuery.from_params(QueryDict(params)), KEYS)


def titles(results) -> list[str]:
    return [h.title for h in results.hits]


def test_a_word_finds_what_contains_it_and_the_title_ranks_first(documents):
    results = ask(documents, "q=情绪")
    assert set(titles(results)) == {"认识我的情绪小怪兽", "ABC情绪模型：换个想法换种心情", "情绪管理主题班会"}
    results = ask(documents, "q=情绪管理")
    assert titles(results)[0] == "情绪管理主题班会"


def test_every_word_is_needed_and_otherwise_some_words_are_said_to_match(documents):
    results = ask(documents, "q=考前焦虑 放松训练")
    assert titles(results) == ["考前焦虑不用怕"] and results.matched_all_words
    results = ask(documents, "q=考前焦虑 小怪兽")
    assert not results.matched_all_words
    # 考试焦虑 (in 中考冲刺's summary) is a synonym of 考前焦虑.
    assert set(titles(results)) == {"考前焦虑不用怕", "认识我的情绪小怪兽", "中考冲刺减压团体辅导"}


def test_synonyms_find_each_other(documents):
    assert titles(ask(documents, "q=班团队会")) == ["情绪管理主题班会"]
    assert set(titles(ask(documents, "q=考试焦虑"))) == {"考前焦虑不用怕", "中考冲刺减压团体辅导"}


def test_facet_counts_are_beside_each_value_and_disjunctive(documents):
    results = ask(documents, "q=情绪&grade_band=junior")
    assert results.total == 2
    # The grade facet counts as if no grade were ticked; the others count within 初中.
    assert results.facet_counts["grade_band"] == {"junior": 2, "primary_lower": 1, "senior": 1}
    assert results.facet_counts["resource_type"] == {"lesson_plan": 1, "activity_plan": 1}
    assert results.facet_counts["source"] == {"resource": 2}


def test_filters_without_words_and_several_values_of_one_facet(documents):
    results = ask(documents, "topic=stress")
    assert results.total == 2
    results = ask(documents, "grade_band=senior&grade_band=primary_lower")
    assert set(titles(results)) == {"认识我的情绪小怪兽", "情绪管理主题班会", "考前焦虑不用怕"}
    assert ask(documents, "source=course").total == 1
    assert ask(documents, "audience=parents").total == 1


def test_sorting_by_newest_and_most_downloaded(documents):
    assert titles(ask(documents, "sort=newest"))[0] == "青春期亲子沟通"
    assert titles(ask(documents, "sort=downloads"))[:2] == ["考前焦虑不用怕", "情绪管理主题班会"]
    # Without words, featured resources come first.
    assert titles(ask(documents, ""))[0] == "ABC情绪模型：换个想法换种心情"


def test_pagination(documents):
    query = SearchQuery(text="", per_page=4, page=2)
    results = documents.search(query, KEYS)
    assert results.total == 6 and len(results.hits) == 2 and results.num_pages == 2


def test_update_replaces_and_delete_removes(documents):
    documents.upsert(doc(1, "独一无二的我", "自我认识"))
    assert ask(documents, "q=小怪兽").total == 0
    assert ask(documents, "q=独一无二").total == 1
    documents.delete("resource", "1")
    assert ask(documents, "q=独一无二").total == 0
    assert documents.count() == 5
    assert documents.ids("course") == {"6"}


def test_typeahead_suggests_titles(documents):
    assert documents.suggest("情绪管理") == ["情绪管理主题班会"]
    assert "考前焦虑不用怕" in documents.suggest("考前")
    assert documents.suggest("   ") == []


def test_long_and_hostile_text_is_harmless(documents):
    for q in ["情" * 2000, "' OR 1=1 --", "a & b | !c", "(((", "*:*", "\\", "%_%"]:
        results = ask(documents, "q=" + q.replace("&", "%26"))
        assert results.total >= 0
