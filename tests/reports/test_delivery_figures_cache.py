"""The delivery report keeps its figures per selection and generation (decision 0039): a
coordinator sees every write at once, never another scope's figures, and the chart reads the
figures the page just computed."""

import datetime

import pytest

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CoordinatorRoleFactory, ParentLectureFactory
from tracking.delivery import services
from tracking.delivery.models import KeyGradeConfig, ParentLecture
from tracking.models import ActivityKind

from .conftest import log

URL = "reports:delivery"


def rows(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    table = response.context["table"]
    return {r["name"]: {k: v for k, v in r.items() if not k.startswith("_")} for r in table.rows}, table.totals


def fresh(client, **params):
    """The same page with nothing cached: what the figures must be."""
    cache.clear()
    return rows(client, **params)


@pytest.mark.django_db
def test_every_kind_of_write_shows_at_once(delivery, org, login, city_coordinator):
    client = login(city_coordinator)
    term = delivery["term"].pk
    before, _ = rows(client, term=term)
    assert before["东湖区"]["lessons"] == 7 and before["东湖区"]["behind"] == 3

    writes = [
        # a class log: c_short reaches its 4 lessons
        lambda: log(delivery["c_short"], ActivityKind.PSYCHOLOGY_LESSON),
        # a family-visit tally: c_visit's last family
        lambda: services.set_family_visits(
            actor=city_coordinator, school_class=delivery["c_visit"], term=delivery["term"], families_visited=44
        ),
        # a parent lecture at A2, then voided
        lambda: ParentLectureFactory(school=org["school_a2"], date=datetime.date(2025, 10, 10)),
        lambda: services.void_record(
            actor=city_coordinator, obj=ParentLecture.objects.filter(school=org["school_a2"]).latest("pk"), reason="错"
        ),
        # a class's family count
        lambda: _save(delivery["c_b"], family_count=50),
        # the year's key grades
        lambda: KeyGradeConfig.objects.create(academic_year=delivery["year"], school_type="primary", grades=[1, 2]),
        # a school closed
        lambda: _save(org["school_a2"], is_active=False),
    ]
    seen = [before]
    for write in writes:
        write()
        after, totals = rows(client, term=term)
        assert (after, totals) == fresh(client, term=term)
        seen.append(after)
    assert seen[1]["东湖区"]["lessons"] == 8 and seen[1]["东湖区"]["behind"] == 2
    assert seen[2]["东湖区"]["families_visited"] == 176
    assert [s["东湖区"]["schools_with_parent_lecture"] for s in seen[2:5]] == [1, 2, 1]
    assert seen[5]["西湖区"]["families"] == 44 * 2 + 6
    assert seen[6]["东湖区"]["key_classes"] == 4
    assert seen[7]["东湖区"]["schools"] == 1


def _save(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()


@pytest.mark.django_db
def test_a_district_coordinator_never_gets_the_citys_figures(
    delivery, org, login, city_coordinator, district_coordinator
):
    term = delivery["term"].pk
    city_rows, _ = rows(login(city_coordinator), term=term)
    assert set(city_rows) == {"东湖区", "西湖区"}
    mine, totals = rows(login(district_coordinator), term=term)  # a district coordinator starts at district level
    assert set(mine) == {"甲一小学", "甲二中学"}
    assert totals["classes"] == city_rows["东湖区"]["classes"]
    assert (mine, totals) == fresh(login(district_coordinator), term=term)


@pytest.mark.django_db
def test_coordinators_of_two_schools_never_get_each_others_figures(delivery, org, login, city_coordinator):
    """The key is made of the scope and the selection (not of the classes' SQL): two school
    coordinators on the same (default) page, and the city's page of each school, stay apart."""
    first = CoordinatorRoleFactory(level="school", school=org["school_a1"]).user
    second = CoordinatorRoleFactory(level="school", school=org["school_a2"]).user
    term = delivery["term"].pk
    mine, totals = rows(login(first), term=term)
    theirs, their_totals = rows(login(second), term=term)  # the first's figures are cached by now
    assert set(mine) == {"甲一小学"} and set(theirs) == {"甲二中学"}
    assert (totals["classes"], their_totals["classes"]) == (3, 1)
    assert (theirs, their_totals) == fresh(login(second), term=term)
    city = login(city_coordinator)
    for school, classes in ((org["school_a1"], {"c_met", "c_short", "c_visit"}), (org["school_a2"], {"c_noact"})):
        response = city.get(reverse(URL), {"term": term, "school": school.pk})
        assert {r["_detail_url"].rstrip("/").rsplit("/", 1)[1] for r in response.context["table"].rows} == {
            str(delivery[key].pk) for key in classes
        }


@pytest.mark.django_db
def test_the_chart_reads_the_figures_the_page_computed(delivery, login, city_coordinator):
    client = login(city_coordinator)
    term = delivery["term"].pk
    assert client.get(reverse(URL), {"term": term}).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:delivery_chart"), {"term": term})
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "tracking_classtermtotal" in q["sql"]]
    assert sum(response.json()["bar"]["series"][0]["data"]) == 4  # behind, as on the page
