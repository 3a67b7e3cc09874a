import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from accounts.models import TeacherProfile
from tracking.ledger.services import Status, annotate_status, annotate_status_joined, completion_rollup

ON = datetime.date(2026, 6, 1)  # during the year
AFTER = datetime.date(2027, 1, 5)  # after the 2026 training year ended


@pytest.mark.django_db
def test_joined_status_equals_subquery_status_at_every_boundary(boundary, training_year):
    for on in (ON, AFTER):
        a = {
            r["pk"]: r
            for r in annotate_status(TeacherProfile.objects.all(), training_year, on).values(
                "pk", "hours", "sessions", "percent", "status"
            )
        }
        b = {
            r["pk"]: r
            for r in annotate_status_joined(TeacherProfile.objects.all(), training_year, on).values(
                "pk", "hours", "sessions", "percent", "status"
            )
        }
        assert a == b
    status = {
        r["pk"]: r["status"]
        for r in annotate_status_joined(TeacherProfile.objects.all(), training_year, ON).values("pk", "status")
    }
    assert status[boundary["full_met"].pk] == Status.MET
    assert status[boundary["full_short"].pk] == Status.IN_PROGRESS
    assert status[boundary["head_corrected"].pk] == Status.IN_PROGRESS  # 12 − 3 = 9 < 10
    assert status[boundary["other_met"].pk] == Status.MET
    assert status[boundary["other_none"].pk] == Status.IN_PROGRESS
    assert status[boundary["other_no_session"].pk] == Status.IN_PROGRESS  # hours but no session


@pytest.mark.django_db
def test_rollup_by_district_and_school_matches_hand_counts(boundary, training_year, org):
    by_district = completion_rollup(TeacherProfile.objects.all(), training_year, "district", on=ON)
    a, b = org["district_a"].pk, org["district_b"].pk
    # District A: 8 teachers, met = full_met, head_met, other_met, part_met = 4
    assert by_district[a] == {
        "total": 8,
        "met": 4,
        "in_progress": 4,
        "not_met": 0,
        "no_target": 0,
        "rate": Decimal("50.0"),
    }
    assert by_district[b] == {
        "total": 2,
        "met": 1,
        "in_progress": 1,
        "not_met": 0,
        "no_target": 0,
        "rate": Decimal("50.0"),
    }
    by_school = completion_rollup(TeacherProfile.objects.all(), training_year, "school", on=ON)
    assert by_school[org["school_a1"].pk]["met"] == 3
    assert by_school[org["school_a1"].pk]["total"] == 6
    assert by_school[org["school_a2"].pk]["rate"] == Decimal("50.0")
    # After the year has ended, everyone short of the target is "not met".
    after = completion_rollup(TeacherProfile.objects.all(), training_year, "all", on=AFTER)[None]
    assert (after["met"], after["in_progress"], after["not_met"]) == (5, 0, 5)


@pytest.mark.django_db
def test_city_page_shows_district_rows_and_drills_down_to_teachers(
    boundary, training_year, org, login, city_coordinator
):
    client = login(city_coordinator)
    page = client.get(reverse("reports:completion"), {"year": training_year.pk})
    assert page.status_code == 200
    rows = {r["name"]: r for r in page.context["table"].rows}
    assert rows["东湖区"]["met"] == 4 and rows["西湖区"]["total"] == 2
    assert page.context["table"].totals["total"] == 10
    # click the district → schools
    page = client.get(rows["东湖区"]["_url"])
    schools = {r["name"]: r for r in page.context["table"].rows}
    assert set(schools) == {"甲一小学", "甲二中学"}
    assert [c["label"] for c in page.context["breadcrumbs"]][1:] == ["东湖区"]
    # click the school → teachers, each linked to the ledger
    page = client.get(schools["甲一小学"]["_url"])
    teachers = page.context["table"].rows
    assert len(teachers) == 6
    assert {t["staff_number"] for t in teachers} == {
        boundary[k].staff_number
        for k in ("full_met", "full_short", "head_met", "head_corrected", "other_met", "other_none")
    }
    detail = client.get(teachers[0]["_detail_url"])
    assert detail.status_code == 200


@pytest.mark.django_db
def test_filters_category_and_status(boundary, training_year, org, login, city_coordinator):
    client = login(city_coordinator)
    page = client.get(reverse("reports:completion"), {"year": training_year.pk, "category": "head"})
    rows = {r["name"]: r for r in page.context["table"].rows}
    assert rows["东湖区"]["total"] == 2 and rows["东湖区"]["met"] == 1
    page = client.get(
        reverse("reports:completion"),
        {"year": training_year.pk, "school": org["school_a1"].pk, "status": "in_progress"},
    )
    assert {r["staff_number"] for r in page.context["table"].rows} == {
        boundary[k].staff_number for k in ("full_short", "head_corrected", "other_none")
    }


