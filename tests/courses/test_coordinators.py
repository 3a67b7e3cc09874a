"""Bulk assignment and enrolment lists: coordinators only, inside their scope."""

import pytest

from django.urls import reverse

from courses.models import Enrolment
from tests.factories import EnrolmentFactory, TeacherProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(org):
    return {
        "a1_other": TeacherProfileFactory(school=org["school_a1"], category="other"),
        "a1_head": TeacherProfileFactory(school=org["school_a1"], category="head"),
        "a2_other": TeacherProfileFactory(school=org["school_a2"], category="other"),
        "b1_other": TeacherProfileFactory(school=org["school_b1"], category="other"),
    }


def test_district_coordinator_assigns_to_teachers_of_one_school(client, district_coordinator, org, staff, course):
    client.force_login(district_coordinator)
    response = client.post(reverse("courses:assign", args=[course.pk]), {"school": org["school_a2"].pk}, follow=True)
    assert response.status_code == 200
    assert set(Enrolment.objects.values_list("teacher", flat=True)) == {staff["a2_other"].pk}
    assert Enrolment.objects.get().assigned_by == district_coordinator


def test_assignment_by_district_skips_teachers_outside_the_audience(client, district_coordinator, staff, course):
    client.force_login(district_coordinator)
    client.post(reverse("courses:assign", args=[course.pk]), {})  # whole scope (district A)
    assigned = set(Enrolment.objects.values_list("teacher", flat=True))
    assert assigned == {staff["a1_other"].pk, staff["a2_other"].pk}  # head teacher: not in this course's audience
    # Assigning again enrols nobody twice.
    client.post(reverse("courses:assign", args=[course.pk]), {})
    assert Enrolment.objects.count() == 2


def test_assignment_by_category(client, city_coordinator, staff, course):
    course.teacher_categories = ["head", "other"]
    course.save_revision().publish()
    client.force_login(city_coordinator)
    client.post(reverse("courses:assign", args=[course.pk]), {"category": "head"})
    assert list(Enrolment.objects.values_list("teacher", flat=True)) == [staff["a1_head"].pk]


def test_school_outside_scope_is_404_and_assigns_nothing(client, school_coordinator, org, staff, course):
    client.force_login(school_coordinator)
    response = client.post(reverse("courses:assign", args=[course.pk]), {"school": org["school_b1"].pk})
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_teachers_cannot_assign_or_list(client, teacher, course):
    client.force_login(teacher.user)
    assert client.get(reverse("courses:assign", args=[course.pk])).status_code == 404
    assert client.post(reverse("courses:assign", args=[course.pk]), {}).status_code == 404
    assert client.get(reverse("courses:enrolments", args=[course.pk])).status_code == 404
    assert not Enrolment.objects.exists()


def test_enrolment_list_is_scoped(client, school_coordinator, staff, course, django_assert_max_num_queries):
    for teacher in staff.values():
        EnrolmentFactory(user=teacher.user, teacher=teacher, course=course)
    for _ in range(5):  # more rows must not mean more queries
        extra = TeacherProfileFactory(school=staff["a1_other"].school)
        EnrolmentFactory(user=extra.user, teacher=extra, course=course)
    client.force_login(school_coordinator)
    # 20 before the quiz-attempts column (its lessons, quizzes, attempts and grants: 4 per page, not per row).
    with django_assert_max_num_queries(24):
        response = client.get(reverse("courses:enrolments", args=[course.pk]))
    html = response.content.decode()
    assert staff["a1_other"].user.display_name in html
    assert staff["b1_other"].user.display_name not in html
    assert staff["a2_other"].user.display_name not in html
    assert response.context["totals"]["total"] == 7


def test_not_started_list_counts_the_scope_and_assigns_in_one_click(client, district_coordinator, org, staff, course):
    """Issue 12, coordinator tools: who has not enrolled in / not started a compulsory course."""
    course.compulsory = True
    course.save_revision().publish()
    EnrolmentFactory(course=course, user=staff["a1_other"].user, teacher=staff["a1_other"])  # enrolled, not started
    client.force_login(district_coordinator)
    page = client.get(reverse("courses:not_started") + f"?course={course.pk}")
    row = page.context["rows"][0]
    # District A: a1_other and a2_other are in the audience (the head teacher is not); b1 is elsewhere.
    assert (row["total"], row["not_enrolled"], row["not_started"]) == (2, 1, 1)
    assert [t.pk for t in row["missing"]] == [staff["a2_other"].pk]
    assert staff["b1_other"].user.display_name not in page.text
    assert reverse("courses:assign", args=[course.pk]) in page.text
    client.post(reverse("courses:assign", args=[course.pk]), {})  # the one-click button
    row = client.get(reverse("courses:not_started")).context["rows"][0]
    assert (row["not_enrolled"], row["not_started"]) == (0, 2)


def test_teachers_cannot_open_the_not_started_list(client, teacher, course):
    client.force_login(teacher.user)
    assert client.get(reverse("courses:not_started")).status_code == 404
