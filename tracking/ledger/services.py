"""Ledger operations and the one status computation that every view and report uses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import (
    Case,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TeacherProfile, TrainingYear

from ..figures import PERCENT_FIELD, Ratio, percent, to_decimal
from .models import LedgerEntry, LedgerSource, TeacherYearTotal, TrainingTarget

ZERO = Decimal("0")
HOURS_FIELD = DecimalField(max_digits=7, decimal_places=1)


# The rules as the report pages print them (计算口径); docs/reports.md carries the same Chinese text.
TARGET_RULE = _(
    "Target met: the year's hours and training sessions both reach the target of the teacher's category "
    "(40 h full-time psychology, 20 h part-time, 10 h head teachers, 1 session other teachers); below it a "
    "teacher is in progress while the year runs and has not met the target once it has ended. "
    "Completion rate = teachers who met the target ÷ teachers with a target."
)
SESSION_RULE = _(
    "A training session is any ledger entry marked as a session: an offline session attended, an approved "
    "external certificate, or a completed online course unless its editor unticked “counts as a training "
    "session”; corrections never add a session."
)


class Status(models.TextChoices):
    MET = "met", _("target met")  # 达标
    IN_PROGRESS = "in_progress", _("in progress")  # 进行中
    NOT_MET = "not_met", _("target not met")  # 未达标 (after the year has ended)


def record_entry(
    *,
    teacher: TeacherProfile,
    training_year: TrainingYear,
    hours: Decimal,
    source: str,
    source_ref: str,
    title: str,
    activity_date: datetime.date,
    counts_as_session: bool = True,
    recorded_by=None,
    note: str = "",
) -> tuple[LedgerEntry, bool]:
    """Write one ledger entry, or return the existing one for the same source: (entry, created).

    Safe under concurrency: the unique constraint decides, and the loser of a race reads
    the winner's row instead of failing.
    """
    key = {"teacher": teacher, "training_year": training_year, "source": source, "source_ref": source_ref}
    existing = LedgerEntry.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                **key,
                school_id=teacher.school_id,
                hours=hours,
                counts_as_session=counts_as_session,
                title=title[:255],
                activity_date=activity_date,
                recorded_by=recorded_by,
                note=note,
            )
        return entry, True
    except IntegrityError:
        return LedgerEntry.objects.get(**key), False


def record_correction(
    *, teacher: TeacherProfile, training_year: TrainingYear, hours: Decimal, reason: str, recorded_by, sessions_delta=0
) -> LedgerEntry:
    """A correction is a new entry with a reason; the original entries are never touched."""
    import uuid

    if not reason.strip():
        raise ValueError("A correction needs a reason.")
    entry, _created = record_entry(
        teacher=teacher,
        training_year=training_year,
        hours=hours,
        source=LedgerSource.CORRECTION,
        source_ref=uuid.uuid4().hex,
        title=str(_("Correction")),
        activity_date=timezone.localdate(),
        counts_as_session=sessions_delta > 0,
        recorded_by=recorded_by,
        note=reason,
    )
    return entry


def forget_person(user) -> int:
    """Identity removal (personal-data deletion): the person's ledger entries stay, with their
    hours, dates and school, but no longer point at them (teacher and `recorded_by` cleared),
    and their yearly totals go. This is the one UPDATE the database lets through on the
    append-only ledger (accounts/append_only.py). Returns the number of entries changed."""
    with transaction.atomic():
        teachers = TeacherProfile.objects.filter(user=user)
        n = LedgerEntry.objects.filter(teacher__in=teachers).update(teacher=None)
        n += LedgerEntry.objects.filter(recorded_by=user).update(recorded_by=None)
        TeacherYearTotal.objects.filter(teacher__in=teachers).delete()
    return n


def annotate_status(queryset, training_year: TrainingYear, on: datetime.date | None = None):
    """Annotate TeacherProfile rows with hours, sessions, target, percent and status, in SQL.

    One query whatever the number of teachers: sums and the category's target are
    correlated subqueries; status is a CASE. Used by the dashboard and every report.
    """
    entries = LedgerEntry.objects.filter(teacher=OuterRef("pk"), training_year=training_year)
    hours_sum = Subquery(
        entries.values("teacher").annotate(s=models.Sum("hours")).values("s")[:1], output_field=HOURS_FIELD
    )
    # Corrections with counts_as_session=False never add a session; negative corrections never do either.
    sessions_sum = Subquery(
        entries.filter(counts_as_session=True, hours__gte=0)
        .values("teacher")
        .annotate(n=models.Count("id"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    targets = TrainingTarget.objects.filter(training_year=training_year, category=OuterRef("category"))
    ended = training_year.has_ended(on)

    qs = queryset.annotate(
        hours=Coalesce(hours_sum, Value(ZERO), output_field=HOURS_FIELD),
        sessions=Coalesce(sessions_sum, Value(0)),
        target_hours=Subquery(targets.values("hours")[:1], output_field=HOURS_FIELD),
        target_sessions=Subquery(targets.values("sessions")[:1], output_field=IntegerField()),
    )
    return _annotate_percent_and_status(qs, ended)


def _annotate_percent_and_status(qs, ended: bool):
    """The one status rule, on rows that already carry hours, sessions and the two targets.

    `percent` is unrounded (exact on both databases, see `tracking.figures.Ratio`); whoever
    shows it rounds with `tracking.figures.round_percent`."""
    hours_met = Q(target_hours__isnull=True) | Q(hours__gte=F("target_hours"))
    sessions_met = Q(target_sessions__isnull=True) | Q(sessions__gte=F("target_sessions"))
    has_target = Q(target_hours__isnull=False) | Q(target_sessions__isnull=False)
    qs = qs.annotate(
        percent=Case(
            When(
                target_hours__gt=0,
                then=Least(Ratio(F("hours"), F("target_hours")), Value(Decimal("100"))),
            ),
            When(
                target_sessions__gt=0,
                then=Least(Ratio(F("sessions"), F("target_sessions")), Value(Decimal("100"))),
            ),
            When(has_target, then=Value(Decimal("100"))),
            default=Value(None),
            output_field=PERCENT_FIELD,
        ),
        status=Case(
            When(has_target & hours_met & sessions_met, then=Value(Status.MET.value)),
            When(has_target, then=Value(Status.NOT_MET.value if ended else Status.IN_PROGRESS.value)),
            default=Value(""),
            output_field=models.CharField(),
        ),
    )
    return qs


def annotate_status_joined(queryset, training_year: TrainingYear, on: datetime.date | None = None):
    """Same annotations and the same status rule as `annotate_status`, computed with one join.

    The year's ledger rows are joined once (the year condition sits in the JOIN, via
    FilteredRelation) and summed with GROUP BY teacher, instead of two correlated
    subqueries per teacher: reads the ledger itself (reminders use it), several times
    faster than `annotate_status` on long lists, slower than `annotate_status_from_totals`.
    """
    year_entries = FilteredRelation("ledger_entries", condition=Q(ledger_entries__training_year=training_year))
    target_hours, target_sessions = _targets_by_category(training_year, aggregate=True)
    qs = queryset.annotate(year_entries=year_entries).annotate(
        hours=Coalesce(models.Sum("year_entries__hours"), Value(ZERO), output_field=HOURS_FIELD),
        sessions=models.Count(
            "year_entries", filter=Q(year_entries__counts_as_session=True, year_entries__hours__gte=0)
        ),
        target_hours=target_hours,
        target_sessions=target_sessions,
    )
    return _annotate_percent_and_status(qs, training_year.has_ended(on))


def _targets_by_category(training_year: TrainingYear, *, aggregate: bool = False):
    """The year's targets (a handful of rows, read once) inlined as CASE on the category.

    No per-teacher subquery. With `aggregate`, wrapped in MAX (one value per teacher anyway)
    so a GROUP BY stays on the teacher's key alone.
    """
    targets = list(
        TrainingTarget.objects.filter(training_year=training_year).values_list("category", "hours", "sessions")
    )

    def by_category(index: int, field):
        whens = [When(category=row[0], then=Value(row[index])) for row in targets if row[index] is not None]
        if not whens:
            return Value(None, output_field=field)
        expression = Case(*whens, default=Value(None), output_field=field)
        return models.Max(expression, output_field=field) if aggregate else expression

    return by_category(1, HOURS_FIELD), by_category(2, IntegerField())


def annotate_status_from_totals(queryset, training_year: TrainingYear, on: datetime.date | None = None):
    """Same annotations and status rule as `annotate_status`, read from the maintained roll-up
    (`TeacherYearTotal`, one row per teacher and year): no aggregation over the ledger at all.

    This is what city-scale reports use; tests check it agrees with `annotate_status`.
    """
    year_total = FilteredRelation("year_totals", condition=Q(year_totals__training_year=training_year))
    target_hours, target_sessions = _targets_by_category(training_year)
    qs = queryset.annotate(year_total=year_total).annotate(
        hours=Coalesce(F("year_total__hours"), Value(ZERO), output_field=HOURS_FIELD),
        sessions=Coalesce(F("year_total__sessions"), Value(0)),
        target_hours=target_hours,
        target_sessions=target_sessions,
    )
    return _annotate_percent_and_status(qs, training_year.has_ended(on))


@dataclass(frozen=True)
class TeacherStatus:
    """One teacher's year against the target: what `annotate_status` puts on a report's row."""

    teacher: TeacherProfile
    hours: Decimal
    sessions: int
    target_hours: Decimal | None
    target_sessions: int | None
    percent: Decimal | None
    status: str


def status_of(
    hours: Decimal, sessions: int, target_hours: Decimal | None, target_sessions: int | None, ended: bool
) -> tuple[Decimal | None, str]:
    """(percent, status) for one teacher's figures: `_annotate_percent_and_status`, the rule the
    reports run in SQL, written out for a single row (tests/ledger/test_status.py holds the two to
    the same answers). Percent is unrounded, as the SQL's."""
    has_target = target_hours is not None or target_sessions is not None
    if target_hours is not None and target_hours > 0:
        percent = min(to_decimal(hours) * 100 / to_decimal(target_hours), Decimal("100"))
    elif target_sessions is not None and target_sessions > 0:
        percent = min(Decimal(sessions) * 100 / Decimal(target_sessions), Decimal("100"))
    else:
        percent = Decimal("100") if has_target else None
    hours_met = target_hours is None or hours >= target_hours
    sessions_met = target_sessions is None or sessions >= target_sessions
    if not has_target:
        return percent, ""
    if hours_met and sessions_met:
        return percent, Status.MET.value
    return percent, Status.NOT_MET.value if ended else Status.IN_PROGRESS.value


