"""Shared fixtures for the report tests: an organisation with teachers at every status boundary."""

import datetime
from decimal import Decimal

import pytest

from accounts.models import TeacherCategory
from tests.factories import CoordinatorRoleFactory, ParentProfileFactory, TeacherProfileFactory
from tracking.models import LedgerSource
from tracking.services import record_correction, record_entry


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def credit(teacher, year, hours, n=1, counts_as_session=True):
    """Credit `hours` split over `n` entries (each a session unless told otherwise)."""
    per = Decimal(str(hours)) / n
    for i in range(n):
        record_entry(
            teacher=teacher,
            training_year=year,
            hours=per,
            source=LedgerSource.ONLINE_COURSE,
            source_ref=f"t{teacher.pk}-{i}-{hours}",
            title="课程",
            activity_date=datetime.date(year.year, 3, 1),
            counts_as_session=counts_as_session,
        )


@pytest.fixture
def boundary(org, training_year):
    """Teachers exactly at and just below each target (2026 is running: below = in progress).

    School A1: psy_full 40 h (met), psy_full 39.5 h (in progress), head 10 h (met),
               head 12 h then a −3 h correction = 9 h (in progress), other 1 session (met),
               other 0 sessions (in progress).
    School A2: psy_part 20 h (met), other with 2 h that are not a session (in progress).
    School B1: head 10 h (met), psy_full 0 h (in progress).
    """
    a1, a2, b1 = org["school_a1"], org["school_a2"], org["school_b1"]
    t = {}
    t["full_met"] = TeacherProfileFactory(school=a1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    credit(t["full_met"], training_year, 40, n=4)
    t["full_short"] = TeacherProfileFactory(school=a1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    credit(t["full_short"], training_year, Decimal("39.5"), n=3)
    t["head_met"] = TeacherProfileFactory(school=a1, category=TeacherCategory.HEAD_TEACHER)
    credit(t["head_met"], training_year, 10)
    t["head_corrected"] = TeacherProfileFactory(school=a1, category=TeacherCategory.HEAD_TEACHER)
    credit(t["head_corrected"], training_year, 12)
    record_correction(
        teacher=t["head_corrected"], training_year=training_year, hours=Decimal("-3"), reason="重复", recorded_by=None
    )
    t["other_met"] = TeacherProfileFactory(school=a1, category=TeacherCategory.OTHER)
    credit(t["other_met"], training_year, 1)
    t["other_none"] = TeacherProfileFactory(school=a1, category=TeacherCategory.OTHER)
    t["part_met"] = TeacherProfileFactory(school=a2, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
    credit(t["part_met"], training_year, 20, n=2)
    t["other_no_session"] = TeacherProfileFactory(school=a2, category=TeacherCategory.OTHER)
    credit(t["other_no_session"], training_year, 2, counts_as_session=False)
    t["b_head_met"] = TeacherProfileFactory(school=b1, category=TeacherCategory.HEAD_TEACHER)
    credit(t["b_head_met"], training_year, 10, n=2)
    t["b_full_none"] = TeacherProfileFactory(school=b1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    return t


@pytest.fixture
def parent_user(db):
    return ParentProfileFactory().user


@pytest.fixture
def other_city_coordinator(db):
    return CoordinatorRoleFactory(level="city").user


@pytest.fixture
def login(client, password):
    def _login(user):
        client.logout()
        if user is not None:
            assert client.login(username=user.username, password=password)
        return client

    return _login
