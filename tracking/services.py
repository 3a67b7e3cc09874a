"""Ledger operations and the one status computation that every view and report uses."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import Case, DecimalField, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import TeacherProfile, TrainingYear

from .models import LedgerEntry, LedgerSource, TrainingTarget

ZERO = Decimal("0")
HOURS_FIELD = DecimalField(max_digits=7, decimal_places=1)
PERCENT_FIELD = DecimalField(max_digits=7, decimal_places=1)


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
    hours_met = Q(target_hours__isnull=True) | Q(hours__gte=F("target_hours"))
    sessions_met = Q(target_sessions__isnull=True) | Q(sessions__gte=F("target_sessions"))
    has_target = Q(target_hours__isnull=False) | Q(target_sessions__isnull=False)
    qs = qs.annotate(
        percent=Case(
            When(
                target_hours__gt=0,
                then=Least(
                    ExpressionWrapper(
                        F("hours") * Value(Decimal("100")) / F("target_hours"), output_field=PERCENT_FIELD
                    ),
                    Value(Decimal("100")),
                ),
            ),
            When(
                target_sessions__gt=0,
                then=Least(
                    ExpressionWrapper(
                        F("sessions") * Value(Decimal("100")) / F("target_sessions"), output_field=PERCENT_FIELD
                    ),
                    Value(Decimal("100")),
                ),
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


def teacher_status(teacher: TeacherProfile, training_year: TrainingYear, on: datetime.date | None = None):
    """The status row for one teacher (the same computation reports use)."""
    return annotate_status(TeacherProfile.objects.filter(pk=teacher.pk), training_year, on).get()
