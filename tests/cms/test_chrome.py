"""The site chrome (hotline strip, header, footer) is rendered once and reused (decision 0036):
what a user sees in it is still theirs, current, and its forms still work."""

import re

import pytest

from django.test import Client
from django.urls import reverse

from cms.core.models import SiteSettings
from tests.courses.conftest import home_page, lessons
from tests.factories import CoursePageFactory, EnrolmentFactory, TeacherProfileFactory
from tracking.notices.services import notify

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _learner(course, name):
    teacher = TeacherProfileFactory(user__name=name)
    EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
    client = Client()
    client.force_login(teacher.user)
    return teacher.user, client


def test_two_learners_on_the_same_page_each_see_only_their_own_header(course):
    url = lessons(course)[0].url
    wang, wang_client = _learner(course, "王老师")
    li, li_client = _learner(course, "李老师")
    notify([wang.pk], kind="nudge", period="w1", title="催办", message="请按时学习")
    for _ in range(2):  # the second round is answered from the cache
        wang_page = wang_client.get(url).content.decode()
        li_page = li_client.get(url).content.decode()
        assert "王老师" in wang_page and "李老师" not in wang_page
        assert "李老师" in li_page and "王老师" not in li_page
        assert "我的通知（1）" in wang_page and "我的通知（" not in li_page


def test_the_header_follows_a_new_name_and_the_active_section(client, course, catalogue):
    user, client = _learner(course, "王老师")
    html = client.get(lessons(course)[0].url).content.decode()
    assert f'<a href="{catalogue.url}" aria-current="page">' in html
    search = client.get(reverse("search:search")).content.decode()
    assert f'<a href="{catalogue.url}" aria-current="page">' not in search
    user.name = "王芳老师"
    user.save()
    assert "王芳老师" in client.get(lessons(course)[0].url).content.decode()


def test_a_new_section_page_and_new_hotlines_appear_on_the_next_page(client, course):
    _user, client = _learner(course, "王老师")
    url = lessons(course)[0].url
    assert "/help/" not in client.get(url).content.decode()
    CoursePageFactory(parent=home_page(), slug="help", title="求助")
    assert 'href="/help/"' in client.get(url).content.decode()
    settings = SiteSettings.objects.get()
    settings.hotlines = "12355、400-161-9995"
    settings.save()
    html = client.get(url).content.decode()
    assert 'href="tel:4001619995"' in html and 'href="tel:079188330120"' not in html


def test_the_chrome_forms_carry_this_request_s_token_and_path(course):
    _user, client = _learner(course, "王老师")
    client.handler.enforce_csrf_checks = True
    first, second = lessons(course)
    html = client.get(f"{first.url}?from=home&x=1").content.decode()
    tokens = TOKEN.findall(html)
    assert len(tokens) >= 2 and len(set(tokens)) == 1  # logout and language forms share the page's token
    assert f'name="next" type="hidden" value="{first.url}?from=home&amp;x=1"' in html  # escaped
    other = client.get(second.url).content.decode()
    assert f'name="next" type="hidden" value="{second.url}"' in other
    assert TOKEN.findall(other)[0] != tokens[0]  # masked per request, as Django's own tag does
    response = client.post(
        reverse("set_language"), {"language": "en", "next": second.url, "csrfmiddlewaretoken": tokens[0]}
    )
    assert response.status_code == 302
    english = client.get(second.url).content.decode()
    assert "Log out" in english and "退出登录" not in english
    logout = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": TOKEN.findall(english)[0]})
    assert logout.status_code == 302
    assert client.get(second.url).wsgi_request.user.is_anonymous


def test_an_anonymous_visitor_s_login_link_returns_to_the_page_they_were_on(client, course):
    first, second = lessons(course)
    assert f"?next={first.url}" in client.get(first.url).content.decode()
    html = client.get(second.url).content.decode()
    assert f"?next={second.url}" in html and f"?next={first.url}" not in html