@pytest.mark.django_db
def test_chart_json_has_the_table_numbers(boundary, training_year, login, city_coordinator):
    client = login(city_coordinator)
    data = client.get(reverse("reports:completion_chart"), {"year": training_year.pk}).json()
    assert data["bar"]["categories"] == ["东湖区", "西湖区"]
    met = next(s for s in data["bar"]["series"] if s["key"] == "met")
    assert met["data"] == [4, 1]
    assert {d["key"]: d["value"] for d in data["distribution"]}["in_progress"] == 5


def ledger_sums(year):
    from django.db.models import Count, Q, Sum

    from tracking.models import LedgerEntry

    return {
        r["teacher_id"]: (r["h"], r["s"], r["n"])
        for r in LedgerEntry.objects.filter(training_year=year)
        .values("teacher_id")
        .annotate(h=Sum("hours"), s=Count("id", filter=Q(counts_as_session=True, hours__gte=0)), n=Count("id"))
    }


@pytest.mark.django_db
def test_maintained_totals_equal_the_ledger_and_rebuild_is_idempotent(boundary, training_year):
    from tracking.ledger.totals import rebuild_totals
    from tracking.models import TeacherYearTotal

    def totals():
        return {
            t.teacher_id: (t.hours, t.sessions, t.entries)
            for t in TeacherYearTotal.objects.filter(training_year=training_year)
        }

    expected = ledger_sums(training_year)
    assert totals() == expected  # kept by record_entry / record_correction as they happen
    assert expected[boundary["head_corrected"].pk] == (Decimal("9.0"), 1, 2)  # the −3 h correction is no session
    TeacherYearTotal.objects.filter(teacher=boundary["full_met"]).update(hours=0)  # drift (e.g. a raw bulk load)
    assert rebuild_totals(training_year) == len(expected)
    assert totals() == expected
    assert rebuild_totals(training_year) == len(expected)
    assert totals() == expected


@pytest.mark.django_db
def test_status_from_totals_equals_status_from_ledger(boundary, training_year):
    from tracking.ledger.services import annotate_status_from_totals

    fields = ("pk", "hours", "sessions", "percent", "status")
    for on in (ON, AFTER):
        a = {r["pk"]: r for r in annotate_status(TeacherProfile.objects.all(), training_year, on).values(*fields)}
        b = {
            r["pk"]: r
            for r in annotate_status_from_totals(TeacherProfile.objects.all(), training_year, on).values(*fields)
        }
        assert a == b


@pytest.mark.django_db
def test_rebuild_command_restores_drifted_totals(boundary, training_year):
    from django.core.management import call_command

    from tracking.models import TeacherYearTotal

    TeacherYearTotal.objects.all().delete()  # as after a raw bulk load
    call_command("rebuild_training_totals", year=2026)
    got = {t.teacher_id: (t.hours, t.sessions, t.entries) for t in TeacherYearTotal.objects.all()}
    assert got == ledger_sums(training_year)


@pytest.mark.django_db
def test_names_in_the_table_are_shown_as_text_never_as_markup(boundary, training_year, org, login, city_coordinator):
    """The report rows are written out in Python (tracking/reports/table_html.py): a district,
    school or teacher name with markup in it reads as text, and no tag of it reaches the page."""
    org["district_a"].name = '东湖区<script>alert("x")</script>'
    org["district_a"].save()
    org["school_a1"].name = '甲一小学<img src=x onerror="alert(1)">'
    org["school_a1"].save()
    teacher = boundary["full_met"]
    teacher.user.name = "张老师<b>粗</b>"
    teacher.user.save()
    client = login(city_coordinator)
    city = client.get(reverse("reports:completion"), {"year": training_year.pk}).content.decode()
    assert "东湖区&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in city
    assert "<script>alert" not in city
    district = client.get(
        reverse("reports:completion"), {"year": training_year.pk, "district": org["district_a"].pk}
    ).content.decode()
    assert "甲一小学&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in district
    assert "<img src=x" not in district
    school = client.get(
        reverse("reports:completion"), {"year": training_year.pk, "school": org["school_a1"].pk}
    ).content.decode()
    assert "张老师&lt;b&gt;粗&lt;/b&gt;" in school
    assert "<b>粗</b>" not in school
