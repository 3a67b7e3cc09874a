"""The coordinator landing page (管理报表) shows exactly the user's scope."""

import pytest

from django.urls import reverse

from tests.auth import login_with_mfa
from tests.factories import ParentProfileFactory, SchoolClassFactory, TeacherProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(org):
    TeacherProfileFactory(school=org["school_a1"], category="psy_full")
    TeacherProfileFactory(school=org["school_a2"], category="head")
    TeacherProfileFactory(school=org["school_b1"], category="other")
    SchoolClassFactory(school=org["school_a1"])
    return org


def test_district_coordinator_sees_only_district_schools(client, staffed, district_coordinator, password):
    login_with_mfa(client, district_coordinator)
    body = client.get(reverse("manage:index")).content.decode()
    assert "甲一小学" in body and "甲二中学" in body
    assert "乙一小学" not in body


def test_school_coordinator_sees_one_school(client, staffed, school_coordinator, password):
    login_with_mfa(client, school_coordinator)
    response = client.get(reverse("manage:index"))
    assert response.context["totals"]["schools"] == 1
    assert response.context["totals"]["teachers"] == 1
    assert response.context["totals"]["classes"] == 1


def test_query_count_does_not_grow_with_schools(client, staffed, city_coordinator, password):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SchoolFactory

    login_with_mfa(client, city_coordinator)
    client.get(reverse("manage:index"))  # warm per-process caches
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("manage:index"))
    for _ in range(20):
        TeacherProfileFactory(school=SchoolFactory(district=staffed["district_b"]))
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("manage:index")).context["totals"]["schools"] == 23
    assert len(large) == len(small) <= 20


@pytest.mark.parametrize("kind", ["teacher", "parent", "plain"])
def test_non_coordinators_are_refused(client, org, password, kind):
    if kind == "teacher":
        user = TeacherProfileFactory(school=org["school_a1"]).user
    elif kind == "parent":
        user = ParentProfileFactory().user
    else:
        user = UserFactory()
    login_with_mfa(client, user)
    response = client.get(reverse("manage:index"))
    assert response.status_code == 403
    assert "只有培训管理员" in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("manage:index"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_coordinator_landing_links_to_every_coordinator_tool(client, staffed, city_coordinator, password):
    login_with_mfa(client, city_coordinator)
    body = client.get(reverse("manage:index")).content.decode()
    for name in (
        "ledger:session_list",
        "ledger:manage_claims",
        "delivery:manage_classes",
        "delivery:manage_schools",
        "ledger:targets",
        "ledger:audit_log",
    ):
        assert f'href="{reverse(name)}"' in body, name


def test_targets_link_only_for_city_coordinators(client, staffed, school_coordinator, password):
    login_with_mfa(client, school_coordinator)
    body = client.get(reverse("manage:index")).content.decode()
    assert reverse("ledger:targets") not in body


def test_teacher_profile_links_to_teacher_tools(client, teacher, password):
    client.login(username=teacher.user.username, password=password)
    body = client.get(reverse("accounts:profile")).content.decode()
    for name in ("tracking:dashboard", "ledger:my_claims", "delivery:my_classes", "delivery:history"):
        assert f'href="{reverse(name)}"' in body, name
    assert "我的研修" in body and "我的班级" in body
