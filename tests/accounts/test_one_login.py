"""One login for the whole site (issue 9, items 1–3): every login URL leads to allauth's, where
rate limits apply, and coordinators, editors and superusers cannot get a session without TOTP."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.mfa import mfa_required
from accounts.roles import ensure_editor_group
from tests.auth import TEST_TOTP_SECRET, current_code, give_totp, login_with_mfa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every route with "login" in it, and what it does. A new one fails the inventory test below until
# it is added here, and so is covered by the password-posting test.
LOGIN_ROUTES = {
    "accounts/login/": "the login (allauth)",
    "accounts/login/code/confirm/": "allauth's login by e-mailed code (off)",
    "admin/login/": "Wagtail's admin login: hands over to allauth",
    "_util/login/": "Wagtail's private-page login: hands over to allauth",
}


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def test_the_site_has_only_the_login_routes_we_know():
    assert {route for route in _routes(get_resolver().url_patterns) if "login" in route} == set(LOGIN_ROUTES)


def _post_password(client, route: str, user, password: str):
    data = {"login": user.username, "username": user.username, "password": password}
    return client.post("/" + route, data)


@pytest.mark.parametrize("route", sorted(LOGIN_ROUTES))
def test_a_password_alone_gives_a_coordinator_no_session_at_any_login_url(client, city_coordinator, password, route):
    give_totp(city_coordinator)
    response = _post_password(client, route, city_coordinator, password)
    assert "_auth_user_id" not in client.session
    if route == "accounts/login/":
        assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("manage:index")).status_code == 302


@pytest.mark.parametrize("route", ["admin/login/", "_util/login/"])
def test_wagtail_logins_answer_with_the_site_login_and_keep_next(client, route):
    response = client.get("/" + route + "?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fpages%2F"


def test_the_admin_sends_anonymous_visitors_to_the_site_login(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_a_teacher_posting_to_the_admin_login_gets_no_session_either(client, teacher, password):
    _post_password(client, "admin/login/", teacher.user, password)
    assert "_auth_user_id" not in client.session


def test_wagtail_password_pages_are_allauths(client):
    assert client.get("/admin/password_reset/")["Location"] == reverse("account_reset_password")
    assert client.get("/admin/password_reset/done/").status_code == 404
    assert client.get("/admin/password_reset/confirm/MQ/abc-def/").status_code == 404


def test_password_guessing_through_the_admin_login_is_limited_too(client, city_coordinator, settings):
    """The admin login reads no password; guesses go to allauth's login, whose limit holds."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    give_totp(city_coordinator)
    for i in range(3):
        _post_password(client, "admin/login/", city_coordinator, f"bad{i}")
        client.post(reverse("account_login"), {"login": city_coordinator.username, "password": f"bad{i}"})
    response = client.post(reverse("account_login"), {"login": city_coordinator.username, "password": "bad-again"})
    assert "登录失败次数过多" in response.content.decode()


def test_totp_guessing_is_limited(client, city_coordinator, password, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    give_totp(city_coordinator)
    client.post(reverse("account_login"), {"login": city_coordinator.username, "password": password})
    for _ in range(3):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


# --- who must use two-factor ---


def test_who_must_use_two_factor(city_coordinator, district_coordinator, school_coordinator, teacher):
    editor = UserFactory()
    editor.groups.add(ensure_editor_group())
    root = UserFactory(is_superuser=True, is_staff=True)
    assert all(mfa_required(u) for u in (city_coordinator, district_coordinator, school_coordinator, editor, root))
    assert not mfa_required(teacher.user)
    assert not mfa_required(UserFactory())


def test_password_then_code_logs_a_coordinator_in(client, school_coordinator, password):
    give_totp(school_coordinator)
    response = client.post(reverse("account_login"), {"login": school_coordinator.username, "password": password})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "验证" in client.get(reverse("mfa_authenticate")).content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get(reverse("manage:index")).status_code == 200


def test_a_wrong_code_is_refused_in_chinese(client, school_coordinator, password):
    give_totp(school_coordinator)
    client.post(reverse("account_login"), {"login": school_coordinator.username, "password": password})
    response = client.post(reverse("mfa_authenticate"), {"code": "123456" if current_code() != "123456" else "654321"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "代码" in response.content.decode() or "验证码" in response.content.decode()


def test_a_recovery_code_works_once(client, school_coordinator, password):
    give_totp(school_coordinator)
    codes = RecoveryCodes.activate(school_coordinator).generate_codes()
    client.post(reverse("account_login"), {"login": school_coordinator.username, "password": password})
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("manage:index")).status_code == 200
    client.logout()
    client.post(reverse("account_login"), {"login": school_coordinator.username, "password": password})
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # allauth announces the new authenticator on commit, as in production
def test_a_coordinator_without_totp_must_enrol_before_any_page(client, district_coordinator, password):
    response = client.post(reverse("account_login"), {"login": district_coordinator.username, "password": password})
    assert response.status_code == 302
    for url in (reverse("manage:index"), "/admin/", reverse("start"), "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert len(client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]) == 10
    # Enrolling proved the code: the session goes on without asking again.
    assert client.get(reverse("manage:index")).status_code == 200


def test_a_session_that_skipped_the_second_factor_is_ended(client, city_coordinator):
    give_totp(city_coordinator)
    client.force_login(city_coordinator)  # as a login view that forgot 2FA would
    response = client.get(reverse("manage:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_session_of_another_user_does_not_count(client, city_coordinator, school_coordinator):
    login_with_mfa(client, school_coordinator)
    client.force_login(city_coordinator)
    give_totp(city_coordinator)
    assert client.get(reverse("manage:index")).status_code == 302


def test_a_teacher_is_not_asked_to_enrol(client, teacher, password):
    client.post(reverse("account_login"), {"login": teacher.user.username, "password": password})
    assert client.get(reverse("start")).status_code == 200


def test_those_who_must_use_it_cannot_turn_it_off(mfa_login, school_coordinator, teacher):
    client = mfa_login(school_coordinator)
    authenticator = Authenticator.objects.get(user=school_coordinator, type="totp")
    response = client.post(reverse("mfa_deactivate_totp"), {})
    assert response.status_code == 200
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
    # A teacher who turned it on may turn it off.
    teacher_authenticator = give_totp(teacher.user)
    client = mfa_login(teacher.user)
    client.post(reverse("mfa_deactivate_totp"), {})
    assert not Authenticator.objects.filter(pk=teacher_authenticator.pk).exists()


def test_the_test_helper_matches_a_real_login(client, city_coordinator, password):
    """login_with_mfa must not let tests through where the real login would stop them."""
    give_totp(city_coordinator, TEST_TOTP_SECRET)
    client.post(reverse("account_login"), {"login": city_coordinator.username, "password": password})
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    real = {r["method"] for r in client.session["account_authentication_methods"]}
    client.logout()
    login_with_mfa(client, city_coordinator)
    helper = {r["method"] for r in client.session["account_authentication_methods"]}
    assert real == helper == {"password", "mfa"}


def test_an_old_login_must_confirm_the_password_before_changing_two_step_settings(client, teacher, password):
    client.post(reverse("account_login"), {"login": teacher.user.username, "password": password})
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= 3600
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
