"""The public site: home page in Chinese, section navigation, page types, errors."""

import pytest

from django.test import Client

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.core.models import StandardPage
from cms.home.models import HomePage
from tests.auth import MfaClient, login_with_mfa


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def sections(home):
    for slug, title in [
        ("training", "教师研修"),
        ("resources", "资源库"),
        ("parents", "家长学校"),
        ("campaigns", "宣传活动"),
    ]:
        home.add_child(instance=StandardPage(title=title, slug=slug))
    return home


def test_home_page_is_served_in_chinese(client, home):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "心育研修平台" in body
    assert "登录" in body
    assert "12355" in body  # hotlines in the footer


def test_navigation_lists_the_sections(client, sections):
    body = client.get("/").content.decode()
    for label in ("教师研修", "资源库", "家长学校", "宣传活动"):
        assert label in body
    assert "管理报表" not in body  # anonymous users get no report link


def test_reports_link_only_for_coordinators(client, sections, teacher, city_coordinator, password):
    client.login(username=teacher.user.username, password=password)
    assert "管理报表" not in client.get("/").content.decode()
    client.logout()
    login_with_mfa(client, city_coordinator)
    assert "管理报表" in client.get("/").content.decode()


def test_english_is_available(client, sections):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "Teacher training" in body
    assert '<html lang="en">' in body


def test_unknown_page_gives_chinese_404(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_static_css_is_served_locally(client, home):
    body = client.get("/").content.decode()
    assert "/static/css/site.css" in body
    assert "http://" not in body.split("<body")[0].replace("http://www.w3.org", "")
    assert "cdn" not in body.lower()


def test_default_site_points_at_home(home):
    assert Site.objects.get(is_default_site=True).root_page.specific == home


class TestPageTypes(WagtailPageTestCase):
    client_class = MfaClient  # assertPageIsPreviewable logs a superuser in by itself

    def test_home_page_holds_standard_pages_and_catalogues(self):
        from cms.campaigns.models import CampaignIndexPage
        from cms.help.models import ExpertIndexPage, HelpPage
        from courses.models import CourseIndexPage

        self.assertAllowedSubpageTypes(
            HomePage, {StandardPage, CourseIndexPage, CampaignIndexPage, HelpPage, ExpertIndexPage}
        )

    def test_home_page_only_under_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_page_renders_and_previews(self):
        home = HomePage.objects.get()
        page = home.add_child(
            instance=StandardPage(title="心理健康教育活动月", slug="month", introduction="<p>活动安排</p>")
        )
        self.assertPageIsRenderable(page)
        self.assertPageIsPreviewable(
            page,
            post_data=nested_form_data(
                {
                    "title": "心理健康教育活动月",
                    "slug": "month",
                    "introduction": rich_text("<p>活动安排</p>"),
                    "body": streamfield([("paragraph", rich_text("<p>十月开展</p>"))]),
                }
            ),
        )
        response = Client().get(page.url)
        self.assertContains(response, "心理健康教育活动月")
        self.assertContains(response, "活动安排")


def test_chinese_even_when_the_browser_asks_for_english(client, home):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body
