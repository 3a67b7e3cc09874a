"""The demo run (`make run`, cms.settings.dev) shows the designed error pages, never Django's
debug page with the URL list; no page asks gravatar.com for an avatar."""

import importlib

import pytest

from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.auth import login_with_mfa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_settings_turn_debug_off_but_still_serve_static_and_media(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    import cms.settings.dev as dev

    dev = importlib.reload(dev)
    assert dev.DEBUG is False
    assert dev.WHITENOISE_USE_FINDERS is True  # static files without collectstatic
    assert dev.SERVE_MEDIA is True


def test_a_missing_page_is_the_designed_404(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回首页" in html
    assert "URLconf" not in html and "Using the URLconf" not in html


def test_the_500_page_is_designed_and_standalone():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in html and 'href="/static/css/site.css"' in html and "返回首页" in html
    assert "Traceback" not in html


def test_no_page_calls_gravatar(client, teacher):
    editor = UserFactory(username="editor-g", email="editor@example.cn", is_superuser=True, is_staff=True)
    login_with_mfa(client, editor)
    admin_pages = [reverse("wagtailadmin_home"), reverse("wagtailadmin_account"), reverse("wagtailusers_users:index")]
    for url in ["/", *admin_pages]:
        html = client.get(url).content.decode()
        assert "gravatar" not in html.lower(), url
    client.force_login(teacher.user)
    for url in ["/", reverse("accounts:profile"), reverse("tracking:dashboard")]:
        assert "gravatar" not in client.get(url).content.decode().lower(), url
