"""Keep `ClassTermTotal` equal to the class logs (docs/decisions/0027).

Every ORM write of a `ClassActivity` — `services.log_activity` (the teacher and coordinator
forms, the demo loader, campaign activities counted as 专题活动), `change_record`, `void_record`,
`withdraw_activity`, a test's `objects.create` — sends `post_save`; the receiver below
recomputes the totals of the log's class (and of its former class when a correction moved it)
inside the same transaction, after locking the class row, so two concurrent logs of one class
never lose each other's count. Writers that send no signal — `bulk_create`, COPY, raw SQL
(`generate_city_data`'s class-log hook, bench fixtures) — call `recompute_for_classes` or
`rebuild_totals` themselves; `manage.py rebuild_delivery_totals` rebuilds everything.

Which semester a log belongs to depends on the semesters' dates, so saving a `Term` or an
`AcademicYear` rebuilds that year's rows.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, IntegerField, Max, Q, Sum, Value, When
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accounts.models import AcademicYear, SchoolClass, Term

from . import figures_cache
from .models import ActivityKind, ClassActivity, ClassTermTotal

COUNTED_FIELDS = (
    "lessons",
    "theme_meetings",
    "special_activities",
    "career_periods",
    "year_career_periods",
    "logs",
    "last_date",
)


def _bucket_expressions(year_ids=None) -> tuple[Case, Case, Case, dict[int, list[int]]] | None:
    """(bucket term id, dated inside that term?, dated inside the class's academic year?) per log,
    and the semesters' ids of each academic year.

    A CASE over the (few) semesters: each year's range is cut at its semesters' start dates, so
    a log between two semesters goes to the earlier one (before the first: to the first)."""
    terms = Term.objects.select_related("academic_year").order_by("academic_year_id", "start_date")
    if year_ids is not None:
        terms = terms.filter(academic_year_id__in=year_ids)
    by_year: dict[int, list[Term]] = {}
    for term in terms:
        by_year.setdefault(term.academic_year_id, []).append(term)
    if not by_year:
        return None
    bucket, in_term, in_year = [], [], []
    for year_id, year_terms in by_year.items():
        year = year_terms[0].academic_year
        of_year = Q(school_class__academic_year_id=year_id)
        low = min(year.start_date, year_terms[0].start_date)
        high = max(year.end_date, max(t.end_date for t in year_terms))
        for i, term in enumerate(year_terms):
            start = low if i == 0 else term.start_date
            upto = Q(date__lt=year_terms[i + 1].start_date) if i + 1 < len(year_terms) else Q(date__lte=high)
            bucket.append(When(of_year & Q(date__gte=start) & upto, then=Value(term.pk)))
            in_term.append(When(of_year & Q(date__gte=term.start_date, date__lte=term.end_date), then=Value(True)))
        in_year.append(When(of_year & Q(date__gte=year.start_date, date__lte=year.end_date), then=Value(True)))
    return (
        Case(*bucket, default=None, output_field=IntegerField()),
        Case(*in_term, default=Value(False), output_field=BooleanField()),
        Case(*in_year, default=Value(False), output_field=BooleanField()),
        {year_id: [t.pk for t in year_terms] for year_id, year_terms in by_year.items()},
    )


def _computed(class_ids=None, year_ids=None) -> list[ClassTermTotal]:
    """The totals as the logs give them, for some classes and/or academic years (None: all)."""
    expressions = _bucket_expressions(year_ids)
    if expressions is None:
        return []
    bucket, in_term, in_year, year_terms = expressions
    logs = ClassActivity.objects.active()
    if class_ids is not None:
        logs = logs.filter(school_class_id__in=class_ids)
    if year_ids is not None:
        logs = logs.filter(school_class__academic_year_id__in=year_ids)

    def count(kind: str):
        return Count("pk", filter=Q(kind=kind, in_term=True))

    rows = (
        logs.annotate(bucket=bucket, in_term=in_term, in_year=in_year)
        .filter(bucket__isnull=False)
        .order_by()
        .values("school_class_id", "bucket")
        .annotate(
            n_lessons=count(ActivityKind.PSYCHOLOGY_LESSON),
            n_theme_meetings=count(ActivityKind.THEME_MEETING),
            n_special_activities=count(ActivityKind.SPECIAL_ACTIVITY),
            n_career_periods=Sum("periods", filter=Q(kind=ActivityKind.CAREER_COURSE, in_year=True)),
            n_logs=Count("pk"),
            n_last_date=Max("date"),
        )
    )
    year_of = {term_id: year_id for year_id, ids in year_terms.items() for term_id in ids}
    per_class: dict[int, dict[int, ClassTermTotal]] = {}
    for r in rows.iterator(chunk_size=5000):
        per_class.setdefault(r["school_class_id"], {})[r["bucket"]] = ClassTermTotal(
            school_class_id=r["school_class_id"],
            term_id=r["bucket"],
            lessons=r["n_lessons"],
            theme_meetings=r["n_theme_meetings"],
            special_activities=r["n_special_activities"],
            career_periods=r["n_career_periods"] or 0,
            logs=r["n_logs"],
            last_date=r["n_last_date"],
        )
    totals = []
    for class_id, by_term in per_class.items():
        # Every semester of the class's year gets a row (the report reads one per class), each
        # carrying the year's career periods.
        year_career = sum(row.career_periods for row in by_term.values())
        for term_id in year_terms[year_of[next(iter(by_term))]]:
            row = by_term.get(term_id) or ClassTermTotal(school_class_id=class_id, term_id=term_id, logs=0)
            row.year_career_periods = year_career
            totals.append(row)
    return totals


def recompute_for_classes(class_ids) -> None:
    """Recompute the totals of some classes from their logs, in the caller's transaction.

    The class rows are locked first (in id order): a concurrent write to the same class waits,
    then recomputes with this one's log committed and visible, so no count is lost or doubled."""
    ids = sorted({pk for pk in class_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        list(SchoolClass.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        rows = _computed(class_ids=ids)
        ClassTermTotal.objects.filter(school_class_id__in=ids).delete()
        ClassTermTotal.objects.bulk_create(rows, batch_size=5000)


def rebuild_totals(academic_year=None) -> int:
    """Recompute every total (or one academic year's) from the logs. Idempotent; returns the rows."""
    year_ids = None if academic_year is None else [getattr(academic_year, "pk", academic_year)]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Hold new logs back while recomputing, so none is counted twice or lost.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {ClassActivity._meta.db_table} IN SHARE MODE")  # noqa: S608
        rows = _computed(year_ids=year_ids)
        stale = ClassTermTotal.objects.all()
        if year_ids is not None:
            stale = stale.filter(school_class__academic_year_id__in=year_ids)
        stale.delete()
        ClassTermTotal.objects.bulk_create(rows, batch_size=5000)
        figures_cache.bump()  # bulk writes send no signal
        if connection.vendor == "postgresql":  # fresh statistics: the report's plan depends on them
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {ClassTermTotal._meta.db_table}")
    return len(rows)


def totals_differ(academic_year=None) -> list[tuple]:
    """Rows where the maintained totals differ from the logs (empty when they agree); for tests and checks."""
    year_ids = None if academic_year is None else [getattr(academic_year, "pk", academic_year)]
    stored = ClassTermTotal.objects.all()
    if year_ids is not None:
        stored = stored.filter(school_class__academic_year_id__in=year_ids)

    def key(row):
        return (row.school_class_id, row.term_id)

    def values(row):
        return tuple(getattr(row, f) for f in COUNTED_FIELDS)

    have = {key(r): values(r) for r in stored}
    want = {key(r): values(r) for r in _computed(year_ids=year_ids)}
    return sorted((k, have.get(k), want.get(k)) for k in have.keys() | want.keys() if have.get(k) != want.get(k))


# --- Signal receivers: every ORM write of a log ----------------------------------------------
@receiver(pre_save, sender=ClassActivity, dispatch_uid="tracking.delivery.totals.before_log_saved")
def _before_log_saved(sender, instance: ClassActivity, raw: bool = False, **kwargs):
    if instance.pk and not raw:  # a correction may move the log to another class: recount both
        instance._class_before_save = (
            ClassActivity.objects.filter(pk=instance.pk).values_list("school_class_id", flat=True).first()
        )


@receiver(post_save, sender=ClassActivity, dispatch_uid="tracking.delivery.totals.log_saved")
def _log_saved(sender, instance: ClassActivity, raw: bool = False, **kwargs):
    if not raw:
        recompute_for_classes([instance.school_class_id, getattr(instance, "_class_before_save", None)])


@receiver(post_delete, sender=ClassActivity, dispatch_uid="tracking.delivery.totals.log_deleted")
def _log_deleted(sender, instance: ClassActivity, **kwargs):
    recompute_for_classes([instance.school_class_id])


@receiver(post_save, sender=SchoolClass, dispatch_uid="tracking.delivery.totals.class_saved")
def _class_saved(sender, instance: SchoolClass, created: bool, raw: bool = False, **kwargs):
    if not created and not raw:  # its academic year may have changed, and with it the semesters
        recompute_for_classes([instance.pk])


@receiver(post_save, sender=Term, dispatch_uid="tracking.delivery.totals.term_saved")
@receiver(post_delete, sender=Term, dispatch_uid="tracking.delivery.totals.term_deleted")
def _term_changed(sender, instance: Term, raw: bool = False, **kwargs):
    if not raw:
        rebuild_totals(instance.academic_year_id)


@receiver(post_save, sender=AcademicYear, dispatch_uid="tracking.delivery.totals.year_saved")
def _year_saved(sender, instance: AcademicYear, created: bool, raw: bool = False, **kwargs):
    if not created and not raw:
        rebuild_totals(instance.pk)
