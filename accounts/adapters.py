import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_noop

from .mfa import mfa_required

# allauth's message after login, listed so our catalogue (which wins) can greet by name: "林心怡，欢迎回来！"
SIGNED_IN = gettext_noop("Successfully signed in as %(name)s.")


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are provisioned by coordinators and imports; open sign-up is off by default."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", False)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        """Right after sign-up the sign-up view says welcome; allauth's "signed in as …" would be a
        second, 欢迎回来 (welcome back) to someone who was never here."""
        if message_template == "account/messages/logged_in.txt" and getattr(request, "xinyu_just_signed_up", False):
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Two-step settings need a recent password, as allauth asks; a login within the last few
        minutes counts, so a coordinator sent to enrol straight after logging in is not asked for
        the password a second time."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        if app != "allauth.mfa" or request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        return not any(time.time() - record.get("at", 0) < timeout for record in records)


def user_display(user) -> str:
    """How allauth names a person in its messages ("signed in as …"): their full name (姓名)."""
    return user.display_name


class MfaAdapter(DefaultMFAAdapter):
    """Those who must use two-factor login (accounts.mfa) cannot remove their authenticator app;
    a lost phone is handled with a recovery code, then an administrator resets the authenticator."""

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not mfa_required(authenticator.user)
