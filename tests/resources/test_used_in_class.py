"""The "used in class" link: the delivery form offers the teacher's downloads, and the city
reads library usage per district and school in the coordinators' reports."""

import pytest

from django.urls import reverse

from resources import services
from tests.delivery.test_views import (  # noqa: F401 - shared fixtures
    current_term,
    head,  # noqa: F401
    lesson_post,
    my_class,
    psy,
)
from tests.factories import CoordinatorRoleFactory, ResourceAttachmentFactory, ResourcePageFactory
from tracking.models import ClassActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def downloaded(psy, attachment):  # noqa: F811
    services.record_download(psy.user, attachment)
    return attachment.page


def test_the_form_offers_my_downloads_only(client, psy, my_class, downloaded, library):  # noqa: F811
    other = ResourcePageFactory(parent=library, title="我没下载的教案")
    client.force_login(psy.user)
    response = client.get(reverse("delivery:log", args=[my_class.pk]))
    plans = list(response.context["form"].fields["resource"].queryset)
    assert plans == [downloaded]
    assert "我没下载的教案" not in response.text and other.pk


def test_logging_a_lesson_with_a_library_plan(client, psy, my_class, downloaded):  # noqa: F811
    client.force_login(psy.user)
    response = client.post(reverse("delivery:log", args=[my_class.pk]), lesson_post(resource=downloaded.pk))
    assert response.status_code == 303  # the log form redirects with See Other after saving
    activity = ClassActivity.objects.get()
    assert activity.resource == downloaded
    assert activity.lesson_plan_title == downloaded.title  # filled in from the plan


def test_a_forged_plan_id_is_refused(client, psy, my_class, downloaded, library):  # noqa: F811
    not_mine = ResourcePageFactory(parent=library)
    client.force_login(psy.user)
    response = client.post(reverse("delivery:log", args=[my_class.pk]), lesson_post(resource=not_mine.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["resource"]
    assert not ClassActivity.objects.exists()


def test_usage_report_counts_downloads_and_lessons_in_scope(client, org, psy, my_class, downloaded, library):  # noqa: F811
    client.force_login(psy.user)
    client.post(reverse("delivery:log", args=[my_class.pk]), lesson_post(resource=downloaded.pk))
    elsewhere = ResourceAttachmentFactory(page=ResourcePageFactory(parent=library))
    services.record_download(CoordinatorRoleFactory(level="city").user, elsewhere)  # no school: not counted

    city = CoordinatorRoleFactory(level="city").user
    client.force_login(city)
    rows = {r["name"]: r for r in client.get(reverse("reports:resources")).context["table"].rows}
    assert (rows["东湖区"]["downloads"], rows["东湖区"]["teachers"], rows["东湖区"]["lessons"]) == (1, 1, 1)
    assert rows["西湖区"]["downloads"] == 0

    school_b = CoordinatorRoleFactory(level="school", school=org["school_b1"]).user
    client.force_login(school_b)
    table = client.get(reverse("reports:resources")).context["table"]
    assert [r["name"] for r in table.rows] == ["乙一小学"] and table.totals["downloads"] == 0

    district_a = CoordinatorRoleFactory(level="district", district=org["district_a"]).user
    client.force_login(district_a)
    rows = {r["name"]: r for r in client.get(reverse("reports:resources")).context["table"].rows}
    assert rows["甲一小学"]["lessons"] == 1 and rows["甲一小学"]["plans"] == 1
    assert client.get(reverse("reports:resources_chart")).json()["bar"]["series"][0]["data"]
    assert client.get(reverse("reports:resources"), {"district": org["district_b"].pk}).status_code == 404


def test_teachers_may_not_read_the_usage_report(client, psy):  # noqa: F811
    client.force_login(psy.user)
    assert client.get(reverse("reports:resources")).status_code in (302, 403, 404)
