from allauth.account.adapter import DefaultAccountAdapter

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_noop

# allauth's message after login, listed so our catalogue (which wins) can greet by name: "林心怡，欢迎回来！"
SIGNED_IN = gettext_noop("Successfully signed in as %(name)s.")


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are provisioned by coordinators and imports; open sign-up is off by default."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", False)


def user_display(user) -> str:
    """How allauth names a person in its messages ("signed in as …"): their full name (姓名)."""
    return user.display_name
