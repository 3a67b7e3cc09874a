"""Login by username or e-mail, password reset, rate limits, MFA, no open sign-up."""

import re

import pytest

from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(password):
    return UserFactory(username="zhangwei", email="zhangwei@example.cn", name="张伟")


@pytest.mark.parametrize("login", ["zhangwei", "zhangwei@example.cn"])
def test_login_by_username_or_email(client, user, password, login):
    response = client.post(reverse("account_login"), {"login": login, "password": password})
    assert response.status_code == 302
    page = client.get("/")
    assert "张伟" in page.content.decode()


def test_wrong_password_is_refused_in_chinese(client, user):
    response = client.post(reverse("account_login"), {"login": "zhangwei", "password": "wrong"})
    assert response.status_code == 200
    assert "不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client, user):
    response = client.post(reverse("account_reset_password"), {"email": "zhangwei@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/password/reset/key/[^\s]+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(form_url, {"password1": "new-secret-9876", "password2": "new-secret-9876"})
    assert response.status_code == 302
    assert client.login(username="zhangwei", password="new-secret-9876")


def test_login_failures_are_rate_limited(client, user, password, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for i in range(3):
        client.post(reverse("account_login"), {"login": "zhangwei", "password": f"bad{i}"})
    response = client.post(reverse("account_login"), {"login": "zhangwei", "password": password})
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rate_limits_are_on_in_the_real_settings():
    from cms.settings import base

    assert base.ACCOUNT_RATE_LIMITS["login_failed"]
    assert base.ACCOUNT_RATE_LIMITS["reset_password"]


def test_behind_a_proxy_login_limits_count_per_teacher_address_not_per_proxy(client, user, password, settings):
    """TRUSTED_PROXY_COUNT=1 (one nginx): teachers at different addresses do not share the proxy's bucket."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for i in range(3):
        client.post(
            reverse("account_login"), {"login": "zhangwei", "password": f"bad{i}"}, HTTP_X_FORWARDED_FOR="10.1.1.1"
        )
    # another teacher's address behind the same proxy (REMOTE_ADDR 127.0.0.1 for both) still logs in
    response = client.post(
        reverse("account_login"), {"login": "zhangwei", "password": password}, HTTP_X_FORWARDED_FOR="10.2.2.2"
    )
    assert "登录失败次数过多" not in response.content.decode()
    assert "_auth_user_id" in client.session


def test_totp_mfa_can_be_set_up(client, user, password):
    client.login(username="zhangwei", password=password)
    response = client.get(reverse("mfa_activate_totp"))
    # allauth asks for re-authentication first or shows the QR secret: either way the flow exists
    assert response.status_code in (200, 302)
    assert client.get(reverse("mfa_index")).status_code == 200


def test_open_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "注册" in response.content.decode() or response.status_code == 200
    response = client.post(
        reverse("account_signup"),
        {"username": "x", "email": "x@example.cn", "password1": "pw-123456789", "password2": "pw-123456789"},
    )
    from accounts.models import User

    assert not User.objects.filter(username="x").exists()


def test_profile_shows_teacher_school_and_category(client, teacher, password):
    client.login(username=teacher.user.username, password=password)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert teacher.school.name in body
    assert teacher.staff_number in body
    assert "其他教师" in body


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
