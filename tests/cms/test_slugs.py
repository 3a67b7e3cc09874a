"""New pages get readable pinyin slugs from Chinese titles, in code and in the admin."""

import pytest

from django.urls import reverse

from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.core.models import StandardPage
from cms.core.slugs import pinyin_slug
from tests.auth import login_with_mfa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _home() -> Page:
    return Site.objects.get(is_default_site=True).root_page


def test_pinyin_slug_reads_polyphones_and_keeps_numbers():
    assert pinyin_slug("心理危机识别与干预") == "xin-li-wei-ji-shi-bie-yu-gan-yu"
    assert pinyin_slug("重庆 长大") == "chong-qing-zhang-da"
    assert pinyin_slug("专职教师40学时") == "zhuan-zhi-jiao-shi-40-xue-shi"
    assert pinyin_slug("Lesson 1") == "lesson-1"
    long = pinyin_slug("心理" * 60)
    assert len(long) <= 80 and set(long.split("-")) == {"xin", "li"}  # whole syllables


def test_pages_created_in_code_get_pinyin_slugs_and_stay_unique():
    home = _home()
    first = home.add_child(instance=StandardPage(title="心理健康教育活动月"))
    second = home.add_child(instance=StandardPage(title="心理健康教育活动月"))
    given = home.add_child(instance=StandardPage(title="世界精神卫生日", slug="世界精神卫生日"))
    english = home.add_child(instance=StandardPage(title="心理热线", slug="hotlines"))
    assert first.slug == "xin-li-jian-kang-jiao-yu-huo-dong-yue"
    assert second.slug == "xin-li-jian-kang-jiao-yu-huo-dong-yue-2"
    assert given.slug == "shi-jie-jing-shen-wei-sheng-ri"
    assert english.slug == "hotlines"
    assert first.url == "/xin-li-jian-kang-jiao-yu-huo-dong-yue/"


def test_existing_pages_keep_their_slug_when_edited():
    page = _home().add_child(instance=StandardPage(title="旧页面", slug="jiu"))
    Page.objects.filter(pk=page.pk).update(slug="旧页面", url_path=page.url_path.replace("jiu", "旧页面"))
    page = StandardPage.objects.get(pk=page.pk)
    page.title = "旧页面（修订）"
    page.save_revision().publish()
    assert StandardPage.objects.get(pk=page.pk).slug == "旧页面"


def test_the_admin_turns_the_title_synced_slug_into_pinyin(client):
    login_with_mfa(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    home = _home()
    data = nested_form_data(
        {
            "title": "家庭教育宣传周",
            "slug": "家庭教育宣传周",  # what the admin's title→slug sync fills in
            "introduction": rich_text(""),
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:add", args=["core", "standardpage", home.pk]), data)
    assert response.status_code == 302
    page = StandardPage.objects.get(title="家庭教育宣传周")
    assert page.slug == "jia-ting-jiao-yu-xuan-chuan-zhou"
    assert client.get("/jia-ting-jiao-yu-xuan-chuan-zhou/").status_code == 200
