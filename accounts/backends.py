"""The sign-in backends: Django's and allauth's, with the signed-in user read by SQL compiled once.

Every request of a signed-in user loads the user named in the session (`get_user`); these
backends answer it with a query compiled once per process (cms.core.prepared) instead of on
every request. Authentication itself (passwords, allauth's e-mail or username login) is the
parents' code unchanged. Sessions name the backend that signed them in, so these paths are the
ones in AUTHENTICATION_BACKENDS (a session made under another path signs its user out).
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from django.contrib.auth import backends, get_user_model

from cms.core.prepared import Prepared

EXAMPLE_PK = -730_241_977  # a primary key no user has


def _by_pk(pk: int):
    return get_user_model()._default_manager.filter(pk=pk)[:1]


_user_by_pk = Prepared(_by_pk, pk=EXAMPLE_PK)


def _get_user(backend, user_id):
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    user = _user_by_pk.first(pk=pk)
    return user if user is not None and backend.user_can_authenticate(user) else None


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)
