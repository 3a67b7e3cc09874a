"""Past years stay true when teachers move (issue 11, part 1).

A year's report counts each teacher under the school they belonged to in that year
(accounts.SchoolMembership; the reference day is the year's last day, or today while it
runs). Moves before, during and after a year; a teacher who joined after a year; the
history built by the data migration from the ledger; scope of the old school's coordinator.
Marked `figures`: CI runs these on SQLite as well as PostgreSQL.
"""

import datetime
import importlib
from decimal import Decimal

import pytest

from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from accounts import membership
from accounts.models import SchoolMembership, TeacherCategory
from accounts.scope import scope_for
from tests.factories import CoordinatorRoleFactory, TeacherProfileFactory, TrainingYearFactory
from tests.reports.conftest import credit
from tracking.ledger.services import completion_rollup, record_entry
from tracking.models import LedgerSource, TeacherYearTotal, TrainingTarget
from tracking.reports import REPORTS
from tracking.reports.base import ReportContext

pytestmark = [pytest.mark.django_db, pytest.mark.figures]
D = datetime.date


@pytest.fixture
def years(training_year):
    """2025 (over) and 2026 (running: today is in it for these tests' purposes, or after it)."""
    y2025 = TrainingYearFactory(year=2025)
    for year in (y2025, training_year):
        TrainingTarget.objects.get_or_create(
            training_year=year, category=TeacherCategory.FULL_TIME_PSYCHOLOGY, defaults={"hours": Decimal("40")}
        )
    return {"2025": y2025, "2026": training_year}


def history(teacher, *stints):
    """Replace the teacher's memberships by contiguous stints [(school, start), …]; the last stays open.
    The profile's school becomes the last stint's (an UPDATE: no signal, the history is given)."""
    SchoolMembership.objects.filter(teacher=teacher).delete()
    for i, (school, start) in enumerate(stints):
        end = stints[i + 1][1] if i + 1 < len(stints) else None
        SchoolMembership.objects.create(teacher=teacher, school=school, started_on=start, ended_on=end)
    type(teacher).objects.filter(pk=teacher.pk).update(school=stints[-1][0])
    teacher.refresh_from_db()


def earn(teacher, year, hours, day, ref):
    """`hours` credited on `day` at the teacher's school of that moment (the ledger's snapshot)."""
    record_entry(
        teacher=teacher,
        training_year=year,
        hours=Decimal(str(hours)),
        source=LedgerSource.OFFLINE_SESSION,
        source_ref=ref,
        title="培训",
        activity_date=day,
    )


def by_school(user, year, **params):
    ctx = ReportContext.from_params({"year": year.pk, **params}, scope_for(user))
    table = REPORTS["completion"].build(ctx)
    return {row["name"]: row for row in table.rows}, table


