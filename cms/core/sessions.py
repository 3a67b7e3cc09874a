"""The session store: Django's database sessions, read with SQL compiled once (cms.core.prepared).

`SESSION_ENGINE = "cms.core.sessions"`. The same table, the same rows, the same behaviour as
`django.contrib.sessions.backends.db`: only the read of a session by its key skips compiling the
query on every request (a signed-in page reads its session on every request). Expiry is checked
on the row read, as Django's own store checks it in SQL: an expired session is no session.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.db import router
from django.utils import timezone

from .prepared import Prepared

EXAMPLE_KEY = "\x00cms.core.sessions:example-key\x00"  # a key no session can have


def _by_key(session_key: str):
    return SessionStore.get_model_class().objects.filter(session_key=session_key)[:1]


_session_by_key = Prepared(_by_key, session_key=EXAMPLE_KEY)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        try:
            if not self.session_key:  # Django's store asks the database even then; nothing can match
                raise self.model.DoesNotExist
            session = _session_by_key.first(using=router.db_for_read(self.model), session_key=self.session_key)
            if session is None or session.expire_date <= timezone.now():
                raise self.model.DoesNotExist
            return session
        except (self.model.DoesNotExist, SuspiciousOperation) as e:
            if isinstance(e, SuspiciousOperation):
                logging.getLogger(f"django.security.{e.__class__.__name__}").warning(str(e))
            self._session_key = None
            return None