def teacher_status(teacher: TeacherProfile, training_year: TrainingYear, on: datetime.date | None = None):
    """The status of one teacher (我的研修, 我的首页): the year's ledger summed in one plain query,
    the category's target read, and the reports' rule applied by `status_of`.

    Not `annotate_status(...).get()`: building that query's SQL (correlated subqueries, the status
    CASE referring to them) costs 10–14 ms of CPU per page, more than everything else on it."""
    sums = LedgerEntry.objects.filter(teacher=teacher, training_year=training_year).aggregate(
        year_hours=models.Sum("hours"), year_sessions=models.Count("id", filter=Q(counts_as_session=True, hours__gte=0))
    )
    target = (
        TrainingTarget.objects.filter(training_year=training_year, category=teacher.category)
        .values_list("hours", "sessions")
        .first()
    ) or (None, None)
    hours = to_decimal(sums["year_hours"]) if sums["year_hours"] is not None else ZERO
    sessions = sums["year_sessions"]
    percent, status = status_of(hours, sessions, target[0], target[1], training_year.has_ended(on))
    return TeacherStatus(teacher, hours, sessions, target[0], target[1], percent, status)


ROLLUP_GROUPS = {
    "district": "{school}__district_id",
    "school": "{school}_id",
    "category": "category",
    "all": None,
}


