"""Two-factor login (allauth.mfa) is mandatory for the people who manage others' data.

Who: training coordinators at any level (school, district, city), editors and anyone else who
may enter the Wagtail admin, and superusers (`mfa_required`). Teachers and parents may turn it
on but need not.

How it is enforced (`MfaRequiredMiddleware`, after allauth's `AccountMiddleware`):

1. Such a user without a TOTP authenticator is sent to enrol (两步验证) before any other page:
   the management pages, the admin, and the rest of the site alike, since their session can
   do everything their role can.
2. Such a user with TOTP whose session was not completed with a second factor — a session
   that did not come through allauth's login (an old session, a login view we missed) — is
   logged out and sent to the one login page. allauth records every step of a login in the
   session (`account_authentication_methods`); we read that record, we do not keep our own.

Enrolling proves possession of the authenticator (the user types a valid code), so the
enrolment itself is recorded as an MFA step (`record_enrolment`, the same record allauth's
login writes); the user is not asked for a second code straight away.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cms.core import versions

# Paths a user who still has to enrol (or log in again) may reach: the login, the MFA pages
# themselves, logout, the language switch and assets. Everything else waits for the second factor.
OPEN_PREFIXES = (
    "/accounts/",  # allauth: login, logout, 2FA enrolment, recovery codes, password reset
    "/i18n/",
    "/static/",
    "/healthz",
    "/favicon.ico",
    "/robots.txt",
)
# Capability URLs minted only by pages this middleware already guards (the H5P player hands out
# a signed grant bound to the learner's session): checking them again would cost the grant
# endpoints' hot path a session and user query per request (courses/h5p/sessions.py).
GRANT_PREFIXES = ("/h5p/g/",)


def mfa_required(user) -> bool:
    """Coordinators (any level), editors / admin users and superusers must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    # One query: a coordinator role, or the Wagtail admin permission through a group or directly.
    admin_access = Q(codename="access_admin", content_type__app_label="wagtailadmin")
    return (
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .filter(
            Q(coordinator_roles__isnull=False)
            | Q(groups__permissions__in=Permission.objects.filter(admin_access))
            | Q(user_permissions__in=Permission.objects.filter(admin_access))
        )
        .exists()
    )


# The middleware asks on every request of every logged-in user; the answer changes only with a
# role, a group, a permission or the user row, and cms/core/cache_signals.py drops it on each
# of those (now and at commit). A short life as a backstop (decision 0025).
REQUIRED_SECONDS = 60


def required_key(user_id: int) -> str:
    return f"mfa:required:{user_id}"


def mfa_required_cached(user) -> bool:
    """The answer is kept with the roles generation it was computed in (a value, not a key, so it is
    read in the request's first cache round trip, beside the generation counters)."""
    key = required_key(user.pk)
    roles, stored = versions.current_and_get(versions.ROLES, key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == roles:
        return stored[1]
    required = mfa_required(user)
    cache.set(key, (roles, required), REQUIRED_SECONDS)
    return required


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request: HttpRequest) -> bool:
    """True if this session's login included a second factor, as allauth recorded it."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts.mfa.record_enrolment")
def record_enrolment(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    """Activating TOTP means typing a valid code: count it as this session's second factor."""
    if request is None or authenticator is None or authenticator.type != Authenticator.Type.TOTP:
        return
    if request.user.is_authenticated and request.user.pk == authenticator.user_id:
        record_authentication(request, request.user, "mfa", id=authenticator.pk, type=authenticator.type)


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self.check(request)
        return redirect or self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        if request.path.startswith(OPEN_PREFIXES + GRANT_PREFIXES):
            return None  # before reading request.user: these paths cost no session or user query
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if session_passed_mfa(request) or not mfa_required_cached(user):
            return None  # the first test reads the session only: no query for a completed login
        if not has_totp(user):
            messages.info(
                request,
                _("Your role manages other people's data: turn on two-step verification before you continue."),
                fail_silently=True,
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        logout(request)
        messages.warning(
            request,
            _("Please log in again with your password and authenticator code."),
            fail_silently=True,
        )
        return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": request.get_full_path()}))
