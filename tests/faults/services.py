"""Whether this run has PostgreSQL, decided at collection (before any database is set up)."""

import os

import pytest

from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
RUN_ON_POSTGRES = (
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyu REDIS_URL=redis://127.0.0.1:6379/0 "
    "DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/pytest tests/faults -p no:xdist"
)

# On a developer's SQLite run: skipped with the command that runs them. In CI never skipped: there
# the `postgres` fixture fails when PostgreSQL is missing.
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES and not os.environ.get("CI"), reason=f"needs PostgreSQL; run: {RUN_ON_POSTGRES}"
)
