"""Every report endpoint: who may open it, and what an id outside the scope gives (404, never data)."""

import re

import pytest

from django.urls import reverse

from tests.factories import CoordinatorRoleFactory

ENDPOINTS = [
    ("reports:index", {}),
    ("reports:completion", {}),
    ("reports:completion_chart", {}),
    ("reports:staffing", {}),
    ("reports:staffing_chart", {}),
]
EXPORTS = [("completion", "xlsx"), ("completion", "csv"), ("staffing", "xlsx"), ("staffing", "csv")]


def all_urls():
    urls = [reverse(name) for name, _ in ENDPOINTS]
    urls += [reverse("reports:export", args=[key]) + f"?format={fmt}" for key, fmt in EXPORTS]
    return urls


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, boundary):
    for url in all_urls() + [reverse("reports:teacher", args=[boundary["full_met"].pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.django_db
def test_teachers_and_parents_are_refused(boundary, login, parent_user):
    for user in (boundary["full_met"].user, parent_user):
        client = login(user)
        for url in all_urls() + [reverse("reports:teacher", args=[boundary["full_met"].pk])]:
            assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_coordinators_open_every_endpoint(boundary, login, city_coordinator, district_coordinator, school_coordinator):
    for user in (city_coordinator, district_coordinator, school_coordinator):
        client = login(user)
        for url in all_urls():
            assert client.get(url).status_code == 200, (user, url)


@pytest.mark.django_db
def test_district_coordinator_sees_only_own_district(boundary, org, training_year, login, district_coordinator):
    client = login(district_coordinator)
    page = client.get(reverse("reports:completion"), {"year": training_year.pk})
    names = {r["name"] for r in page.context["table"].rows}
    assert names == {"甲一小学", "甲二中学"}  # schools of district A, not 乙一小学
    assert page.context["table"].totals["total"] == 8
    forged = [
        (reverse("reports:completion"), {"district": org["district_b"].pk}),
        (reverse("reports:completion"), {"school": org["school_b1"].pk}),
        (reverse("reports:completion_chart"), {"school": org["school_b1"].pk}),
        (reverse("reports:staffing"), {"district": org["district_b"].pk}),
        (reverse("reports:export", args=["completion"]), {"school": org["school_b1"].pk, "format": "csv"}),
        (reverse("reports:export", args=["completion"]), {"district": "abc"}),
        (reverse("reports:completion"), {"school": 999999}),
        (reverse("reports:teacher", args=[boundary["b_head_met"].pk]), {}),
    ]
    for url, params in forged:
        assert client.get(url, params).status_code == 404, (url, params)
    assert client.get(reverse("reports:teacher", args=[boundary["full_met"].pk])).status_code == 200


@pytest.mark.django_db
def test_school_coordinator_sees_only_own_school(boundary, org, training_year, login, school_coordinator):
    client = login(school_coordinator)
    page = client.get(reverse("reports:completion"), {"year": training_year.pk})
    assert [r["name"] for r in page.context["table"].rows] == ["甲一小学"]
    assert page.context["table"].totals["total"] == 6
    assert client.get(reverse("reports:completion"), {"school": org["school_a2"].pk}).status_code == 404
    assert client.get(reverse("reports:completion"), {"district": org["district_a"].pk}).status_code == 404
    assert client.get(reverse("reports:teacher", args=[boundary["part_met"].pk])).status_code == 404
    csv = client.get(reverse("reports:export", args=["completion"]), {"format": "csv", "detail": "teachers"})
    text = csv.content.decode("utf-8-sig")
    assert boundary["full_met"].staff_number in text
    assert boundary["part_met"].staff_number not in text and boundary["b_head_met"].staff_number not in text


@pytest.mark.django_db
def test_city_coordinator_sees_everything(boundary, org, training_year, login, city_coordinator):
    client = login(city_coordinator)
    for params in ({"district": org["district_b"].pk}, {"school": org["school_b1"].pk}):
        assert client.get(reverse("reports:completion"), params).status_code == 200
    assert client.get(reverse("reports:teacher", args=[boundary["b_head_met"].pk])).status_code == 200


@pytest.mark.django_db
def test_nav_points_coordinators_to_the_reports_index(login, city_coordinator, boundary):
    client = login(city_coordinator)
    page = client.get(reverse("reports:index"))
    assert any(link["url"] == reverse("reports:index") for link in page.context["nav_links"])


@pytest.mark.django_db
def test_notices_need_login_and_show_only_own(client, boundary, login):
    from tests.factories import NotificationFactory

    assert client.get(reverse("notices:list")).status_code == 302
    mine = NotificationFactory(user=boundary["full_met"].user, title="我的提醒")
    NotificationFactory(user=boundary["head_met"].user, title="别人的提醒")
    page = login(boundary["full_met"].user).get(reverse("notices:list"))
    assert [n.pk for n in page.context["notices"]] == [mine.pk]


@pytest.mark.django_db
def test_export_job_page_is_only_for_the_requester(login, city_coordinator, other_city_coordinator):
    from tests.factories import ExportJobFactory

    job = ExportJobFactory(user=city_coordinator)
    assert login(city_coordinator).get(reverse("reports:export_job", args=[job.pk])).status_code == 200
    assert login(other_city_coordinator).get(reverse("reports:export_job", args=[job.pk])).status_code == 404


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r">([^<]*)</option>", select)


@pytest.mark.django_db
def test_filter_options_name_only_the_scope(boundary, org, login, city_coordinator, school_coordinator):
    """The filters' district and school options are the scope's, whether read with a query or
    taken from the checked selection (a coordinator of one school or one district, the city on
    a school page)."""
    both_schools = CoordinatorRoleFactory(level="school", school=org["school_a1"]).user
    CoordinatorRoleFactory(user=both_schools, level="school", school=org["school_b1"])
    district_and_school = CoordinatorRoleFactory(level="district", district=org["district_a"]).user
    CoordinatorRoleFactory(user=district_and_school, level="school", school=org["school_b1"])
    one_district = CoordinatorRoleFactory(level="district", district=org["district_a"]).user
    a1, b1 = org["school_a1"].pk, org["school_b1"].pk
    cases = [
        (school_coordinator, {"school": a1}, ["全部县区", "东湖区"], ["全部学校", "甲一小学"]),
        (both_schools, {"school": a1}, ["全部县区", "东湖区", "西湖区"], ["全部学校", "甲一小学", "乙一小学"]),
        (one_district, {"district": org["district_a"].pk}, ["全部县区", "东湖区"], None),
        (district_and_school, {"district": org["district_a"].pk}, ["全部县区", "东湖区", "西湖区"], None),
        (city_coordinator, {"school": b1}, ["全部县区", "东湖区", "西湖区"], ["全部学校", "乙一小学"]),
    ]
    for user, params, districts, schools in cases:
        for key in ("completion", "delivery"):
            html = login(user).get(reverse(f"reports:{key}"), params).content.decode()
            assert _options(html, "district") == districts, (user, params, key)
            if schools is not None:
                assert _options(html, "school") == schools, (user, params, key)


@pytest.mark.django_db
def test_a_role_change_reaches_the_reports_at_once(boundary, org, training_year, login):
    """The report views read the scope's roles from the cache (accounts.scope.scope_for_cached);
    a role moved, removed or added is seen on the next request."""
    role = CoordinatorRoleFactory(level="district", district=org["district_a"])
    client = login(role.user)
    url = reverse("reports:completion")

    def names():
        response = client.get(url, {"year": training_year.pk})
        return response.status_code, [
            r["name"] for r in response.context["table"].rows
        ] if response.status_code == 200 else []

    assert names() == (200, ["甲一小学", "甲二中学"])
    assert client.get(url, {"district": org["district_a"].pk}).status_code == 200
    role.district = org["district_b"]
    role.save()
    assert names() == (200, ["乙一小学"])
    assert client.get(url, {"district": org["district_a"].pk}).status_code == 404
    role.delete()
    assert client.get(url).status_code == 403
    CoordinatorRoleFactory(user=role.user, level="school", school=org["school_a2"])
    assert names() == (200, ["甲二中学"])
