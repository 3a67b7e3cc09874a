"""Parent-school participation report: numbers against the hand-computed `parents` fixture."""

import pytest

from django.urls import reverse

URL = "reports:parents"


def page(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response.context["table"], response


@pytest.mark.django_db
def test_city_rows_per_district_with_no_school_row(parents, login, city_coordinator):
    t, response = page(login(city_coordinator))
    rows = {r["name"]: r for r in t.rows}
    assert list(rows) == ["东湖区", "西湖区", "未填写学校"] or list(rows) == ["东湖区", "西湖区", "No school given"]
    a, b, none = t.rows
    # A: p1 completed, p2 in progress (p3 registered, not enrolled); the teacher course of p4 is not counted
    assert (a["parents"], a["enrolled"], a["completed"], a["in_progress"], a["rate"]) == (3, 2, 1, 1, 50.0)
    assert (a["enrolled_primary_lower"], a["completed_primary_lower"], a["enrolled_junior"]) == (2, 1, 1)
    assert (b["parents"], b["enrolled"], b["completed"], b["rate"]) == (1, 1, 1, 100.0)
    assert (none["parents"], none["enrolled"], none["completed"], none["enrolled_junior"]) == (1, 1, 0, 1)
    assert none["_url"] == ""
    assert (t.totals["parents"], t.totals["enrolled"], t.totals["completed"], t.totals["rate"]) == (5, 4, 2, 50.0)
    assert {d["key"]: d["value"] for d in response.context["distribution"]} == {"completed": 2, "in_progress": 2}


@pytest.mark.django_db
def test_district_rows_per_school_and_school_rows_per_age_stage(parents, org, login, city_coordinator):
    client = login(city_coordinator)
    t, _ = page(client, district=org["district_a"].pk)
    rows = {r["name"]: r for r in t.rows}
    assert set(rows) == {"甲一小学", "甲二中学"}  # no "no school" row below city level
    assert (rows["甲一小学"]["enrolled"], rows["甲一小学"]["completed"]) == (2, 1)
    assert (rows["甲二中学"]["parents"], rows["甲二中学"]["enrolled"]) == (1, 0)
    t, _ = page(client, school=org["school_a1"].pk)
    stages = {r["id"]: r for r in t.rows}
    assert (stages["primary_lower"]["parents"], stages["primary_lower"]["enrolled"]) == (2, 2)
    assert stages["primary_lower"]["completed"] == 1
    assert (stages["junior"]["parents"], stages["junior"]["enrolled"], stages["junior"]["completed"]) == (1, 1, 0)
    assert stages["senior"]["enrolled"] == 0
    # p2 has two age stages: counted under both, but once in the totals
    assert (t.totals["parents"], t.totals["enrolled"], t.totals["completed"]) == (2, 2, 1)


@pytest.mark.django_db
def test_district_coordinator_never_sees_parents_without_school(parents, login, district_coordinator):
    t, _ = page(login(district_coordinator))
    assert {r["name"] for r in t.rows} == {"甲一小学", "甲二中学"}
    assert t.totals["enrolled"] == 2 and t.totals["parents"] == 3


@pytest.mark.django_db
def test_chart_matches_the_table(parents, login, city_coordinator):
    data = login(city_coordinator).get(reverse("reports:parents_chart")).json()
    assert data["bar"]["categories"][:2] == ["东湖区", "西湖区"] and len(data["bar"]["categories"]) == 3
    series = {s["key"]: s["data"] for s in data["bar"]["series"]}
    assert series["completed"] == [1, 1, 0] and series["in_progress"] == [1, 0, 1]
    assert data["bar"]["rates"] == [50.0, 100.0, 0.0]
