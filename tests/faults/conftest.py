"""Fault and concurrency tests need PostgreSQL (real row locks, real concurrent connections) and,
for the worker test, Redis. CI (.ci/run) provides both: there a missing service FAILS the test.
On a developer's SQLite run they are skipped at collection (tests/faults/services.py), before any
database is set up, with the command that runs them."""

import pytest

from django.db import connection

from .services import RUN_ON_POSTGRES


@pytest.fixture
def postgres(django_db_serialized_rollback, transactional_db):
    """Committed data that other connections (threads, a worker process) can see, on PostgreSQL.

    Both fixtures are declared, not requested inside: pytest-django decides "transactional" and
    "serialized rollback" from the declared fixture names, and a transactional_db asked for with
    getfixturevalue gave an ordinary test whose data the threads and the worker never saw. With
    serialized rollback, like the browser tests: a plain transactional test's flush re-runs
    post_migrate (groups, Wagtail's root page), and the next serialized test's reload then collides
    with those rows (UNIQUE constraint failed: auth_group.name). On SQLite these tests are skipped
    at collection (services.py), so no database is set up for them at all."""
    if connection.vendor != "postgresql":
        pytest.fail(f"needs PostgreSQL (DATABASE_URL=postgres://…), found {connection.vendor}; run: {RUN_ON_POSTGRES}")
    return connection
