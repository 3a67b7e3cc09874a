"""Content-Security-Policy (issue 9 item 9): scripts and styles from our origin only, no inline
script, framed only by ourselves; the Wagtail admin gets its documented exceptions."""

import re

import pytest
from bs4 import BeautifulSoup

from django.test import override_settings
from django.urls import reverse

from cms.core.csp import path_exception
from tests.auth import login_with_mfa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_site_pages_allow_only_our_origin(client, teacher):
    login_with_mfa(client, teacher.user)
    policy = directives(client.get(reverse("start")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_login_and_error_pages_have_the_policy_too(client):
    assert "'unsafe-inline'" not in client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


def test_the_admin_gets_its_documented_exceptions(client):
    login_with_mfa(client, UserFactory(is_superuser=True, is_staff=True))
    policy = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in policy["script-src"] and "'self'" in policy["script-src"]
    assert "blob:" in policy["img-src"]
    assert policy["frame-ancestors"] == ["'self'"]


@override_settings(
    CSP_PATH_EXCEPTIONS={
        "/admin/": {"why": "admin", "add": {"script-src": ["'unsafe-inline'"]}},
        "/admin/h5p/": {"why": "player", "add": {"script-src": ["'unsafe-eval'"]}},
    }
)
def test_the_longest_prefix_decides():
    assert path_exception("/admin/h5p/7/") == {"script-src": ["'unsafe-eval'"]}
    assert path_exception("/admin/pages/") == {"script-src": ["'unsafe-inline'"]}
    assert path_exception("/learn/") is None


INLINE_HANDLER = re.compile(r"^on[a-z]+$")


def assert_no_inline_code(html: str, url: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") == "application/json", (url, str(script)[:120])
    for tag in soup.find_all(True):
        assert not tag.has_attr("style"), (url, str(tag)[:120])
        assert not [a for a in tag.attrs if INLINE_HANDLER.match(a)], (url, str(tag)[:120])
        assert not str(tag.get("href", "")).startswith("javascript:"), (url, str(tag)[:120])
    assert not soup.find_all("style"), url


def test_our_pages_carry_no_inline_script_handler_or_style(client, teacher, school_coordinator, training_year):
    pages = {teacher.user: [reverse("start"), reverse("tracking:dashboard"), reverse("accounts:profile"), "/"]}
    pages[school_coordinator] = [reverse("manage:index"), reverse("ledger:manage"), reverse("reports:index")]
    for user, urls in pages.items():
        login_with_mfa(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_no_inline_code(response.content.decode(), url)
    client.logout()
    for url in (reverse("account_login"), reverse("account_reset_password"), "/no-such-page/"):
        assert_no_inline_code(client.get(url).content.decode(), url)
