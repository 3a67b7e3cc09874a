import datetime

import pytest

from tests.factories import AcademicYearFactory, TermFactory, TrainingYearFactory


@pytest.fixture
def year(db):
    return AcademicYearFactory(
        name="2026—2027学年", start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 8, 31)
    )


@pytest.fixture
def short_term(year):
    """Eight full teaching weeks: Monday 7 Sep – Friday 30 Oct 2026, no breaks ⇒ 4 lessons per key class."""
    return TermFactory(
        academic_year=year, number=1, start_date=datetime.date(2026, 9, 7), end_date=datetime.date(2026, 10, 30)
    )


@pytest.fixture
def training_year(db):
    return TrainingYearFactory(year=2026)
