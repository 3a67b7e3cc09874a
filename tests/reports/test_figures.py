"""Report figures with their expected values, the same on SQLite and PostgreSQL.

Marked `figures`: `.ci/run` runs these on SQLite as well as in the PostgreSQL suite, so a
figure that only one database gets right fails CI. Each case is a scenario from issue 11.
"""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from django.db.models import Value
from django.urls import reverse

from accounts.models import TeacherCategory, TeacherProfile
from tests.factories import TeacherProfileFactory
from tests.reports.conftest import credit
from tracking.figures import Ratio, percent, round_percent
from tracking.ledger.services import (
    annotate_status,
    annotate_status_from_totals,
    annotate_status_joined,
    rollup_counts,
    teacher_status,
)
from tracking.reports.base import fmt

pytestmark = [pytest.mark.django_db, pytest.mark.figures]


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (9, 40, "22.5"),  # the case: 22.0 on SQLite before
        (20, 24, "83.3"),
        (1, 8, "12.5"),
        (Decimal("10.1"), 40, "25.3"),  # 25.25: half up, not to even
        (Decimal("8.98"), 40, "22.5"),  # 22.45 → 22.5
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (0, 40, "0.0"),
        (40, 40, "100.0"),
    ],
)
def test_the_rounding_rule_and_the_same_ratio_in_sql(part, whole, expected, training_year):
    assert str(percent(part, whole)) == expected
    # the SQL ratio (what reminders compare) read back and rounded gives the same figure
    from accounts.models import TrainingYear

    value = TrainingYear.objects.annotate(r=Ratio(Value(part), Value(whole))).values_list("r", flat=True).get()
    assert str(round_percent(value)) == expected


def test_no_denominator_no_percent():
    assert percent(3, 0) is None
    assert percent(None, 5) is None
    assert round_percent(None) is None
    assert fmt(None, "percent") == "—"
    assert rollup_counts(5, 0, 0, 0)["rate"] is None


def test_completion_rate_20_of_24_is_83_3():
    assert rollup_counts(24, 20, 4, 0)["rate"] == Decimal("83.3")
    assert fmt(rollup_counts(24, 20, 4, 0)["rate"], "percent") == "83.3%"


def progress_column(header) -> int:
    return next(i for i, label in enumerate(header) if label in ("完成进度", "Progress"))


@pytest.fixture
def nine_of_forty(org, training_year):
    """A full-time psychology teacher with 9 whole hours of a 40-hour target (stored as 9, an integer on SQLite)."""
    teacher = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    credit(teacher, training_year, 9)
    return teacher


def test_nine_of_forty_hours_is_22_5_in_every_status_computation(nine_of_forty, training_year):
    qs = TeacherProfile.objects.filter(pk=nine_of_forty.pk)
    for annotate in (annotate_status, annotate_status_joined, annotate_status_from_totals):
        row = annotate(qs, training_year).get()
        assert round_percent(row.percent) == Decimal("22.5"), annotate.__name__
    # and the SQL value compares exactly (reminders filter on it)
    assert annotate_status(qs, training_year).filter(percent__gt=Decimal("22.4"), percent__lt=Decimal("22.6")).exists()
    assert str(round_percent(teacher_status(nine_of_forty, training_year).percent)) == "22.5"


def test_nine_of_forty_on_the_page_xlsx_csv_and_teacher_pages(
    nine_of_forty, training_year, org, login, city_coordinator
):
    client = login(city_coordinator)
    query = {"year": training_year.pk, "school": org["school_a1"].pk}
    page = client.get(reverse("reports:completion"), query).content.decode()
    assert "22.5%" in page and "22.0%" not in page

    xlsx = client.get(reverse("reports:export", args=["completion"]), {**query, "format": "xlsx"})
    rows = [list(r) for r in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)]
    header = rows[3]
    teacher_row = rows[4]
    assert teacher_row[progress_column(header)] == 0.225  # a fraction in a 0.0% cell: 22.5%

    text = client.get(reverse("reports:export", args=["completion"]), {**query, "format": "csv"}).content
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert lines[3][progress_column(lines[2])] == "22.5"

    detail = client.get(reverse("reports:teacher", args=[nine_of_forty.pk]), {"year": training_year.pk})
    assert "22.5%" in detail.content.decode()

    client.force_login(nine_of_forty.user)
    mine = client.get(reverse("tracking:dashboard")).content.decode()
    assert "22.5%" in mine
