"""求助: hotlines on every public page (tap-to-call, whole numbers), stations by district, experts."""

import pytest

from django.urls import reverse

from cms.core.templatetags.hotlines import hotline_numbers
from cms.help.models import CounsellingStation, Expert, ExpertIndexPage
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

HOTLINES = ["12355", "966525", "0791-88330120"]


def test_the_setting_splits_into_tap_to_call_numbers():
    assert hotline_numbers("12355、966525，0791-88330120") == [
        {"number": "12355", "tel": "12355"},
        {"number": "966525", "tel": "966525"},
        {"number": "0791-88330120", "tel": "079188330120"},
    ]
    assert hotline_numbers("") == []


@pytest.mark.parametrize(
    "url", ["/", "/help/", "/campaigns/", "/family/join/", "/family/privacy/", "/accounts/login/", "/no-such-page/"]
)
def test_hotlines_are_on_every_public_page_as_tel_links(client, help_page, campaign_index, url):
    body = client.get(url).content.decode()
    for number in HOTLINES:
        tel = number.replace("-", "")
        # In the strip at the top, as a link that never wraps (a.hotline is white-space: nowrap).
        assert f'<a class="hotline" href="tel:{tel}">{number}</a>' in body, (url, number)


def test_hotline_links_do_not_wrap():
    from django.contrib.staticfiles import finders

    with open(finders.find("css/site.css"), encoding="utf-8") as f:
        css = f.read()
    assert "a.hotline { white-space: nowrap;" in css


def test_the_help_page_lists_the_city_centre_and_filters_stations_by_district(client, help_page):
    east, west = DistrictFactory(name="东湖区"), DistrictFactory(name="西湖区")
    CounsellingStation.objects.create(
        name="市未成年人心理健康辅导中心", address="红谷滩", phone="0791-88330120", duty_hours="全天"
    )
    CounsellingStation.objects.create(
        name="东湖区心理辅导站", district=east, address="八一大道", phone="0791-86661234", duty_hours="工作日"
    )
    CounsellingStation.objects.create(
        name="西湖区心理辅导站", district=west, address="孺子路", phone="0791-86662345", duty_hours="工作日"
    )
    page = client.get("/help/").content.decode()
    assert "东湖区心理辅导站" in page and "西湖区心理辅导站" in page
    assert page.index("市未成年人心理健康辅导中心") < page.index("东湖区心理辅导站")  # the city's centre first
    assert 'href="tel:079186661234"' in page
    filtered = client.get(f"/help/?district={east.pk}").content.decode()
    assert "东湖区心理辅导站" in filtered and "西湖区心理辅导站" not in filtered
    assert "市未成年人心理健康辅导中心" in filtered  # always shown
    assert client.get("/help/?district=abc").status_code == 200  # a forged filter is ignored


def test_the_expert_directory_filters_by_area_and_hides_unlisted(client, help_page):
    directory = ExpertIndexPage(title="专家库", slug="experts")
    help_page.add_child(instance=directory)
    directory.save_revision().publish()
    Expert.objects.create(name="陈静", organisation="江西师范大学", areas=["adolescence"], bio="青少年发展")
    Expert.objects.create(name="刘洋", organisation="市第三医院", areas=["psychiatry", "crisis"])
    Expert.objects.create(name="隐藏专家", organisation="某单位", areas=["family"], listed=False)
    page = client.get("/help/experts/").content.decode()
    assert "陈静" in page and "刘洋" in page and "隐藏专家" not in page
    crisis = client.get("/help/experts/?area=crisis").content.decode()
    assert "刘洋" in crisis and "陈静" not in crisis
    assert "陈静" in client.get("/help/experts/?area=<script>").content.decode()
    assert "/help/experts/" in client.get("/help/").content.decode()


def test_the_nav_leads_to_help(client, help_page):
    assert 'href="/help/"' in client.get(reverse("family:privacy")).content.decode()


def test_an_expert_is_shown_as_author_on_the_course_and_in_the_directory(client, home, help_page):
    from cms.help.models import ExpertAuthorship
    from tests.factories import CourseIndexPageFactory, CoursePageFactory

    catalogue = CourseIndexPageFactory(parent=home, slug="parents")
    course = CoursePageFactory(parent=catalogue, title="读懂青春期", slug="adolescence", parent_age_stages=["junior"])
    directory = ExpertIndexPage(title="专家库", slug="experts")
    help_page.add_child(instance=directory)
    directory.save_revision().publish()
    expert = Expert.objects.create(name="张蕾", organisation="市家庭教育指导中心", title="指导师", areas=["family"])
    hidden = Expert.objects.create(name="隐藏专家", organisation="某单位", listed=False)
    ExpertAuthorship.objects.create(expert=expert, page=course)
    ExpertAuthorship.objects.create(expert=hidden, page=course)
    page = client.get(course.url).content.decode()
    assert "张蕾（指导师）" in page and "隐藏专家" not in page
    listing = client.get("/help/experts/").content.decode()
    assert f'href="{course.url}"' in listing