@pytest.fixture
def mover_after(org, years):
    """40 h at A1 in 2025, moved to B1 on 10 January 2026."""
    a1, b1 = org["school_a1"], org["school_b1"]
    teacher = TeacherProfileFactory(school=a1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    history(teacher, (a1, D(2024, 9, 1)))
    earn(teacher, years["2025"], 40, D(2025, 5, 1), "a-2025")
    history(teacher, (a1, D(2024, 9, 1)), (b1, D(2026, 1, 10)))
    return teacher


def test_a_move_after_the_year_leaves_that_year_with_the_old_school(mover_after, org, years, city_coordinator):
    rows, _ = by_school(city_coordinator, years["2025"], district=org["district_a"].pk)
    assert rows["甲一小学"]["total"] == 1 and rows["甲一小学"]["met"] == 1
    city, table = by_school(city_coordinator, years["2025"])
    assert city["东湖区"]["met"] == 1 and city["西湖区"]["total"] == 0
    assert table.totals["total"] == 1
    # the running year: the teacher is at B1 now
    now, _ = by_school(city_coordinator, years["2026"])
    assert now["西湖区"]["total"] == 1 and now["东湖区"]["total"] == 0


def test_the_old_schools_coordinator_still_reads_that_year(mover_after, org, years, client, school_coordinator):
    client.force_login(school_coordinator)  # school A1
    page = client.get(reverse("reports:completion"), {"year": years["2025"].pk, "school": org["school_a1"].pk})
    assert mover_after.user.name in page.content.decode()
    # the list links to the teacher's page for the same year
    link = f"{reverse('reports:teacher', args=[mover_after.pk])}?year={years['2025'].pk}"
    assert f'href="{link}"' in page.content.decode()
    detail = client.get(reverse("reports:teacher", args=[mover_after.pk]), {"year": years["2025"].pk})
    assert detail.status_code == 200 and "40.0" in detail.content.decode()
    # but not the year the teacher spent at B1
    assert client.get(reverse("reports:teacher", args=[mover_after.pk]), {"year": years["2026"].pk}).status_code == 404
    page = client.get(reverse("reports:completion"), {"year": years["2026"].pk, "school": org["school_a1"].pk})
    assert mover_after.user.name not in page.content.decode()


def test_a_move_during_the_year_counts_once_under_the_school_the_year_ends_with(org, years, client, city_coordinator):
    a1, b1 = org["school_a1"], org["school_b1"]
    teacher = TeacherProfileFactory(school=a1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    history(teacher, (a1, D(2024, 9, 1)))
    earn(teacher, years["2025"], 10, D(2025, 3, 1), "a")
    history(teacher, (a1, D(2024, 9, 1)), (b1, D(2025, 7, 1)))
    earn(teacher, years["2025"], 30, D(2025, 9, 1), "b")
    city, table = by_school(city_coordinator, years["2025"])
    assert city["西湖区"]["total"] == 1 and city["西湖区"]["met"] == 1  # all 40 h, under B1
    assert city["东湖区"]["total"] == 0
    assert table.totals["total"] == 1  # once
    rows, table = by_school(city_coordinator, years["2025"], school=b1.pk)
    assert [r["hours"] for r in table.rows] == [Decimal("40.0")]
    assert table.rows[0]["school"] == "乙一小学"
    client.force_login(city_coordinator)
    page = client.get(reverse("reports:teacher", args=[teacher.pk]), {"year": years["2025"].pk}).content.decode()
    assert "data-hours-by-school" in page
    assert '甲一小学</td><td class="num">10.0' in page and '乙一小学</td><td class="num">30.0' in page


def test_a_move_before_the_year_counts_under_the_new_school(org, years, city_coordinator):
    a1, b1 = org["school_a1"], org["school_b1"]
    teacher = TeacherProfileFactory(school=b1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    history(teacher, (a1, D(2023, 9, 1)), (b1, D(2024, 6, 1)))
    earn(teacher, years["2025"], 12, D(2025, 4, 1), "b")
    city, _ = by_school(city_coordinator, years["2025"])
    assert city["西湖区"]["total"] == 1 and city["西湖区"]["not_met"] == 1 and city["东湖区"]["total"] == 0


def test_a_teacher_who_joined_after_the_year_is_not_in_it(org, years, city_coordinator):
    teacher = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    history(teacher, (org["school_a1"], D(2026, 3, 1)))
    city, table = by_school(city_coordinator, years["2025"])
    assert table.totals["total"] == 0 and table.totals["not_met"] == 0
    now, table = by_school(city_coordinator, years["2026"])
    assert table.totals["total"] == 1


def test_a_teacher_who_left_still_counts_in_the_years_they_worked(org, years, city_coordinator):
    teacher = TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    history(teacher, (org["school_a1"], D(2024, 9, 1)))
    credit(teacher, years["2025"], 40)
    teacher.is_active = False
    teacher.save()  # leaving closes the stint today
    assert SchoolMembership.objects.get(teacher=teacher).ended_on == timezone.localdate()
    _, past = by_school(city_coordinator, years["2025"])
    _, now = by_school(city_coordinator, years["2026"])
    assert past.totals["met"] == 1 and now.totals["total"] == 0


def test_saving_a_teacher_keeps_the_history(org):
    a1, b1 = org["school_a1"], org["school_b1"]
    teacher = TeacherProfileFactory(school=a1)
    today = timezone.localdate()
    assert list(teacher.memberships.values_list("school_id", "started_on", "ended_on")) == [(a1.pk, today, None)]
    teacher.school = b1  # changed the day the stint opened: a correction, not a move
    teacher.save()
    assert list(teacher.memberships.values_list("school_id", "ended_on")) == [(b1.pk, None)]
    history(teacher, (b1, D(2024, 9, 1)))
    membership.move(teacher, a1, on=D(2026, 2, 1))
    assert list(teacher.memberships.values_list("school_id", "started_on", "ended_on")) == [
        (b1.pk, D(2024, 9, 1), D(2026, 2, 1)),
        (a1.pk, D(2026, 2, 1), None),
    ]
    with pytest.raises(ValueError):
        membership.move(teacher, b1, on=D(2026, 1, 1))
    teacher.save()  # nothing changed: nothing written
    assert teacher.memberships.count() == 2


def build_history():
    module = importlib.import_module("tracking.migrations.0007_school_membership_history")
    module.build_history(django_apps, None)


def test_the_migration_builds_the_history_from_the_ledger(org, years, boundary, city_coordinator):
    """Existing figures: the running year reads the same before and after; a past year moves
    the mover's hours back to the school the ledger recorded."""
    a1, b1 = org["school_a1"], org["school_b1"]
    mover = TeacherProfileFactory(school=a1, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    earn(mover, years["2025"], 40, D(2025, 5, 1), "a-2025")
    type(mover).objects.filter(pk=mover.pk).update(school=b1)  # moved before this feature existed
    scope = scope_for(city_coordinator)
    # before: figures as the reports computed them from the current school
    before_now = completion_rollup(scope.teachers().filter(is_active=True), years["2026"], "school")
    SchoolMembership.objects.all().delete()
    build_history()
    assert SchoolMembership.objects.filter(ended_on__isnull=True).count() == len(boundary) + 1
    stints = list(SchoolMembership.objects.filter(teacher=mover).values_list("school_id", "ended_on"))
    assert stints == [(a1.pk, D(2026, 1, 1)), (b1.pk, None)]
    after_now = completion_rollup(
        scope.teachers_in_year(years["2026"]), years["2026"], "school", school_path="year_membership__school"
    )
    assert after_now == before_now
    past = completion_rollup(
        scope.teachers_in_year(years["2025"]), years["2025"], "school", school_path="year_membership__school"
    )
    assert past[a1.pk]["met"] == 1 and b1.pk not in past  # the others joined (were created) in 2026
    build_history()  # teachers with a history are left alone
    assert SchoolMembership.objects.filter(teacher=mover).count() == 2


def test_history_rules_for_the_migration():
    module = importlib.import_module("tracking.migrations.0007_school_membership_history")
    stints_for = module.stints_for
    today = D(2026, 11, 30)
    end25 = D(2025, 12, 31)
    # no entries: one stint from sign-up
    assert stints_for(1, True, D(2026, 3, 1), [], today) == [(1, D(2026, 3, 1), None)]
    # entries at 1 then 2 (current): the move at the first entry at 2
    entries = [(1, D(2025, 2, 1), end25), (2, D(2025, 9, 1), end25)]
    assert stints_for(2, True, D(2026, 1, 1), entries, today) == [
        (1, D(2025, 2, 1), D(2025, 9, 1)),
        (2, D(2025, 9, 1), None),
    ]
    # inactive now: the last stint closes today
    assert stints_for(1, False, D(2024, 1, 1), [], today) == [(1, D(2024, 1, 1), today)]
    # two schools on one day: the later entry wins the day
    same_day = [(1, D(2025, 2, 1), end25), (2, D(2025, 2, 1), end25)]
    assert stints_for(2, True, D(2026, 1, 1), same_day, today) == [(2, D(2025, 2, 1), None)]


def test_year_totals_are_untouched_by_moves(mover_after, years):
    """Moving changes where a teacher counts, never their hours."""
    total = TeacherYearTotal.objects.get(teacher=mover_after, training_year=years["2025"])
    assert total.hours == Decimal("40.0")


def test_a_district_coordinator_sees_the_past_year_of_their_schools(mover_after, org, years):
    user = CoordinatorRoleFactory(level="district", district=org["district_a"]).user
    rows, table = by_school(user, years["2025"])
    assert rows["甲一小学"]["met"] == 1
    rows, table = by_school(user, years["2026"])
    assert table.totals["total"] == 0
