from allauth.account.adapter import DefaultAccountAdapter

from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are provisioned by coordinators and imports; open sign-up is off by default."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", False)
