import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from django.utils import timezone

from tests.factories import OfflineSessionFactory, TeacherProfileFactory, UserFactory

HEADER = ["工号", "姓名", "学校", "学时", "日期"]


def xlsx_bytes(rows, *, title_rows=(), merges=(), header=HEADER):
    wb = Workbook()
    ws = wb.active
    for row in title_rows:
        ws.append(list(row))
    if header:
        ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for cell_range in merges:
        ws.merge_cells(cell_range)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, *, encoding="utf-8", header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def session(org, training_year):
    """A 3-hour session for school A1 on 2026-03-05 09:00–12:00 (Asia/Shanghai)."""
    start = timezone.make_aware(datetime.datetime(2026, 3, 5, 9, 0))
    return OfflineSessionFactory(
        school=org["school_a1"],
        training_year=training_year,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        hours=Decimal("3"),
    )


@pytest.fixture
def people(org):
    """Teachers: two at A1, one at A2 (same district), one at B1, and a name shared by two schools."""

    def make(name, school, staff):
        return TeacherProfileFactory(
            user=UserFactory(username=f"u{staff}", name=name), school=org[school], staff_number=staff
        )

    return {
        "wang": make("王伟", "school_a1", "1001"),
        "li": make("李娜", "school_a1", "1002"),
        "zhang_a2": make("张敏", "school_a2", "2001"),
        "chen_b1": make("陈静", "school_b1", "3001"),
        "liu_a1": make("刘洋", "school_a1", "1003"),
        "liu_a2": make("刘洋", "school_a2", "2002"),
    }
