from unittest import mock

import pytest

from django.apps import apps
from django.core.cache import cache
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations

from accounts import append_only
from tests.auth import login_with_mfa
from tests.factories import (
    CoordinatorRoleFactory,
    DistrictFactory,
    SchoolFactory,
    TeacherProfileFactory,
    TrainingYearFactory,
)
from tests.factories.accounts import PASSWORD


@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_the_append_only_guard():
    """Between transactional tests the runner empties every table. PostgreSQL does that with
    TRUNCATE, which row triggers never see; SQLite deletes the rows, which the append-only
    guard refuses. So on SQLite the flush runs with the guard lifted, as on PostgreSQL."""
    flush = SQLiteOperations.execute_sql_flush

    def execute_sql_flush(ops, sql_list):
        guarded = [m for m in apps.get_models() if append_only.is_guarded(m)]
        with append_only.suspended(*guarded, using=ops.connection.alias):
            flush(ops, sql_list)

    with mock.patch.object(SQLiteOperations, "execute_sql_flush", execute_sql_flush):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, allauth's used-TOTP-code markers and the anonymous home page
    (cms/home/cache.py) must not leak between tests."""
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def training_year(db):
    return TrainingYearFactory(year=2026)


@pytest.fixture
def org(db):
    """Two districts, three schools: A1 and A2 in district A, B1 in district B."""
    district_a = DistrictFactory(name="东湖区", code="360102")
    district_b = DistrictFactory(name="西湖区", code="360103")
    return {
        "district_a": district_a,
        "district_b": district_b,
        "school_a1": SchoolFactory(name="甲一小学", district=district_a),
        "school_a2": SchoolFactory(name="甲二中学", district=district_a),
        "school_b1": SchoolFactory(name="乙一小学", district=district_b),
    }


@pytest.fixture
def city_coordinator(db):
    return CoordinatorRoleFactory(level="city").user


@pytest.fixture
def district_coordinator(org):
    return CoordinatorRoleFactory(level="district", district=org["district_a"]).user


@pytest.fixture
def school_coordinator(org):
    return CoordinatorRoleFactory(level="school", school=org["school_a1"]).user


@pytest.fixture
def teacher(org):
    return TeacherProfileFactory(school=org["school_a1"])


@pytest.fixture
def mfa_login(client):
    """`mfa_login(user)` logs `user` in on `client` as through password + TOTP (tests/auth.py)."""

    def _login(user):
        login_with_mfa(client, user)
        return client

    return _login