def completion_rollup(
    teachers,
    training_year: TrainingYear,
    by: str = "district",
    *,
    status: str | None = None,
    on: datetime.date | None = None,
    school_path: str = "school",
    and_category: bool = False,
) -> dict:
    """Counts per status for groups of teachers, in ONE query: {group key: counts}.

    Uses `annotate_status_from_totals` (the same status rule as `annotate_status`, over the
    maintained per-teacher roll-up) as an inner query and groups it in SQL:
    ``SELECT key, status, COUNT(*) FROM (<inner>) GROUP BY key, status``.
    `by` is "district", "school", "category" or "all" (one group under the key None);
    `school_path` names the school teachers are grouped under: "school" (now) or
    "year_membership__school" (the training year's, for querysets from
    `Scope.teachers_in_year`).
    Each value: total, met, in_progress, not_met, no_target and rate (% met of those with a
    target, one decimal, None when nobody has a target).
    `and_category`: split each group by teacher category too, {(group key, category): counts},
    still one query (the scorecard reads three categories per school in one pass).
    """
    if by not in ROLLUP_GROUPS:
        raise ValueError(f"Unknown grouping: {by}")
    path = ROLLUP_GROUPS[by] and ROLLUP_GROUPS[by].format(school=school_path)
    inner = annotate_status_from_totals(teachers, training_year, on).annotate(
        group_key=F(path) if path else Value(None, output_field=IntegerField())
    )
    if status:
        inner = inner.filter(status=status)
    if and_category:
        inner = inner.annotate(group_category=F("category"))
    inner = inner.order_by().values("group_key", *(["group_category"] if and_category else []), "status")
    sql, params = inner.query.sql_with_params()
    # Group by (key, status) and pivot here: the status CASE is then evaluated once per teacher
    # (three SUM(CASE status …) columns would make the database evaluate it three times).
    keys = "t.group_key, t.group_category" if and_category else "t.group_key"
    outer = f"SELECT {keys}, t.status, COUNT(*) FROM ({sql}) t GROUP BY {keys}, t.status"  # noqa: S608
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    counts: dict = {}
    for row in rows:
        *key, row_status, n = row
        counts.setdefault(tuple(key) if and_category else key[0], {})[row_status] = n
    return {
        key: rollup_counts(
            sum(by_status.values()),
            by_status.get(Status.MET.value, 0),
            by_status.get(Status.IN_PROGRESS.value, 0),
            by_status.get(Status.NOT_MET.value, 0),
        )
        for key, by_status in counts.items()
    }


def rollup_counts(total: int = 0, met: int = 0, in_progress: int = 0, not_met: int = 0) -> dict:
    """One group's counts plus the completion rate (% met among teachers who have a target)."""
    total, met, in_progress, not_met = int(total or 0), int(met or 0), int(in_progress or 0), int(not_met or 0)
    with_target = met + in_progress + not_met
    rate = percent(met, with_target)
    return {
        "total": total,
        "met": met,
        "in_progress": in_progress,
        "not_met": not_met,
        "no_target": total - with_target,
        "rate": rate,
    }
