"""Class delivery compliance report: numbers against the hand-computed `delivery` fixture."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from tests.factories import AcademicYearFactory, SchoolClassFactory, TermFactory

URL = "reports:delivery"


def table(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response.context["table"], response


@pytest.mark.django_db
def test_city_rows_per_district(delivery, login, city_coordinator):
    t, page = table(login(city_coordinator), term=delivery["term"].pk)
    rows = {r["name"]: r for r in t.rows}
    a, b = rows["东湖区"], rows["西湖区"]
    # District A: c_met (4/4 lessons), c_short (3/4), c_visit (43/44 families), c_noact (no activity)
    assert (a["classes"], a["key_classes"], a["lessons"], a["lessons_due"], a["lessons_expected"]) == (4, 2, 7, 8, 8)
    assert a["classes_behind_on_lessons"] == 1  # c_short only: exactly due is not behind
    assert (a["classes_with_theme_meeting"], a["classes_with_special_activity"]) == (4, 3)
    assert (a["families_visited"], a["families"]) == (44 + 44 + 43 + 44, 4 * 44)
    assert (a["schools_with_parent_lecture"], a["schools"]) == (1, 2)  # A1 one lecture; A2 none (voided)
    assert (a["met"], a["on_track"], a["behind"]) == (1, 0, 3)
    # District B: c_b met; c_voc 35 of 36 career periods → behind
    assert (b["classes"], b["key_classes"], b["lessons"], b["classes_behind_on_lessons"]) == (2, 1, 4, 0)
    assert (b["career_periods"], b["career_expected"]) == (35, 36)
    assert (b["schools_with_parent_lecture"], b["schools"]) == (0, 2)
    assert (b["met"], b["behind"]) == (1, 1)
    assert t.totals["classes"] == 6 and t.totals["behind"] == 4 and t.totals["met"] == 2
    assert {d["key"]: d["value"] for d in page.context["distribution"]} == {"met": 2, "on_track": 0, "behind": 4}
    html = page.content.decode()
    assert f'<option value="{delivery["term"].pk}" selected>' in html  # the semester filter
    assert 'name="category"' not in html and 'name="year"' not in html  # filters that do not apply
    assert f"district={a['id']}" in a["_url"] and f"term={delivery['term'].pk}" in a["_url"]


@pytest.mark.django_db
def test_district_rows_per_school_and_school_rows_per_class(delivery, org, login, city_coordinator):
    client = login(city_coordinator)
    t, _ = table(client, term=delivery["term"].pk, district=org["district_a"].pk)
    rows = {r["name"]: r for r in t.rows}
    assert set(rows) == {"甲一小学", "甲二中学"}
    assert (rows["甲一小学"]["classes"], rows["甲一小学"]["behind"], rows["甲一小学"]["met"]) == (3, 2, 1)
    assert rows["甲一小学"]["schools_with_parent_lecture"] == 1 and rows["甲二中学"]["schools_with_parent_lecture"] == 0
    t, page = table(client, term=delivery["term"].pk, school=org["school_a1"].pk)
    by_class = {r["id"]: r for r in t.rows}
    met, short, visit = (by_class[delivery[k].pk] for k in ("c_met", "c_short", "c_visit"))
    assert (met["lessons"], met["lessons_due"], met["status_key"]) == (4, 4, "met")
    assert (short["lessons"], short["lessons_due"], short["status_key"]) == (3, 4, "behind")
    assert (visit["families_visited"], visit["families"], visit["status_key"]) == (43, 44, "behind")
    assert visit["lessons_due"] == 0  # grade 2 is not a key grade
    assert t.totals["lessons"] == 7 and t.totals["parent_lectures"] == 1
    assert [c["label"] for c in page.context["breadcrumbs"]][-2:] == ["东湖区", "甲一小学"]
    assert reverse("delivery:manage_class", args=[delivery["c_met"].pk]) == met["_detail_url"]


@pytest.mark.django_db
def test_default_term_is_the_current_one_and_unfinished_rules_are_on_track(org, login, city_coordinator):
    today = timezone.localdate()
    year = AcademicYearFactory(
        name="本学年", start_date=today - datetime.timedelta(days=10), end_date=today + datetime.timedelta(days=300)
    )
    TermFactory(
        academic_year=year,
        number=1,
        start_date=today - datetime.timedelta(days=3),
        end_date=today + datetime.timedelta(days=120),
    )
    SchoolClassFactory(school=org["school_a1"], academic_year=year, grade=2)  # nothing logged yet
    t, page = table(login(city_coordinator))
    assert page.context["ctx"].term.academic_year == year
    assert (t.totals["classes"], t.totals["on_track"], t.totals["behind"], t.totals["met"]) == (1, 1, 0, 0)


@pytest.mark.django_db
def test_chart_has_behind_and_on_track_per_district(delivery, login, city_coordinator):
    data = login(city_coordinator).get(reverse("reports:delivery_chart"), {"term": delivery["term"].pk}).json()
    assert data["bar"]["categories"] == ["东湖区", "西湖区"]
    series = {s["key"]: s["data"] for s in data["bar"]["series"]}
    assert series["behind"] == [3, 1] and series["on_track"] == [0, 0] and series["met"] == [1, 1]
    assert data["bar"]["rates"] == [75.0, 50.0]  # share of classes behind
    assert {d["key"]: d["value"] for d in data["distribution"]}["behind"] == 4


@pytest.mark.django_db
def test_forged_term_is_404(delivery, login, city_coordinator):
    client = login(city_coordinator)
    assert client.get(reverse(URL), {"term": "abc"}).status_code == 404
    assert client.get(reverse(URL), {"term": 999999}).status_code == 404


@pytest.mark.django_db
def test_without_any_semester_the_page_says_nothing_matches(org, login, city_coordinator):
    client = login(city_coordinator)
    t, page = table(client)
    assert t.rows == [] and t.totals is None
    assert client.get(reverse("reports:delivery_chart")).json()["distribution"] == []
    assert client.get(reverse("reports:export", args=["delivery"]), {"format": "csv"}).status_code == 200
