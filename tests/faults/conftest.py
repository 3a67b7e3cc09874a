"""Fault and concurrency tests need PostgreSQL (real row locks, real concurrent connections) and,
for the worker test, Redis. CI (.ci/run) provides both: there a missing service FAILS the test.
On a developer's SQLite run they are skipped at collection (tests/faults/services.py), before any
database is set up, with the command that runs them."""

import pytest

from django.db import connection

from .services import RUN_ON_POSTGRES


@pytest.fixture
def postgres(transactional_db):
    """Committed data that other connections (threads, a worker process) can see, on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.fail(f"needs PostgreSQL (DATABASE_URL=postgres://…), found {connection.vendor}; run: {RUN_ON_POSTGRES}")
    return connection
