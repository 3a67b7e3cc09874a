"""Delivery and parent-school report pages run a fixed number of queries, whatever the data size."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    EnrolmentFactory,
    FamilyVisitTallyFactory,
    ParentProfileFactory,
    SchoolClassFactory,
    SchoolFactory,
)
from tracking.models import ActivityKind

from .conftest import log

NOW = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)


def grow(org, delivery, parents, n):
    for i in range(n):
        school = SchoolFactory(district=org["district_a"] if i % 2 else org["district_b"])
        for grade in (1, 2):
            c = SchoolClassFactory(school=school, academic_year=delivery["year"], grade=grade)
            log(c, ActivityKind.PSYCHOLOGY_LESSON, 2)
            log(c, ActivityKind.THEME_MEETING, 1)
            FamilyVisitTallyFactory(school_class=c, term=delivery["term"], families_visited=40)
        for stages in (["primary_lower"], ["junior", "senior"]):
            parent = ParentProfileFactory(school=school, age_stages=stages)
            EnrolmentFactory(user=parent.user, course=parents["course"], completed_at=NOW)
        EnrolmentFactory(user=ParentProfileFactory(school=None).user, course=parents["course"])


def count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_data(org, delivery, parents, login, city_coordinator):
    client = login(city_coordinator)
    term = delivery["term"].pk
    pages = [
        (reverse("reports:delivery"), {"term": term}),
        (reverse("reports:delivery"), {"term": term, "district": org["district_a"].pk}),
        (reverse("reports:delivery"), {"term": term, "school": org["school_a1"].pk}),
        (reverse("reports:delivery_chart"), {"term": term}),
        (reverse("reports:export", args=["delivery"]), {"term": term, "format": "csv"}),
        (reverse("reports:parents"), {}),
        (reverse("reports:parents"), {"district": org["district_a"].pk}),
        (reverse("reports:parents"), {"school": org["school_a1"].pk}),
        (reverse("reports:parents_chart"), {}),
        (reverse("reports:export", args=["parents"]), {"format": "xlsx"}),
    ]
    for url, params in pages:  # warm per-process caches first
        client.get(url, params)
    grow(org, delivery, parents, 2)
    small = [count(client, url, params) for url, params in pages]
    grow(org, delivery, parents, 6)
    large = [count(client, url, params) for url, params in pages]
    assert small == large
    assert max(large) <= 20
