"""Assigning a course: a school coordinator is not offered a whole district they do not coordinate."""

import pytest

from django.urls import reverse

from tests.auth import login_with_mfa
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return CoursePageFactory()


def test_school_coordinator_is_not_offered_a_district(client, school_coordinator, course):
    login_with_mfa(client, school_coordinator)
    body = client.get(reverse("courses:assign", args=[course.pk])).content.decode()
    assert 'name="district"' not in body
    assert 'name="school"' in body


def test_district_coordinator_still_chooses_a_district(client, district_coordinator, org, course):
    login_with_mfa(client, district_coordinator)
    body = client.get(reverse("courses:assign", args=[course.pk])).content.decode()
    assert 'name="district"' in body
    assert org["district_a"].name in body
