"""Logging in test clients the way the site's login does it, second factor included.

`client.force_login(user)` makes a session without allauth's record of how the user
authenticated. For coordinators, editors and superusers the site then asks for two-factor
login (accounts/mfa.py), exactly as it should for a session that skipped it. Tests that are
about something else log those users in with `login_with_mfa`, which gives the user a TOTP
authenticator (if they have none) and writes the session record allauth writes after a
password + TOTP login.
"""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt

from django.contrib.auth import get_user_model
from django.test import Client

from accounts.demo import DEMO_PASSWORD
from accounts.mfa import mfa_required

# A fixed base32 secret for test users' authenticator apps.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_totp(user, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def current_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The code an authenticator app with this secret shows now."""
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def login_with_mfa(client, user) -> None:
    """Log `user` in on `client` as if through password + TOTP (the test client's force_login
    plus allauth's authentication record). Users who need no second factor get a password-only
    record and no authenticator."""
    client.force_login(user)
    _record_login(client, user)


def _record_login(client, user) -> None:
    session = client.session
    now = time.time()
    records = [{"method": "password", "at": now, "username": user.get_username()}]
    if mfa_required(user):
        authenticator = give_totp(user)
        records.append({"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user._meta.pk.value_to_string(user)
    session.save()


def browser_login(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log a user in through the real pages in Playwright. A manager types the current code of
    their authenticator (given one with TEST_TOTP_SECRET if they have none, as enrolment would)."""
    user = get_user_model()._default_manager.get(username=username)
    secret = None
    if mfa_required(user):
        secret = decrypt(give_totp(user).data["secret"])
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda u: "/accounts/login/" not in u)
    for _ in range(2):  # a code is accepted once: a second login in the same 30 s waits for the next
        if secret is None or "/accounts/2fa/authenticate/" not in page.url:
            return
        page.fill("input[name=code]", current_code(secret))
        page.locator('form[action$="/2fa/authenticate/"] button[type=submit]').first.click()
        page.wait_for_load_state()
        if "/accounts/2fa/authenticate/" in page.url:
            time.sleep(30 - time.time() % 30 + 1)


class MfaClient(Client):
    """A test client whose force_login is login_with_mfa: for test helpers that log in by
    themselves, such as WagtailPageTestCase's assertPageIsPreviewable (set `client_class`)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        _record_login(self, user)
