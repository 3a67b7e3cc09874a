"""Campaign pages on the one search page (issue 13): published and public ones only, kept in step on
publish / unpublish / delete, with 宣传活动 as the source facet and the audience facet."""

import pytest

from django.urls import reverse

from wagtail.models import PageViewRestriction

from cms.campaigns import search as campaign_search
from search.models import SearchEntry

from .conftest import make_campaign

pytestmark = pytest.mark.django_db


def _search(client, **params):
    return client.get(reverse("search:search"), params).content.decode()


def test_a_published_campaign_is_found_with_its_facets(client, campaign_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_campaign(campaign_index, summary="全市中小学开展心理健康宣传", audience="parents")
    entry = SearchEntry.objects.get(source="campaign", object_id=str(page.pk))
    assert entry.facets == {"audience": ["parents"]} and entry.featured  # on now
    body = _search(client, q="世界精神卫生日")
    assert f'href="{page.url}"' in body and 'name="source" value="campaign"' in body and "宣传活动" in body
    assert "共 1 条结果" in _search(client, q="心理健康宣传", source="campaign", audience="parents")
    assert "共 1 条结果" not in _search(client, q="心理健康宣传", audience="teachers")


def test_drafts_private_and_unpublished_campaigns_are_not_found(
    client, campaign_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_campaign(campaign_index, slug="draft", title="草稿里的宣传周", publish=False)
        draft.save_revision()
    assert campaign_search.search_document(str(draft.pk)) is None
    assert "/campaigns/draft/" not in _search(client, q="宣传周")

    with django_capture_on_commit_callbacks(execute=True):
        page = make_campaign(campaign_index, slug="later-off", title="开学季心理调适周")
    assert f'href="{page.url}"' in _search(client, q="心理调适周")  # (the title comes highlighted)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert not SearchEntry.objects.filter(source="campaign", object_id=str(page.pk)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        private = make_campaign(campaign_index, slug="private", title="内部的家庭教育宣传周")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert campaign_search.search_document(str(private.pk)) is None
    with django_capture_on_commit_callbacks(execute=True):
        private.delete()
    assert not SearchEntry.objects.filter(source="campaign", object_id=str(private.pk)).exists()
