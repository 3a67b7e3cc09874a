"""The login journeys in Debian's Chromium, phone and desktop: a new coordinator enrols TOTP at
first login, logs in again with a code, then with a recovery code; a teacher just logs in.
No page breaks the Content-Security-Policy. Screenshots go to var/test-artifacts/login-*.png."""

import pytest

from django.urls import reverse

from tests.auth import current_code
from tests.courses.test_browser import ARGS, ARTIFACTS, CHROMIUM, DESKTOP, PHONE
from tests.factories import CoordinatorRoleFactory, SchoolFactory, TeacherProfileFactory
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every Content-Security-Policy violation the page reports, kept for the test to read.
RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def chromium(monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20000)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(30000)
    return page


def _shot(page, name: str, size: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"login-{name}-{size}.png"), full_page=True)


def _no_csp_violations(page) -> None:
    assert page.evaluate("window.__csp") == [], page.url


def _password(page, base, username):
    page.goto(base + reverse("account_login"))
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda u: "/accounts/login/" not in u)


def _code(page, code: str):
    page.fill("input[name=code]", code)
    page.locator('form[action$="/2fa/authenticate/"] button[type=submit]').first.click()
    page.wait_for_url(lambda u: "/2fa/authenticate/" not in u)


def _logout(page, base):
    page.goto(base + reverse("account_logout"))
    page.locator('main form[action$="/logout/"] button[type=submit]').first.click()
    page.wait_for_url(lambda u: "/logout/" not in u)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_coordinator_enrols_then_logs_in_with_a_code_and_a_recovery_code(live_server, chromium, size):
    from playwright.sync_api import expect

    coordinator = CoordinatorRoleFactory(level="school", school=SchoolFactory(name="滨江实验小学")).user
    base = live_server.url
    page = _page(chromium, PHONE if size == "phone" else DESKTOP)

    # First login: the password is enough to reach enrolment, and nothing else.
    _password(page, base, coordinator.username)
    expect(page).to_have_url(base + reverse("mfa_activate_totp"))
    expect(page.locator("body")).to_contain_text("请先开启两步验证")
    _shot(page, "1-enrol", size)
    _no_csp_violations(page)  # the QR code is a data: image, allowed
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", current_code(secret))
    page.locator('form[action$="/totp/activate/"] button[type=submit]').click()
    expect(page).to_have_url(base + reverse("mfa_view_recovery_codes"))
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    _shot(page, "2-recovery-codes", size)
    page.goto(base + reverse("manage:index"))
    expect(page).to_have_url(base + reverse("manage:index"))
    _no_csp_violations(page)
    _logout(page, base)

    # Second login: password, then the authenticator's code. (Not the code used to enrol: wait.)
    _password(page, base, coordinator.username)
    expect(page).to_have_url(base + reverse("mfa_authenticate"))
    _shot(page, "3-code", size)
    _no_csp_violations(page)
    page.fill("input[name=code]", "000000" if current_code(secret) != "000000" else "111111")
    page.locator('form[action$="/2fa/authenticate/"] button[type=submit]').first.click()
    expect(page.locator("body")).to_contain_text("代码")
    _shot(page, "4-wrong-code", size)
    _code(page, codes[0])  # a recovery code is accepted where the app's code goes
    page.goto(base + reverse("manage:index"))
    expect(page.locator("h1")).to_be_visible()
    _shot(page, "5-manage", size)
    _no_csp_violations(page)
    _logout(page, base)

    _password(page, base, coordinator.username)
    page.fill("input[name=code]", codes[0])  # each recovery code works once
    page.locator('form[action$="/2fa/authenticate/"] button[type=submit]').first.click()
    expect(page).to_have_url(base + reverse("mfa_authenticate"))
    _code(page, codes[1])
    expect(page).not_to_have_url(base + reverse("account_login"))


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_teacher_logs_in_with_the_password_alone(live_server, chromium, size):
    from playwright.sync_api import expect

    teacher = TeacherProfileFactory(school=SchoolFactory(name="滨江实验小学")).user
    base = live_server.url
    page = _page(chromium, PHONE if size == "phone" else DESKTOP)
    page.goto(base + "/admin/login/?next=/me/start/")  # the admin's door leads to the same login
    expect(page).to_have_url(base + reverse("account_login") + "?next=%2Fme%2Fstart%2F")
    _shot(page, "teacher-login", size)
    _no_csp_violations(page)
    page.fill("input[name=login]", teacher.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(base + reverse("start"))
    _shot(page, "teacher-start", size)
    _no_csp_violations(page)
