"""Class delivery logs for the synthetic city (``generate_city_data --class-logs N``).

`generate_class_logs` is the hook named in ``settings.CITY_DATA_CLASS_LOG_HOOK``. For the
generated classes it writes, in the current semester of their academic year (created when
missing: 1 Sep – 20 Jan and 20 Feb – 10 Jul):

* exactly ``n`` `ClassActivity` rows — psychology lessons (every class logs them; only
  key-grade classes are held to the rule), theme class meetings, special activities and,
  for vocational grade 1, career-course periods — dated on weekdays between the semester's
  first day and today (or its last day);
* one `FamilyVisitTally` per class (most classes have visited every family, some not yet);
* 0–2 `ParentLecture` rows per school;

and then rebuilds the year's `ClassTermTotal` rows (COPY sends no signal; docs/decisions/0027).

Each class has a "diligence" drawn once, so some classes are ahead and some behind, as in
a real mid-semester picture. Deterministic: the same ``rng`` seed gives the same rows.
Rows go in with COPY on PostgreSQL and ``bulk_create`` elsewhere. ``generate_city_data
--reset`` removes them together with the generated classes.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random

from django.db import connection
from django.utils import timezone

from accounts.models import School, SchoolClass, TeacherProfile, Term

from .models import ActivityKind, ClassActivity, FamilyVisitTally, ParentLecture
from .rules import CAREER_COURSE_GRADE
from .totals import rebuild_totals

DEFAULT_CLASS_LOGS = 350_000
BATCH = 5000

TOPICS = {
    ActivityKind.PSYCHOLOGY_LESSON: ["认识情绪", "学会倾听", "压力管理", "人际交往", "生命教育", "时间管理"],
    ActivityKind.THEME_MEETING: ["心理健康主题班会", "珍爱生命主题团队会", "阳光心态主题班会"],
    ActivityKind.SPECIAL_ACTIVITY: ["心理健康月专题活动", "生命教育专题活动", "心理剧展演"],
    ActivityKind.CAREER_COURSE: ["心理健康与职业生涯"],
}


def current_term(academic_year) -> Term:
    """The semester of `academic_year` that contains today (or the nearest one), created if missing."""
    start = academic_year.start_date
    first, _ = Term.objects.get_or_create(
        academic_year=academic_year,
        number=Term.Number.FIRST,
        defaults={"start_date": start, "end_date": datetime.date(start.year + 1, 1, 20)},
    )
    second, _ = Term.objects.get_or_create(
        academic_year=academic_year,
        number=Term.Number.SECOND,
        defaults={
            "start_date": datetime.date(start.year + 1, 2, 20),
            "end_date": datetime.date(start.year + 1, 7, 10),
        },
    )
    today = timezone.localdate()
    return second if today >= second.start_date else first


def _weekdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days or [start]


def generate_class_logs(classes, n: int = DEFAULT_CLASS_LOGS, rng: random.Random | None = None) -> int:
    """Hook for generate_city_data: `classes` = [(class_id, school_id, head_teacher_id)]. Returns logs written."""
    rng = rng or random.Random(20260101)
    if not classes or n <= 0:
        return 0
    class_ids = [c[0] for c in classes]
    info = {
        row[0]: row[1:]
        for row in SchoolClass.objects.filter(pk__in=class_ids).values_list(
            "id", "academic_year_id", "grade", "family_count", "head_teacher_id", "psychology_teacher_id"
        )
    }
    school_types = dict(School.objects.filter(pk__in={c[1] for c in classes}).values_list("id", "school_type"))
    teacher_ids = {t for row in info.values() for t in row[3:] if t}
    users = dict(TeacherProfile.objects.filter(pk__in=teacher_ids).values_list("id", "user_id"))
    academic_year = SchoolClass.objects.select_related("academic_year").get(pk=class_ids[0]).academic_year
    term = current_term(academic_year)
    last = min(timezone.localdate(), term.end_date)
    days = _weekdays(term.start_date, max(term.start_date, last))
    now = timezone.now()

    # Per class: who logs what, and how much (weights ∝ diligence).
    plan = []  # (class_id, kind, teacher_id, user_id, periods)
    weights = []
    visits = []
    lecture_users: dict[int, int] = {}
    for class_id, school_id, _head in classes:
        ay_id, grade, families, head, psy = info[class_id]
        if ay_id != academic_year.pk:
            continue
        diligence = rng.betavariate(2.0, 1.2)
        head_user, psy_user = users.get(head), users.get(psy)
        if psy_user or head_user:
            plan.append((class_id, ActivityKind.PSYCHOLOGY_LESSON, psy or head, psy_user or head_user, 1))
            weights.append(8 * diligence)
        if head_user:
            lecture_users.setdefault(school_id, head_user)
            for kind in (ActivityKind.THEME_MEETING, ActivityKind.SPECIAL_ACTIVITY):
                plan.append((class_id, kind, head, head_user, 1))
                weights.append(1.5 * diligence)
            visited = families if rng.random() < diligence else rng.randint(0, families)
            visits.append((class_id, term.pk, visited, head_user, now))
        career = school_types.get(school_id) == School.SchoolType.VOCATIONAL and grade == CAREER_COURSE_GRADE
        if career and (head_user or psy_user):
            plan.append((class_id, ActivityKind.CAREER_COURSE, head or psy, head_user or psy_user, 2))
            weights.append(12 * diligence)
    if not plan:
        return 0
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]

    def logs():
        for _ in range(n):
            class_id, kind, teacher_id, user_id, periods = plan[
                min(len(plan) - 1, bisect.bisect(cumulative, rng.random() * total))
            ]
            yield (
                class_id,
                kind,
                rng.choice(days),
                teacher_id,
                periods,
                rng.choice(TOPICS[kind]),
                "",
                "",
                user_id,
                now,
                "",
            )

    count = _insert(
        ClassActivity,
        [
            "school_class_id",
            "kind",
            "date",
            "teacher_id",
            "periods",
            "topic",
            "lesson_plan_title",
            "lesson_plan_url",
            "created_by_id",
            "created_at",
            "void_reason",
        ],
        logs(),
    )
    _insert(FamilyVisitTally, ["school_class_id", "term_id", "families_visited", "updated_by_id", "updated_at"], visits)
    lectures = []
    for school_id, user_id in sorted(lecture_users.items()):
        for _ in range(rng.choice((0, 1, 1, 2))):
            lectures.append((school_id, rng.choice(days), "家长学校讲座", rng.randint(40, 300), user_id, now, ""))
    _insert(
        ParentLecture,
        ["school_id", "date", "topic", "participants", "created_by_id", "created_at", "void_reason"],
        lectures,
    )
    if connection.vendor == "postgresql":
        # Fresh statistics first: right after COPY the planner takes these tables for empty, and the
        # rebuild's aggregate over 350,000 logs then ran for more than half an hour instead of ~30 s.
        with connection.cursor() as cursor:
            for model in (ClassActivity, FamilyVisitTally, ParentLecture, SchoolClass):
                cursor.execute(f"ANALYZE {model._meta.db_table}")  # noqa: S608 (table names from metadata)
    # COPY and bulk_create send no post_save: recount the year's per-class totals the report reads.
    rebuild_totals(academic_year)
    return count


def _insert(model, columns: list[str], rows) -> int:
    """COPY on PostgreSQL, bulk_create in batches elsewhere. Returns the row count."""
    count = 0
    if connection.vendor == "postgresql":
        statement = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    rows = iter(rows)
    while batch := list(itertools.islice(rows, BATCH)):
        objs = [model(**dict(zip(columns, row, strict=True))) for row in batch]
        model.objects.bulk_create(objs)
        count += len(objs)
    return count
