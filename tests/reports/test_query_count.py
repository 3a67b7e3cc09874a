"""The report pages run a fixed number of queries, whatever the number of rows."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import TeacherCategory
from tests.factories import SchoolFactory, TeacherProfileFactory

from .conftest import credit


def grow(org, training_year, n_schools):
    for i in range(n_schools):
        district = org["district_a"] if i % 2 else org["district_b"]
        school = SchoolFactory(district=district)
        for category in TeacherCategory.values:
            credit(TeacherProfileFactory(school=school, category=category), training_year, 12, n=2)


def count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_data(org, training_year, login, city_coordinator):
    client = login(city_coordinator)
    pages = [
        (reverse("reports:completion"), {"year": training_year.pk}),
        (reverse("reports:completion"), {"year": training_year.pk, "district": org["district_a"].pk}),
        (reverse("reports:completion"), {"year": training_year.pk, "school": org["school_a1"].pk}),
        (reverse("reports:completion_chart"), {"year": training_year.pk}),
        (reverse("reports:staffing"), {}),
        (reverse("reports:staffing"), {"district": org["district_a"].pk}),
        (reverse("reports:export", args=["completion"]), {"year": training_year.pk, "detail": "teachers"}),
    ]
    for url, params in pages:  # warm per-process caches (site root, translations) first
        client.get(url, params)
    grow(org, training_year, 2)
    for _i in range(3):
        credit(TeacherProfileFactory(school=org["school_a1"]), training_year, 1)
    small = [count(client, url, params) for url, params in pages]
    grow(org, training_year, 6)
    for _i in range(10):
        credit(TeacherProfileFactory(school=org["school_a1"]), training_year, 1)
    large = [count(client, url, params) for url, params in pages]
    assert small == large
    assert max(large) <= 20
