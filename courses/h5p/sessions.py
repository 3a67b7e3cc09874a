"""The statement endpoint's lean sign-in check (the hot path of a deadline rush).

The player page signs into its grant a tag of the learner's session key (an HMAC: the key
itself never appears in a URL). A statement then proves who posts it with the session cookie
matching the tag, and the session is confirmed — loaded with its user, Django's own checks
(active account, password not changed since login) — at most once a minute per session
(cache). Signing out forgets the confirmation at once (`forget_on_logout`); a session that
ends another way (expiry, password change elsewhere) is noticed within SESSION_CHECK_SECONDS.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.core.cache import cache
from django.dispatch import receiver
from django.http import Http404
from django.utils.crypto import constant_time_compare, salted_hmac

SESSION_SALT = "courses.h5p.session"
SESSION_CHECK_SECONDS = 60


def tag(session_key: str | None) -> str:
    return salted_hmac(SESSION_SALT, session_key or "", algorithm="sha256").hexdigest()[:32] if session_key else ""


def _cache_key(session_tag: str) -> str:
    return f"h5p-session:{session_tag}"


def user_id(request, grant: dict) -> int:
    """The signed-in learner the grant was issued to, or a 404. No query when confirmed lately."""
    granted = grant.get("s") or ""
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not granted or not cookie or not constant_time_compare(tag(cookie), granted):
        raise Http404
    if cache.get(_cache_key(granted)) == grant["u"]:
        return grant["u"]
    user = request.user  # loads the session and its user: Django's own checks
    if not user.is_authenticated or user.pk != grant["u"]:
        raise Http404
    cache.set(_cache_key(granted), user.pk, SESSION_CHECK_SECONDS)
    return user.pk


@receiver(user_logged_out, dispatch_uid="courses.h5p.forget_on_logout")
def forget_on_logout(sender, request=None, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        cache.delete(_cache_key(tag(session.session_key)))
