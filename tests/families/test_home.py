"""The home page: a way in for each audience, the current campaign, and the anonymous cache."""

import pytest

from django.test import Client

from tests.auth import login_with_mfa
from tests.factories import ParentProfileFactory

from .conftest import make_campaign

pytestmark = pytest.mark.django_db


def test_the_home_page_leads_each_audience_somewhere(client, campaign_index, help_page):
    page = client.get("/").content.decode()
    assert 'href="/family/join/"' in page  # parents register
    assert 'href="/manage/reports/"' in page  # coordinators
    assert 'href="/help/"' in page  # someone who needs help now


def test_anonymous_visitors_get_the_cached_page_until_something_is_published(campaign_index):
    client = Client()
    first = client.get("/")
    assert first["X-Home-Cache"] == "miss"
    second = client.get("/")
    assert second["X-Home-Cache"] == "hit"
    assert "新的宣传活动" not in second.content.decode()

    make_campaign(campaign_index, slug="new", title="新的宣传活动")  # publishing empties the cache
    third = client.get("/")
    assert third["X-Home-Cache"] == "miss"
    assert "新的宣传活动" in third.content.decode()


def test_the_cached_page_carries_each_visitors_own_csrf_token(campaign_index):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    page = second.get("/")
    assert page["X-Home-Cache"] == "hit"
    token = second.cookies["csrftoken"].value
    assert token
    assert "__XINYU_CSRF_TOKEN__" not in page.content.decode()
    # The language form on the cached page works for the second visitor.
    import re

    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": form_token})
    assert switched.status_code == 302


def test_signed_in_visitors_and_one_off_messages_bypass_the_cache(client, campaign_index, password):
    parent = ParentProfileFactory().user
    login_with_mfa(client, parent)
    assert "X-Home-Cache" not in client.get("/")
    client.logout()
    assert client.get("/?utm=x").get("X-Home-Cache") is None  # query strings are not cached


def test_unpublishing_also_empties_the_cache(campaign_index):
    page = make_campaign(campaign_index, slug="gone", title="将撤下的活动")
    client = Client()
    assert "将撤下的活动" in client.get("/").content.decode()
    page.unpublish()
    assert "将撤下的活动" not in client.get("/").content.decode()


def test_the_newest_resources_come_through_the_settings_hook(client, campaign_index, settings):
    settings.HOME_NEWEST_RESOURCES = "tests.families.test_home.two_resources"
    assert "情绪调节活动课教案" in client.get("/").content.decode()
    settings.HOME_NEWEST_RESOURCES = ""
    from cms.home.models import newest_resources

    assert newest_resources() == []


def two_resources(limit):
    from types import SimpleNamespace

    return [SimpleNamespace(title="情绪调节活动课教案", url="/resources/1/"), SimpleNamespace(title="x", url="/r/2/")]
