"""Keeping and reading teachers' school memberships (accounts.models.membership).

Writing: `sync(teacher)` runs after every save of a TeacherProfile (signal_handlers) and makes
the open stint match the profile — no stint for an inactive teacher, one open stint at
`teacher.school` for an active one. A change on the day a stint opened corrects that stint
instead of recording a move. `move(teacher, school, on=…)` records a move on a given day.

Reading: `with_year_school(queryset, year)` joins each teacher's stint for a training year
as `year_membership` (at most one: stints never overlap) and keeps only teachers who have
one. Reports group and scope by `year_membership__school`.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import School, SchoolMembership, TeacherProfile, TrainingYear

# The rule as the report pages print it (计算口径); docs/reports.md carries the same Chinese text.
YEAR_SCHOOL_RULE = _(
    "A training year counts each teacher once, under the school they belonged to on the year's last day "
    "(today, while the year runs): moving later does not change a past year; a teacher who moved during "
    "the year counts under the new school with all the year's hours (the teacher's page lists the hours "
    "earned at each school); teachers who joined after the year are not counted in it."
)


def reference_date(training_year: TrainingYear, today: datetime.date | None = None) -> datetime.date:
    """The day whose school a training year counts a teacher under: the year's last day, or
    today while the year runs (a year that has not started yet also reads today)."""
    today = today or timezone.localdate()
    return min(training_year.end_date, today)


def covering(day: datetime.date, prefix: str = "memberships") -> Q:
    """Q for stints (reached through `prefix`) that include `day`."""
    return Q(**{f"{prefix}__started_on__lte": day}) & (
        Q(**{f"{prefix}__ended_on__isnull": True}) | Q(**{f"{prefix}__ended_on__gt": day})
    )


def with_year_school(queryset, training_year: TrainingYear, *conditions: Q, today: datetime.date | None = None):
    """Teachers who belonged to a school in the training year, each joined once to that stint
    as `year_membership` (filter or group by `year_membership__school`).

    Pass every condition on the stint's school here: they go into one `filter()`, so the
    stint and its school are joined once (a later `.filter(year_membership__school__…)` on
    this multi-valued relation would join the memberships a second time)."""
    day = reference_date(training_year, today)
    return queryset.annotate(year_membership=FilteredRelation("memberships", condition=covering(day))).filter(
        Q(year_membership__isnull=False), *conditions
    )


def school_in_year(teacher: TeacherProfile, training_year: TrainingYear) -> School | None:
    """The school a training year counts `teacher` under (None: not a member that year)."""
    day = reference_date(training_year)
    stint = (
        SchoolMembership.objects.filter(teacher=teacher, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("school__district")
        .first()
    )
    return stint.school if stint else None


def sync(teacher: TeacherProfile, on: datetime.date | None = None) -> None:
    """Make the open stint match the profile as of `on` (default today)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        current = SchoolMembership.objects.select_for_update().filter(teacher=teacher, ended_on__isnull=True).first()
        if current is not None and teacher.is_active and current.school_id == teacher.school_id:
            return
        if current is not None:
            if current.started_on >= on:
                if teacher.is_active:  # changed on the day it opened: a correction, not a move
                    current.school_id = teacher.school_id
                    current.save(update_fields=["school"])
                    return
                current.delete()
            else:
                current.ended_on = on
                current.save(update_fields=["ended_on"])
        if teacher.is_active:
            SchoolMembership.objects.create(teacher=teacher, school_id=teacher.school_id, started_on=on)


def move(teacher: TeacherProfile, school: School, on: datetime.date | None = None) -> None:
    """Record that `teacher` works at `school` from `on` (default today). A move cannot be
    dated before the teacher's current stint began."""
    current = SchoolMembership.objects.filter(teacher=teacher, ended_on__isnull=True).first()
    if on is not None and current is not None and on < current.started_on:
        raise ValueError("A move cannot be dated before the current stint began.")
    teacher.school = school
    teacher._membership_on = on
    try:
        teacher.save(update_fields=["school"])
    finally:
        del teacher._membership_on
