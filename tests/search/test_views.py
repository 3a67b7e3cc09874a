"""The search page and typeahead: bad input gives a clear page, never a 500; only public content."""

import pytest

from django.urls import reverse

from wagtail.models import PageViewRestriction

from search import services
from search.models import SearchEntry
from tests.factories import ResourcePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(resource, django_capture_on_commit_callbacks):
    """The resource fixture, indexed the way publishing does it (Celery task after commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        resource.save_revision().publish()
    return resource


def search(client, **params):
    return client.get(reverse("search:search"), params)


def test_a_query_shows_highlighted_hits_with_facet_counts(client, indexed):
    response = search(client, q="情绪")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark>情绪</mark>温度计" in body
    assert "共 1 条结果" in body
    assert 'name="grade_band" value="junior"' in body and "初中" in body
    assert 'class="facet-count">1<' in body


@pytest.mark.parametrize(
    "q",
    ["", "情" * 2000, "！？。，", "' OR 1=1; --", "a & b | !c:*", "😀🎉", "<script>alert(1)</script>", "\\"],
)
def test_bad_queries_give_a_clear_page(client, indexed, q):
    response = search(client, q=q)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_punctuation_or_emoji_only_says_there_is_nothing_to_look_for(client, indexed):
    body = search(client, q="😀！").content.decode()
    assert "没有可搜索的词" in body


def test_zero_results_suggest_other_topics(client, indexed):
    body = search(client, q="量子力学").content.decode()
    assert "没有找到" in body and "?q=%E6%83%85%E7%BB%AA%E7%AE%A1%E7%90%86" in body  # 情绪管理


@pytest.mark.parametrize(
    "params",
    [
        {"page": "999"},
        {"page": "abc"},
        {"page": "-3"},
        {"grade_band": "nonsense"},
        {"topic": "x" * 300},
        {"sort": "drop"},
    ],
)
def test_odd_parameters_are_ignored_or_clamped(client, indexed, params):
    response = search(client, q="情绪", **params)
    assert response.status_code == 200
    assert "温度计：我会调节坏心情" in response.content.decode()


def test_unpublished_and_private_resources_never_appear_in_results_or_suggestions(
    client, library, indexed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = ResourcePageFactory(parent=library, title="情绪草稿教案", live=False)
        services.update("resource", str(draft.pk))
    assert "情绪草稿教案" not in search(client, q="情绪").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=indexed, restriction_type="login")
    assert not SearchEntry.objects.filter(object_id=str(indexed.pk)).exists()
    assert search(client, q="情绪温度计").content.decode().count("情绪温度计：我会调节坏心情") == 0
    assert client.get(reverse("search:suggest"), {"q": "情绪"}).json() == {"suggestions": []}


def test_unpublish_delete_and_republish_follow_the_page(library, indexed, django_capture_on_commit_callbacks):
    key = {"source": "resource", "object_id": str(indexed.pk)}
    assert SearchEntry.objects.filter(**key).exists()
    with django_capture_on_commit_callbacks(execute=True):
        indexed.unpublish()
    assert not SearchEntry.objects.filter(**key).exists()
    with django_capture_on_commit_callbacks(execute=True):
        indexed.save_revision().publish()
    assert SearchEntry.objects.filter(**key).exists()
    with django_capture_on_commit_callbacks(execute=True):
        indexed.delete()
    assert not SearchEntry.objects.filter(**key).exists()


def test_a_private_library_section_hides_every_resource_under_it(library, indexed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=library, restriction_type="login")
    assert not SearchEntry.objects.filter(object_id=str(indexed.pk)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert SearchEntry.objects.filter(object_id=str(indexed.pk)).exists()


def test_a_move_reindexes_the_resources_under_the_moved_page(library, indexed, django_capture_on_commit_callbacks):
    SearchEntry.objects.filter(object_id=str(indexed.pk)).update(url="/old/")
    with django_capture_on_commit_callbacks(execute=True):
        indexed.move(library, pos="first-child")
    assert SearchEntry.objects.get(object_id=str(indexed.pk)).url == indexed.url


def test_typeahead_returns_matching_titles(client, indexed):
    response = client.get(reverse("search:suggest"), {"q": "情绪温"})
    assert response.json() == {"suggestions": ["情绪温度计：我会调节坏心情"]}
    assert client.get(reverse("search:suggest"), {"q": ""}).json() == {"suggestions": []}
    assert client.get(reverse("search:suggest"), {"q": "%" * 500}).status_code == 200


def test_rebuild_command_indexes_everything_and_drops_stale_entries(indexed, capsys):
    from django.core.management import call_command

    SearchEntry.objects.create(source="resource", object_id="999999", title="已删除的资源", url="/x/")
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "1/1" in out and "Indexed" in out
    assert set(SearchEntry.objects.values_list("object_id", flat=True)) == {str(indexed.pk)}
