"""The report pages not covered by test_query_count.py / test_query_count_reports2.py — the
reports index, the staffing and resources charts, the resources report at each level and a
teacher's ledger — also run a fixed number of queries at two data sizes (issue 17's guard rails)."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import TeacherCategory
from tests.factories import (
    AcademicYearFactory,
    ClassActivityFactory,
    SchoolClassFactory,
    SchoolFactory,
    TeacherProfileFactory,
)

from .conftest import credit


def grow(org, training_year, academic_year, n_schools):
    for i in range(n_schools):
        school = SchoolFactory(district=org["district_a"] if i % 2 else org["district_b"])
        for category in TeacherCategory.values:
            credit(TeacherProfileFactory(school=school, category=category), training_year, 6, n=2)
        school_class = SchoolClassFactory(school=school, academic_year=academic_year)
        ClassActivityFactory(school_class=school_class, lesson_plan_title="认识情绪教案")
    teacher = TeacherProfileFactory(school=org["school_a1"])
    credit(teacher, training_year, 2, n=n_schools)  # the teacher page grows with the ledger


def count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_other_report_pages_run_a_fixed_number_of_queries(org, training_year, login, city_coordinator):
    academic_year = AcademicYearFactory(start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 8, 31))
    teacher = TeacherProfileFactory(school=org["school_a1"])
    credit(teacher, training_year, 4, n=2)
    client = login(city_coordinator)

    def pages():
        return [
            (reverse("reports:index"), {}),
            (reverse("reports:staffing_chart"), {}),
            (reverse("reports:resources"), {}),
            (reverse("reports:resources"), {"district": org["district_a"].pk}),
            (reverse("reports:resources"), {"school": org["school_a1"].pk}),
            (reverse("reports:resources_chart"), {}),
            (reverse("reports:teacher", args=[teacher.pk]), {"year": training_year.pk}),
        ]

    for url, params in pages():  # warm per-process caches (site root, translations) first
        client.get(url, params)
    grow(org, training_year, academic_year, 2)
    small = [count(client, url, params) for url, params in pages()]
    grow(org, training_year, academic_year, 6)
    for _i in range(6):
        credit(teacher, training_year, 1)
    large = [count(client, url, params) for url, params in pages()]
    assert small == large
    assert max(large) <= 20
