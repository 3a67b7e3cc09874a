"""Fault and concurrency tests need PostgreSQL (real row locks, real concurrent connections) and,
for the worker test, Redis. CI (.ci/run) provides both: there a missing service FAILS the test.
On a developer's SQLite run they are skipped with the command that runs them."""

import os

import pytest

from django.db import connection

RUN_ON_POSTGRES = (
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyu REDIS_URL=redis://127.0.0.1:6379/0 "
    "DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/pytest tests/faults -p no:xdist"
)


@pytest.fixture
def postgres(request):
    """Committed data that other connections (threads, a worker process) can see, on PostgreSQL.

    The vendor is checked before the transactional database is set up: a skipped test must not
    flush the database. With serialized rollback, like the browser tests: a plain transactional
    test's flush re-runs post_migrate (groups, Wagtail's root page), and the next serialized
    test's reload then collides with those rows (UNIQUE constraint failed: auth_group.name)."""
    if connection.vendor != "postgresql":
        message = f"needs PostgreSQL (DATABASE_URL=postgres://…), found {connection.vendor}; run: {RUN_ON_POSTGRES}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    request.getfixturevalue("django_db_serialized_rollback")
    request.getfixturevalue("transactional_db")
    return connection
