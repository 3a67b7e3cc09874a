"""The parent-school report shows the school's family work next to the parents' participation."""

import pytest

from django.urls import reverse


@pytest.mark.django_db
def test_district_rows_carry_families_visits_and_lectures_for_the_semester(
    delivery,
    parents,
    login,
    city_coordinator,
    org,
):
    client = login(city_coordinator)
    params = {"district": org["district_a"].pk, "term": delivery["term"].pk}
    response = client.get(reverse("reports:parents"), params)
    assert response.status_code == 200
    rows = {r["name"]: r for r in response.context["table"].rows}
    a1, a2 = rows["甲一小学"], rows["甲二中学"]
    # A1: three classes of 44 families, 44 + 44 + 43 visited, one lecture; A2: one class, no live lecture.
    assert (a1["families"], a1["families_visited"], a1["parent_lectures"]) == (132, 131, 1)
    assert (a2["families"], a2["families_visited"], a2["parent_lectures"]) == (44, 44, 0)
    # …next to the parents' own figures, which are unchanged.
    assert (a1["parents"], a1["enrolled"], a1["completed"]) == (2, 2, 1)
    totals = response.context["table"].totals
    assert (totals["families"], totals["families_visited"], totals["parent_lectures"]) == (176, 175, 1)


@pytest.mark.django_db
def test_city_rows_per_district_and_the_no_school_row(delivery, parents, login, city_coordinator):
    client = login(city_coordinator)
    response = client.get(reverse("reports:parents"), {"term": delivery["term"].pk})
    rows = response.context["table"].rows
    by_name = {r["name"]: r for r in rows}
    assert by_name["东湖区"]["families_visited"] == 175
    assert by_name["西湖区"]["families"] == 88  # B1 and the vocational school
    no_school = [r for r in rows if r["id"] is None][0]
    assert no_school["families"] == 0 and no_school["parents"] == 1


@pytest.mark.django_db
def test_the_family_work_counts_take_three_queries_whatever_the_rows(delivery, parents, login, city_coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.scope import scope_for
    from tracking.reports.base import ReportContext
    from tracking.reports.parents import ParentsReport

    ctx = ReportContext.from_params({"term": str(delivery["term"].pk)}, scope_for(city_coordinator))
    assert ctx.term == delivery["term"]  # resolved before counting
    with CaptureQueriesContext(connection) as queries:
        work = ParentsReport().family_work(ctx, "school__district_id")
    assert len(queries) == 3
    assert sum(v.get("families", 0) for v in work.values()) == 6 * 44
