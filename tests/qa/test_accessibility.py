"""What Wagtail's accessibility checker flagged for editors on every page of the demo."""

import re

import pytest

from cms.home.models import HomePage

pytestmark = pytest.mark.django_db


def test_no_empty_meta_description(client):
    """A page without a search description gets no description tag rather than an empty one."""
    home = HomePage.objects.get()
    home.search_description = ""
    home.save_revision().publish()
    body = client.get("/").content.decode()
    assert '<meta name="description" content="">' not in body


def test_meta_description_when_the_editor_wrote_one(client):
    home = HomePage.objects.get()
    home.search_description = "南昌市中小学心理健康教育教师研修平台"
    home.save_revision().publish()
    body = client.get("/").content.decode()
    assert '<meta name="description" content="南昌市中小学心理健康教育教师研修平台">' in body


def test_home_headings_do_not_skip_a_level(client):
    home = HomePage.objects.get()
    home.body = [("cards", {"cards": [{"title": "教师研修", "text": "分层分类", "page": None, "url": ""}]})]
    home.save_revision().publish()
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", client.get("/").content.decode())]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_pages_name_a_favicon_that_is_served(client):
    """Browsers asked for /favicon.ico on every visit and got a 404."""
    body = client.get("/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)"', body).group(1)
    assert client.get(href).status_code == 200
