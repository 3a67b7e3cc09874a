"""Hotlines are tap-to-call and never break inside a number (issue 12, details)."""

import pytest

from django.template import Context, Template

from cms.core.templatetags.hotlines import hotline_links


def test_each_hotline_is_a_tel_link_kept_whole():
    html = str(hotline_links("12355、966525、0791-88330120"))
    assert html.count('href="tel:') == 3
    assert 'href="tel:079188330120">0791-88330120</a>' in html
    assert html.count('class="tel nowrap"') == 3
    assert "<script>" not in str(hotline_links("<script>1</script>12355"))


@pytest.mark.django_db
def test_every_page_footer_carries_the_links(client):
    page = client.get("/accounts/login/")
    assert 'href="tel:12355"' in page.text and 'href="tel:079188330120"' in page.text


def test_the_filter_is_escaped_in_templates():
    out = Template("{% load hotlines %}{{ v|hotline_links }}").render(Context({"v": '12355 "><b>'}))
    assert "<b>" not in out
