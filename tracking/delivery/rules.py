"""The class-delivery rules of the city's school mental-health policy, as one module.

Read top to bottom, this is the policy:

1. Starting / key grades (起始或关键年级) get one psychology activity lesson (心理健康活动课)
   every two teaching weeks.
2. Every class holds at least one mental-health theme class meeting (主题班团队会) and at
   least one mental-health / life-education special activity (专题活动) per semester.
   A publicity-campaign activity a school reports counts as a 专题活动 for each class that
   took part when its theme is mental health or life education (`campaign_activity_counts`).
3. Every family is visited (家访) at least once per semester.
4. Every school holds at least one parent lecture or activity (家长讲座) per semester.
5. Secondary vocational schools: 36 periods of 心理健康与职业生涯 in grade 1 per academic year.
6. Staffing: one psychology teacher (full- or part-time) per 800 students, and a school with
   more than 800 students has at least one full-time psychology teacher. A school with fewer
   than 800 students may be covered by another school's help or a visiting teacher
   (对口援助 / 定点支教, a `CoverageArrangement` in force today).

How the calendar is counted (see docs/delivery.md):

* A *teaching day* is a Monday–Friday inside the term and outside every `TermBreak`.
* Weeks run Monday to Sunday. A week is a *teaching week* when at least 3 of its 5 weekdays
  are teaching days; shorter fragments (a term starting on a Thursday, a week cut by a
  holiday) do not count.
* Expected lessons for the term = teaching weeks // 2 (floor: a lesson is owed for each
  *completed* pair of teaching weeks; a 19-week term owes 9).
* A teaching week is *completed* on its last teaching day. "Due by now" on date D =
  (teaching weeks completed on or before D) // 2.
* Term-wide rules (meetings, activities, visits, lectures) are due on the term's last day;
  before that a class that has not met them yet is "on track", not "behind".
* Vocational career periods are due pro rata: floor(36 × completed teaching weeks of the
  academic year / all its teaching weeks).

Every status and rollup below is computed in SQL with a constant number of queries
(a few calendar look-ups, then one query), whatever the number of classes or logs.

Why one ~600-line module (the layering review of issue 10 kept it whole): it reads as the
policy — the numbered rules above, then the policy's numbers as named constants, then the
calendar, the per-class status and the roll-ups that apply them. Split, a reader checking
a rule against the seed would have to follow it across files.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AcademicYear, District, School, SchoolClass, TeacherCategory, Term

from .models import ActivityKind, ClassTermTotal, CoverageArrangement, KeyGradeConfig, ParentLecture, TermBreak

# --- The policy's numbers -------------------------------------------------------------
TEACHING_WEEKS_PER_LESSON = 2
THEME_MEETINGS_PER_TERM = 1
SPECIAL_ACTIVITIES_PER_TERM = 1
CAMPAIGN_THEMES_COUNTING_AS_SPECIAL_ACTIVITY = ("mental_health", "life_education")
PARENT_LECTURES_PER_TERM = 1
CAREER_COURSE_GRADE = 1
CAREER_COURSE_PERIODS_PER_YEAR = 36
STUDENTS_PER_PSYCHOLOGY_TEACHER = 800
FULL_TIME_PSYCHOLOGY_TEACHER_ABOVE = 800  # students; "more than 800" ⇒ at least one full-time
COVERAGE_ALLOWED_BELOW = 800  # students; "办学规模低于800名学生" may be covered by 对口援助 / 定点支教
MIN_TEACHING_DAYS_PER_WEEK = 3  # of Monday–Friday, for a week to count

# The rules as the pages print them next to the figures (计算口径); docs/reports.md and
# docs/delivery.md carry the same Chinese text.
LESSON_RULE = _(
    "Key-grade classes owe one psychology activity lesson per two teaching weeks, rounded down: a "
    "19-week semester owes 9; “due by now” counts the pairs of teaching weeks completed so far."
)
STATUS_RULE = _(
    "A class has met the semester's rules when every rule that applies to it is fully met (lessons, theme "
    "class meeting, special activity, family visits, vocational career periods); it is behind when any rule "
    "is below what is due by now (meetings, activities and visits are due on the semester's last day); "
    "otherwise it is on track."
)
STAFFING_RULE = _(
    "Psychology teachers: one per 800 students, rounded up; a school with more than 800 students needs at "
    "least one full-time teacher; a school with fewer than 800 students without enough teachers of its own "
    "is covered when a partner-school aid or visiting-teacher arrangement is in force, and otherwise needs one."
)

T = School.SchoolType
DEFAULT_KEY_GRADES: dict[str, tuple[int, ...]] = {
    T.PRIMARY: (1, 6),
    T.JUNIOR: (7, 9),
    T.SENIOR: (10, 12),
    T.NINE_YEAR: (1, 6, 7, 9),
    T.TWELVE_YEAR: (1, 6, 7, 9, 10, 12),
    T.VOCATIONAL: (1,),
    T.SPECIAL: (),
    T.PRESCHOOL: (),
}


class DeliveryStatus:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"

    LABELS = {MET: _("met"), ON_TRACK: _("on track"), BEHIND: _("behind")}
    BADGES = {MET: "badge-ok", ON_TRACK: "badge-warn", BEHIND: "badge-danger"}


# --- The calendar -----------------------------------------------------------------------
def teaching_week_ends(
    start: datetime.date, end: datetime.date, breaks: list[tuple[datetime.date, datetime.date]] = ()
) -> list[datetime.date]:
    """The last teaching day of each teaching week between start and end (inclusive)."""
    off: set[datetime.date] = set()
    for b_start, b_end in breaks:
        day = b_start
        while day <= b_end:
            off.add(day)
            day += datetime.timedelta(days=1)
    week_ends = []
    monday = start - datetime.timedelta(days=start.weekday())
    while monday <= end:
        weekdays = (monday + datetime.timedelta(days=i) for i in range(5))
        teaching = [d for d in weekdays if start <= d <= end and d not in off]
        if len(teaching) >= MIN_TEACHING_DAYS_PER_WEEK:
            week_ends.append(teaching[-1])
        monday += datetime.timedelta(days=7)
    return week_ends


def lessons_for_weeks(weeks: int) -> int:
    """One lesson per completed pair of teaching weeks."""
    return weeks // TEACHING_WEEKS_PER_LESSON


@dataclass(frozen=True)
class TermCalendar:
    term: Term
    week_ends: tuple[datetime.date, ...]

    @property
    def teaching_weeks(self) -> int:
        return len(self.week_ends)

    @property
    def expected_lessons(self) -> int:
        return lessons_for_weeks(self.teaching_weeks)

    def weeks_completed(self, on: datetime.date) -> int:
        return sum(1 for d in self.week_ends if d <= on)

    def lessons_due(self, on: datetime.date) -> int:
        return lessons_for_weeks(self.weeks_completed(on))

    def is_over(self, on: datetime.date) -> bool:
        return on >= self.term.end_date


def term_calendar(term: Term) -> TermCalendar:
    breaks = list(TermBreak.objects.filter(term=term).values_list("start_date", "end_date"))
    return TermCalendar(term, tuple(teaching_week_ends(term.start_date, term.end_date, breaks)))


@dataclass(frozen=True)
class YearCalendar:
    academic_year: AcademicYear
    terms: dict[int, TermCalendar]
    # Asked with `totals_as_of`: does a maintained class total of the year hold a log dated after
    # that day? (Then counts as of that day are read from the logs; see `class_delivery_status`.)
    totals_hold_later_logs: bool = False

    @cached_property
    def week_ends(self) -> tuple[datetime.date, ...]:
        return tuple(sorted(d for calendar in self.terms.values() for d in calendar.week_ends))

    def career_periods_due(self, on: datetime.date) -> int:
        if not self.week_ends:
            return CAREER_COURSE_PERIODS_PER_YEAR if on >= self.academic_year.end_date else 0
        done = sum(1 for d in self.week_ends if d <= on)
        return CAREER_COURSE_PERIODS_PER_YEAR * done // len(self.week_ends)


def year_calendar(academic_year: AcademicYear, totals_as_of: datetime.date | None = None) -> YearCalendar:
    """All terms of the year with their teaching weeks: two queries.

    With `totals_as_of`, the terms' query also asks whether any `ClassTermTotal` of the term
    holds a log dated after that day (an indexed EXISTS per term, no extra query)."""
    breaks: dict[int, list] = {}
    for term_id, start, end in TermBreak.objects.filter(term__academic_year=academic_year).values_list(
        "term_id", "start_date", "end_date"
    ):
        breaks.setdefault(term_id, []).append((start, end))
    terms_qs = Term.objects.filter(academic_year=academic_year).select_related("academic_year")
    if totals_as_of is not None:
        later = ClassTermTotal.objects.filter(term=OuterRef("pk"), last_date__gt=totals_as_of)
        terms_qs = terms_qs.annotate(later_logs=Exists(later))
    terms = {
        term.pk: TermCalendar(term, tuple(teaching_week_ends(term.start_date, term.end_date, breaks.get(term.pk, []))))
        for term in terms_qs
    }
    later_logs = any(getattr(calendar.term, "later_logs", False) for calendar in terms.values())
    return YearCalendar(academic_year, terms, later_logs)


def week_bounds(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = on - datetime.timedelta(days=on.weekday())
    return monday, monday + datetime.timedelta(days=6)


# --- Key grades -------------------------------------------------------------------------
def key_grades(academic_year: AcademicYear | int) -> dict[str, tuple[int, ...]]:
    """Key grades per school type for one academic year: the defaults, replaced where configured."""
    grades = dict(DEFAULT_KEY_GRADES)
    for school_type, configured in KeyGradeConfig.objects.filter(academic_year=academic_year).values_list(
        "school_type", "grades"
    ):
        grades[school_type] = tuple(configured or ())
    return grades


def key_grade_q(academic_year: AcademicYear | int, prefix: str = "") -> Q:
    """Q matching the key-grade classes of the academic year (prefix: path to SchoolClass)."""
    q = Q(pk__in=[])
    for school_type, grades in key_grades(academic_year).items():
        if grades:
            q |= Q(**{f"{prefix}school__school_type": school_type, f"{prefix}grade__in": grades})
    return q


def campaign_activity_counts(theme: str) -> bool:
    """Rule 2: does a school's campaign activity on `theme` count as its classes' 专题活动?"""
    return theme in CAMPAIGN_THEMES_COUNTING_AS_SPECIAL_ACTIVITY


def career_course_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}school__school_type": T.VOCATIONAL, f"{prefix}grade": CAREER_COURSE_GRADE})


# --- Per-class status ---------------------------------------------------------------------
def _activity_count(
    kind: str, start: datetime.date, end: datetime.date, joined: tuple[datetime.date, datetime.date], value="count"
):
    """Count (or sum the periods of) the class's active logs of `kind` dated start..end.

    An aggregate over the class's joined logs (`term_logs`, dated `joined`[0]..`joined`[1], see
    `class_delivery_status`), so each class's logs are read once and grouped by class, instead
    of one correlated subquery per count that the status expression would repeat. A bound the
    join already applies is not tested again.
    """
    logs = Q(term_logs__kind=kind)
    if start > joined[0]:
        logs &= Q(term_logs__date__gte=start)
    if end < joined[1]:
        logs &= Q(term_logs__date__lte=end)
    aggregate = Count("term_logs", filter=logs) if value == "count" else Sum("term_logs__periods", filter=logs)
    return Coalesce(aggregate, 0, output_field=IntegerField())


def _bool(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _per_class(expression):
    """A value that is the same on every joined row of one class, as an aggregate (MAX).

    Keeps the class query's GROUP BY on the class's key alone: PostgreSQL then estimates one
    group per class and hashes the join instead of sorting every joined log row.
    """
    return Max(expression)


def _aggregates(qs: QuerySet) -> bool:
    """Is `qs` grouped (counts read from the logs) rather than one row per class (from the totals)?"""
    return any(getattr(a, "contains_aggregate", False) for a in qs.query.annotations.values())


def _class_type_q(q: Q) -> Q:
    """`q` (over `school__school_type` and `grade`) rewritten to read the class's school type
    from the per-class `class_school_type` aggregate: the CASE is then evaluated once per
    class, not once per joined log row."""
    children = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_class_type_q(child))
        else:
            name, value = child
            children.append(("class_school_type" if name == "school__school_type" else name, value))
    rewritten = Q(*children, _connector=q.connector, _negated=q.negated)
    return rewritten


def _counts_from_logs(qs, term: Term, year: YearCalendar, on: datetime.date) -> QuerySet[SchoolClass]:
    """The per-class counts read from the logs themselves (any as-of date)."""
    term_start, term_until = term.start_date, min(on, term.end_date)
    year_start, year_until = term.academic_year.start_date, min(on, term.academic_year.end_date)
    # The join reads only active logs in the union of the two ranges; each count narrows it.
    joined = (min(term_start, year_start), max(term_until, year_until))
    logs_in_range = Q(
        activities__voided_at__isnull=True, activities__date__gte=joined[0], activities__date__lte=joined[1]
    )
    return qs.annotate(term_logs=FilteredRelation("activities", condition=logs_in_range)).annotate(
        lessons=_activity_count(ActivityKind.PSYCHOLOGY_LESSON, term_start, term_until, joined),
        theme_meetings=_activity_count(ActivityKind.THEME_MEETING, term_start, term_until, joined),
        special_activities=_activity_count(ActivityKind.SPECIAL_ACTIVITY, term_start, term_until, joined),
        career_periods=_activity_count(ActivityKind.CAREER_COURSE, year_start, year_until, joined, "sum"),
    )


def _counts_from_totals(qs, term: Term) -> QuerySet[SchoolClass]:
    """The same counts read from the maintained `ClassTermTotal` row of the class and semester
    (docs/decisions/0027): at most one row per class, so nothing is aggregated — no GROUP BY,
    one joined row per class instead of all its logs."""

    def count(field: str):
        return Coalesce(F(f"term_total__{field}"), 0, output_field=IntegerField())

    return qs.annotate(term_total=FilteredRelation("term_totals", condition=Q(term_totals__term=term))).annotate(
        lessons=count("lessons"),
        theme_meetings=count("theme_meetings"),
        special_activities=count("special_activities"),
        career_periods=count("year_career_periods"),
    )


def class_delivery_status(
    classes_qs: QuerySet[SchoolClass], term: Term, on: datetime.date | None = None, source: str | None = None
) -> QuerySet[SchoolClass]:
    """Annotate each class with what it delivered in `term` up to `on` and its status.

    Annotations (all integers unless noted):
      is_key_grade (bool), is_career_class (bool, vocational grade 1),
      lessons, lessons_expected, lessons_due, lessons_due_this_week (still to deliver by Sunday),
      theme_meetings, special_activities, families_visited,
      career_periods, career_expected, career_due,
      status ("met" / "on_track" / "behind", see DeliveryStatus).
    Only classes of the term's academic year are kept. One SQL query when evaluated (plus the
    calendar look-ups): the class's counts and its visit tally for the term are joined once and
    aggregated per class (GROUP BY), so filtering on an annotation (`status`) is a HAVING;
    PostgreSQL evaluates each count once however often the status expression uses it.

    `source`: where the counts come from — "totals" (the maintained per-class, per-semester
    `ClassTermTotal` rows), "logs" (the class logs themselves), or None: the totals whenever they
    give the same answer as the logs (no total of the year holds a log dated after `on`), else
    the logs. tests/delivery/test_totals.py checks both agree.
    """
    on = on or timezone.localdate()
    year = year_calendar(term.academic_year, totals_as_of=on)
    calendar = year.terms.get(term.pk) or term_calendar(term)
    _monday, sunday = week_bounds(on)
    term_over = calendar.is_over(on)
    if source is None:
        # The totals count every log; as of a day before some log (the forms refuse future dates,
        # so only for a report of an earlier day) the logs are read instead.
        source = "logs" if year.totals_hold_later_logs else "totals"
    if source not in ("totals", "logs"):
        raise ValueError(f"Unknown source of delivery counts: {source}")

    qs = classes_qs.filter(academic_year_id=term.academic_year_id).annotate(
        term_visits=FilteredRelation("family_visit_tallies", condition=Q(family_visit_tallies__term=term)),
    )
    if source == "totals":
        qs = _counts_from_totals(qs, term)
        per_class, visits = F, F("term_visits__families_visited")  # one joined row per class: no aggregate
    else:
        qs = _counts_from_logs(qs, term, year, on)
        # At most one tally per class and term (unique), so MAX is that tally's value.
        per_class, visits = _per_class, Max("term_visits__families_visited")
    qs = qs.alias(class_school_type=per_class("school__school_type")).annotate(
        is_key_grade=_bool(_class_type_q(key_grade_q(term.academic_year_id))),
        is_career_class=_bool(_class_type_q(career_course_q())),
        families_visited=Coalesce(visits, 0, output_field=IntegerField()),
    )
    qs = qs.annotate(
        lessons_expected=Case(
            When(is_key_grade=True, then=Value(calendar.expected_lessons)), default=0, output_field=IntegerField()
        ),
        lessons_due=Case(
            When(is_key_grade=True, then=Value(calendar.lessons_due(on))), default=0, output_field=IntegerField()
        ),
        lessons_due_this_week=Case(
            When(
                is_key_grade=True,
                then=Greatest(Value(calendar.lessons_due(sunday)) - F("lessons"), Value(0)),
            ),
            default=0,
            output_field=IntegerField(),
        ),
        career_expected=Case(
            When(is_career_class=True, then=Value(CAREER_COURSE_PERIODS_PER_YEAR)),
            default=0,
            output_field=IntegerField(),
        ),
        career_due=Case(
            When(is_career_class=True, then=Value(year.career_periods_due(on))), default=0, output_field=IntegerField()
        ),
    )
    term_rules_met = (
        Q(theme_meetings__gte=THEME_MEETINGS_PER_TERM)
        & Q(special_activities__gte=SPECIAL_ACTIVITIES_PER_TERM)
        & Q(families_visited__gte=F("family_count"))
    )
    all_met = term_rules_met & Q(lessons__gte=F("lessons_expected")) & Q(career_periods__gte=F("career_expected"))
    behind = Q(lessons__lt=F("lessons_due")) | Q(career_periods__lt=F("career_due"))
    if term_over:
        behind |= ~term_rules_met
    return qs.annotate(
        status=Case(
            When(all_met, then=Value(DeliveryStatus.MET)),
            When(behind, then=Value(DeliveryStatus.BEHIND)),
            default=Value(DeliveryStatus.ON_TRACK),
            output_field=CharField(),
        )
    )


# --- Per-school parent lectures -------------------------------------------------------------
def parent_lecture_status(
    schools_qs: QuerySet[School], term: Term, on: datetime.date | None = None
) -> QuerySet[School]:
    """Annotate schools with `parent_lectures` this term (up to `on`) and `parent_lectures_met` (bool)."""
    on = on or timezone.localdate()
    lectures = ParentLecture.objects.active().filter(
        school=OuterRef("pk"), date__gte=term.start_date, date__lte=min(on, term.end_date)
    )
    return schools_qs.annotate(
        parent_lectures=Coalesce(
            Subquery(lectures.order_by().values("school").annotate(n=Count("pk")).values("n")[:1]),
            0,
            output_field=IntegerField(),
        )
    ).annotate(parent_lectures_met=_bool(Q(parent_lectures__gte=PARENT_LECTURES_PER_TERM)))


# --- Rollups ------------------------------------------------------------------------------
ROLLUP_KEYS = {
    "school": ("school_id", "school__name", "school__district_id", "school__district__name"),
    "district": ("school__district_id", "school__district__name"),
    "city": (),
}
_SCHOOL_KEYS = {
    "school": ("id",),
    "district": ("district_id",),
    "city": (),
}


# The per-class columns the rollup reads (annotations of `class_delivery_status`).
_CLASS_COLUMNS = (
    "status",
    "is_key_grade",
    "is_career_class",
    "lessons",
    "lessons_expected",
    "lessons_due",
    "theme_meetings",
    "special_activities",
    "families_visited",
    "career_periods",
    "career_expected",
)


def _rollup_metrics(col) -> dict[str, tuple[str, list]]:
    """Each rollup metric as (SQL over the per-class columns, params); `col(name)` quotes a column."""

    def count(condition: str, *params) -> tuple[str, list]:
        return f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)", list(params)

    def total(value: str, only_if: str | None = None) -> tuple[str, list]:
        if only_if:
            value = f"CASE WHEN {only_if} THEN {value} ELSE 0 END"
        return f"COALESCE(SUM({value}), 0)", []

    return {
        "classes": ("COUNT(*)", []),
        "met": count(f"{col('status')} = %s", DeliveryStatus.MET),
        "on_track": count(f"{col('status')} = %s", DeliveryStatus.ON_TRACK),
        "behind": count(f"{col('status')} = %s", DeliveryStatus.BEHIND),
        "key_classes": count(col("is_key_grade")),
        "lessons": total(col("lessons"), only_if=col("is_key_grade")),
        "lessons_expected": total(col("lessons_expected")),
        "lessons_due": total(col("lessons_due")),
        "classes_behind_on_lessons": count(f"{col('is_key_grade')} AND {col('lessons')} < {col('lessons_due')}"),
        "classes_without_theme_meeting": count(f"{col('theme_meetings')} < %s", THEME_MEETINGS_PER_TERM),
        "classes_without_special_activity": count(f"{col('special_activities')} < %s", SPECIAL_ACTIVITIES_PER_TERM),
        "families": total(col("families")),
        "families_visited": total(col("families_visited")),
        "career_classes": count(col("is_career_class")),
        "career_periods": total(col("career_periods"), only_if=col("is_career_class")),
        "career_expected": total(col("career_expected")),
    }


# Name keys are read by the outer query from their own table (by the group's id key), so the
# per-class query does not join and carry them for every log row.
_NAME_KEYS = {"school__name": ("school_id", School), "school__district__name": ("school__district_id", District)}


def _class_rollup(classes: QuerySet[SchoolClass], keys: tuple[str, ...]) -> list[dict]:
    """Group the per-class statuses by `keys` (none: one row for all classes) in ONE query.

    The per-class query (`class_delivery_status`, grouped per class) is the FROM of an outer
    aggregate: ``SELECT keys, COUNT(*), SUM(CASE …) … FROM (<per class>) c GROUP BY keys``.
    PostgreSQL does not merge a grouped subquery into the outer query, so each class's counts
    and status are computed once and the outer sums only read its columns. Django can neither
    aggregate over aggregate annotations nor group a subquery, hence the hand-written outer
    level (as in `tracking.ledger.services.completion_rollup`); the inner SQL and params are Django's.
    Without keys there is no GROUP BY: exactly one row, zeros when there are no classes.
    """
    id_keys = [key for key in keys if key not in _NAME_KEYS]
    per_class = _per_class if _aggregates(classes) else (lambda expression: expression)
    group = {f"g{i}": per_class(F(key)) for i, key in enumerate(id_keys)}
    alias_of = dict(zip(id_keys, group, strict=True))
    inner = classes.order_by().values(*_CLASS_COLUMNS, families=F("family_count"), **group)
    connection = connections[inner.db]
    try:
        inner_sql, inner_params = inner.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # e.g. `SchoolClass.objects.none()` from a scope without classes
        return []
    if connection.vendor == "postgresql" and not _aggregates(classes):
        # An ungrouped per-class query (counts from the totals) would be pulled up into the outer
        # aggregate, which then re-evaluates the status CASE inside each of its sums; OFFSET 0 keeps
        # it a subquery computed once per class.
        inner_sql += " OFFSET 0"
    qn = connection.ops.quote_name

    def col(name: str) -> str:
        return f"c.{qn(name)}"

    joins, key_columns = [], []
    for key in keys:
        if key in _NAME_KEYS:
            id_key, model = _NAME_KEYS[key]
            table = f"n{len(joins)}"
            joins.append(
                f"LEFT JOIN {qn(model._meta.db_table)} {table} "
                f"ON {table}.{qn(model._meta.pk.column)} = {col(alias_of[id_key])}"
            )
            key_columns.append(f"{table}.{qn(model._meta.get_field('name').column)}")
        else:
            key_columns.append(col(alias_of[key]))
    metrics = _rollup_metrics(col)
    select = key_columns + [sql for sql, _params in metrics.values()]
    params = [p for _sql, metric_params in metrics.values() for p in metric_params]
    sql = f"SELECT {', '.join(select)} FROM ({inner_sql}) c {' '.join(joins)}"  # noqa: S608 (SQL is ours)
    if key_columns:
        grouped = ", ".join(key_columns)
        sql += f" GROUP BY {grouped} ORDER BY {grouped}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        fetched = cursor.fetchall()
    n = len(keys)  # sums of bigint counts are numeric on PostgreSQL: back to int
    return [
        dict(zip(keys, row[:n], strict=True)) | {m: int(v) for m, v in zip(metrics, row[n:], strict=True)}
        for row in fetched
    ]


def rollup(
    classes_qs: QuerySet[SchoolClass],
    term: Term,
    by: str = "school",
    on: datetime.date | None = None,
    source: str | None = None,
) -> list[dict]:
    """Aggregate class statuses per school, district or for the whole city (`by`).

    Each row holds the group keys (see ROLLUP_KEYS) and:
      classes, met, on_track, behind, key_classes, lessons, lessons_expected, lessons_due,
      classes_behind_on_lessons (key-grade classes with fewer lessons than due by now),
      classes_without_theme_meeting, classes_without_special_activity, families,
      families_visited, career_classes, career_periods, career_expected,
      schools, schools_with_parent_lecture.
    Two SQL queries in all (plus the calendar look-ups), whatever the number of rows.
    `source`: as for `class_delivery_status` (None: the maintained totals when they apply).
    """
    if by not in ROLLUP_KEYS:
        raise ValueError(f"Unknown rollup level: {by}")
    on = on or timezone.localdate()
    keys = ROLLUP_KEYS[by]
    rows = _class_rollup(class_delivery_status(classes_qs, term, on, source), keys)

    schools = parent_lecture_status(
        School.objects.filter(pk__in=classes_qs.filter(academic_year_id=term.academic_year_id).values("school_id")),
        term,
        on,
    )
    school_metrics = {
        "schools": Count("pk"),
        "schools_with_parent_lecture": Count("pk", filter=Q(parent_lectures_met=True)),
    }
    school_keys = _SCHOOL_KEYS[by]
    if school_keys:
        per_key = {r[school_keys[0]]: r for r in schools.order_by().values(*school_keys).annotate(**school_metrics)}
    else:
        per_key = {None: schools.aggregate(**school_metrics)}
    for row in rows:
        key = row[keys[0]] if keys else None
        found = per_key.get(key, {})
        row["schools"] = found.get("schools", 0)
        row["schools_with_parent_lecture"] = found.get("schools_with_parent_lecture", 0)
    return rows


# --- Staffing ---------------------------------------------------------------------------
def staffing_status(schools_qs: QuerySet[School], on: datetime.date | None = None) -> QuerySet[School]:
    """Annotate schools with psychology staffing against 1:800, the full-time rule and coverage.

    Annotations: full_time_psychology, part_time_psychology, psychology_teachers,
    required_psychology_teachers (= ceil(students / 800)), staffing_short (bool: fewer own
    teachers than required), needs_full_time (bool: more than 800 students and no full-time
    psychology teacher), covered_by (name of who covers the school under an arrangement in
    force on `on`, default today, or None), covered (bool: short, fewer than 800 students and
    covered_by), needs_coverage (bool: short, fewer than 800 students, no arrangement: 需安排
    援助/支教), staffing_ok (bool: not short or covered, and no full-time teacher missing).
    Active teachers only. One SQL query.
    """
    on = on or timezone.localdate()
    active = Q(teachers__is_active=True)
    in_force = CoverageArrangement.objects.filter(school=OuterRef("pk"), starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    provider = Coalesce(F("covering_teacher__user__name"), F("covering_school__name"))
    small = Q(student_count__lt=COVERAGE_ALLOWED_BELOW)
    return (
        schools_qs.annotate(
            full_time_psychology=Count(
                "teachers", filter=active & Q(teachers__category=TeacherCategory.FULL_TIME_PSYCHOLOGY), distinct=True
            ),
            part_time_psychology=Count(
                "teachers", filter=active & Q(teachers__category=TeacherCategory.PART_TIME_PSYCHOLOGY), distinct=True
            ),
            required_psychology_teachers=ExpressionWrapper(
                (F("student_count") + Value(STUDENTS_PER_PSYCHOLOGY_TEACHER - 1))
                / Value(STUDENTS_PER_PSYCHOLOGY_TEACHER),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            psychology_teachers=F("full_time_psychology") + F("part_time_psychology"),
            staffing_short=_bool(Q(psychology_teachers__lt=F("required_psychology_teachers"))),
            needs_full_time=_bool(Q(student_count__gt=FULL_TIME_PSYCHOLOGY_TEACHER_ABOVE, full_time_psychology=0)),
            covered_by=Subquery(
                in_force.order_by("-starts_on", "-pk").annotate(name=provider).values("name")[:1],
                output_field=CharField(),
            ),
        )
        .annotate(
            covered=_bool(small & Q(staffing_short=True, covered_by__isnull=False)),
            needs_coverage=_bool(small & Q(staffing_short=True, covered_by__isnull=True)),
        )
        .annotate(staffing_ok=_bool((Q(staffing_short=False) | Q(covered=True)) & Q(needs_full_time=False)))
    )


@dataclass
class ClassRules:
    """What one class may log, by whom: used by the teacher and coordinator views."""

    school_class: SchoolClass
    teacher_profile: object | None

    @cached_property
    def kinds_for_teacher(self) -> list[str]:
        """Kinds the given teacher logs for this class: lessons for the psychology teacher,
        meetings and activities for the head teacher, career periods for either (vocational grade 1)."""
        c, t = self.school_class, self.teacher_profile
        if t is None:
            return []
        kinds = []
        is_psy = c.psychology_teacher_id == t.pk
        is_head = c.head_teacher_id == t.pk
        if is_psy:
            kinds.append(ActivityKind.PSYCHOLOGY_LESSON)
        if is_head:
            kinds += [ActivityKind.THEME_MEETING, ActivityKind.SPECIAL_ACTIVITY]
        if (is_psy or is_head) and c.school.school_type == T.VOCATIONAL and c.grade == CAREER_COURSE_GRADE:
            kinds.append(ActivityKind.CAREER_COURSE)
        return kinds

    @property
    def may_log_visits(self) -> bool:
        return self.teacher_profile is not None and self.school_class.head_teacher_id == self.teacher_profile.pk
