"""Build a synthetic city at full scale for benchmarks: districts, schools, teachers, classes, ledger.

Deterministic (``--seed``): the same options give the same rows. Every generated row is
marked (codes and user names start with ``GEN``) so ``--reset`` removes exactly what this
command made and nothing else.

On PostgreSQL the rows are streamed with COPY (psycopg 3 ``cursor.copy``); elsewhere
(SQLite in tests) ``bulk_create`` in large batches is used. Defaults take a few minutes on
PostgreSQL for 1,000,000 ledger entries.

Class delivery logs (``--class-logs``) belong to the delivery feature; this command only
calls the hook named in ``settings.CITY_DATA_CLASS_LOG_HOOK`` (a dotted path to
``hook(classes: list[tuple[class_id, school_id, head_teacher_id]], n: int, rng) -> int``)
when it is set, so that feature can add its rows without this command inventing its models.

One command, one file (~440 lines): its steps (organisation, people, classes, ledger, reset)
run top to bottom in the order the city is built, and nothing else calls them.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.append_only import suspended
from accounts.models import (
    AcademicYear,
    AuditEvent,
    District,
    School,
    SchoolClass,
    SchoolMembership,
    TeacherCategory,
    TeacherProfile,
    TrainingYear,
    User,
)
from tracking.ledger.targets import ensure_targets
from tracking.ledger.totals import rebuild_totals
from tracking.models import (
    ClassActivity,
    ClassTermTotal,
    FamilyVisitTally,
    LedgerEntry,
    Notification,
    ParentLecture,
    TeacherYearTotal,
)

PREFIX = "GEN"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓"
    "曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
    "范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健"
SCHOOL_TYPES = [
    (School.SchoolType.PRIMARY, 55, "小学"),
    (School.SchoolType.JUNIOR, 20, "中学"),
    (School.SchoolType.SENIOR, 8, "高级中学"),
    (School.SchoolType.NINE_YEAR, 8, "学校"),
    (School.SchoolType.VOCATIONAL, 5, "职业学校"),
    (School.SchoolType.SPECIAL, 1, "特殊教育学校"),
    (School.SchoolType.TWELVE_YEAR, 3, "实验学校"),
]
# Relative amount of training activity per category: full-time psychology teachers train most.
CATEGORY_WEIGHT = {
    TeacherCategory.FULL_TIME_PSYCHOLOGY: 4.0,
    TeacherCategory.PART_TIME_PSYCHOLOGY: 2.5,
    TeacherCategory.HEAD_TEACHER: 1.2,
    TeacherCategory.OTHER: 0.5,
}
TARGET_HOURS = {
    TeacherCategory.FULL_TIME_PSYCHOLOGY: 40.0,
    TeacherCategory.PART_TIME_PSYCHOLOGY: 20.0,
    TeacherCategory.HEAD_TEACHER: 10.0,
    TeacherCategory.OTHER: 2.0,
}


class Command(BaseCommand):
    help = "Generate a synthetic city (districts, schools, teachers, classes, ledger entries) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--districts", type=int, default=12)
        parser.add_argument("--schools", type=int, default=1200)
        parser.add_argument("--teachers", type=int, default=50_000)
        parser.add_argument("--classes", type=int, default=20_000)
        parser.add_argument("--ledger-entries", type=int, default=1_000_000)
        parser.add_argument(
            "--class-logs",
            type=int,
            default=350_000,
            help="Class delivery logs to create through settings.CITY_DATA_CLASS_LOG_HOOK (0: none).",
        )
        parser.add_argument("--year", type=int, default=None, help="Current training year (default: this year).")
        parser.add_argument(
            "--previous-year-share",
            type=float,
            default=0.3,
            help="Share of ledger entries that belong to the previous (ended) training year.",
        )
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--reset", action="store_true", help="Delete previously generated rows first.")
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing when generated data already exists (make bench)."
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="bulk_create batch size (non-PostgreSQL).")

    # ------------------------------------------------------------------------------------
    def handle(self, *args, **opts):
        if opts["schools"] < opts["districts"] or opts["districts"] < 1:
            raise CommandError("Need at least one district and at least as many schools as districts.")
        self.rng = random.Random(opts["seed"])
        self.batch_size = opts["batch_size"]
        self.use_copy = connection.vendor == "postgresql"
        started = time.monotonic()
        if opts["reset"]:
            self._reset()
        elif District.objects.filter(code__startswith=PREFIX).exists():
            if opts["if_missing"]:
                self.stdout.write("Generated city already present; nothing to do.")
                return
            raise CommandError("Generated data already exists; use --reset to rebuild it.")

        year = opts["year"] or timezone.localdate().year
        current = self._training_year(year)
        previous = self._training_year(year - 1)
        academic_year = self._academic_year(year)

        with transaction.atomic():
            districts = self._districts(opts["districts"])
            schools = self._schools(districts, opts["schools"])
            self._step("districts and schools", started)
            teachers = self._teachers(schools, opts["teachers"])
            # COPY sends no post_save: each generated teacher has worked at their school since
            # the previous training year began, so both years' reports count them.
            self._insert(
                SchoolMembership,
                ["teacher_id", "school_id", "started_on", "ended_on"],
                ((t_id, school_id, previous.start_date, None) for t_id, school_id, _category in teachers),
            )
            self._step("teachers", started)
            classes = self._classes(schools, teachers, academic_year, opts["classes"])
            self._step("classes", started)
        with transaction.atomic():
            n_entries = self._ledger(teachers, current, previous, opts["ledger_entries"], opts["previous_year_share"])
        self._step(f"{n_entries} ledger entries", started)
        # COPY bypasses the model, so the per-teacher roll-up is rebuilt from the ledger, on fresh
        # statistics (the planner would otherwise take the just-copied tables for empty ones).
        if self.use_copy:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tracking_ledgerentry, accounts_teacherprofile")
        n_totals = rebuild_totals(current) + rebuild_totals(previous)
        self._step(f"{n_totals} yearly totals", started)
        if opts["class_logs"]:
            hook_path = getattr(settings, "CITY_DATA_CLASS_LOG_HOOK", "")
            if not hook_path:
                self.stderr.write("--class-logs ignored: settings.CITY_DATA_CLASS_LOG_HOOK is not set.")
            else:
                n_logs = import_string(hook_path)(classes, opts["class_logs"], self.rng)
                self._step(f"{n_logs} class logs", started)
        if self.use_copy:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"City data ready in {time.monotonic() - started:.1f} s."))

    def _step(self, what: str, started: float) -> None:
        self.stdout.write(f"  {what} … {time.monotonic() - started:.1f} s")

    # ------------------------------------------------------------------------------------
    def _reset(self) -> None:
        """Remove generated rows with plain SQL. Ledger rows and their audit events are history and
        refuse deletes, in Python and in the database; these are synthetic, so the guard is lifted
        for this one transaction (accounts.append_only.suspended)."""
        d_ids = list(District.objects.filter(code__startswith=PREFIX).values_list("id", flat=True))
        # Table names come from model metadata, never from input; ids are bound parameters.
        with transaction.atomic(), suspended(LedgerEntry, AuditEvent), connection.cursor() as cursor:
            if d_ids:
                marks = ", ".join(["%s"] * len(d_ids))
                schools = f"SELECT id FROM {School._meta.db_table} WHERE district_id IN ({marks})"  # noqa: S608
                teachers = f"SELECT id FROM {TeacherProfile._meta.db_table} WHERE school_id IN ({schools})"  # noqa: S608
                classes = f"SELECT id FROM {SchoolClass._meta.db_table} WHERE school_id IN ({schools})"  # noqa: S608
                statements = [
                    # delivery rows of generated classes and schools (the class-log hook's)
                    f"DELETE FROM {ClassTermTotal._meta.db_table} WHERE school_class_id IN ({classes})",  # noqa: S608
                    f"DELETE FROM {ClassActivity._meta.db_table} WHERE school_class_id IN ({classes})",  # noqa: S608
                    f"DELETE FROM {FamilyVisitTally._meta.db_table} WHERE school_class_id IN ({classes})",  # noqa: S608
                    f"DELETE FROM {ParentLecture._meta.db_table} WHERE school_id IN ({schools})",  # noqa: S608
                    f"DELETE FROM {AuditEvent._meta.db_table} WHERE school_id IN ({schools})",  # noqa: S608
                    f"DELETE FROM {TeacherYearTotal._meta.db_table} WHERE teacher_id IN ({teachers})",  # noqa: S608
                    f"DELETE FROM {SchoolMembership._meta.db_table} WHERE teacher_id IN ({teachers})",  # noqa: S608
                    f"DELETE FROM {LedgerEntry._meta.db_table} WHERE teacher_id IN ({teachers})",  # noqa: S608
                    f"DELETE FROM {SchoolClass._meta.db_table} WHERE school_id IN ({schools})",  # noqa: S608
                    f"DELETE FROM {TeacherProfile._meta.db_table} WHERE school_id IN ({schools})",  # noqa: S608
                    f"DELETE FROM {School._meta.db_table} WHERE district_id IN ({marks})",  # noqa: S608
                    f"DELETE FROM {District._meta.db_table} WHERE id IN ({marks})",  # noqa: S608
                ]
                for statement in statements:
                    cursor.execute(statement, d_ids)
            users = f"SELECT id FROM {User._meta.db_table} WHERE username LIKE %s ESCAPE '!'"  # noqa: S608
            cursor.execute(f"DELETE FROM {Notification._meta.db_table} WHERE user_id IN ({users})", ["gen!_t%"])  # noqa: S608
            cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id IN ({users})", ["gen!_t%"])  # noqa: S608
        self.stdout.write("  previous generated data removed")

    def _training_year(self, year: int) -> TrainingYear:
        ty, _ = TrainingYear.objects.get_or_create(
            year=year, defaults={"start_date": datetime.date(year, 1, 1), "end_date": datetime.date(year, 12, 31)}
        )
        ensure_targets(ty)
        return ty

    def _academic_year(self, year: int) -> AcademicYear:
        start = year if timezone.localdate().month >= 9 else year - 1
        ay, _ = AcademicYear.objects.get_or_create(
            name=f"{start}—{start + 1}学年",
            defaults={"start_date": datetime.date(start, 9, 1), "end_date": datetime.date(start + 1, 8, 31)},
        )
        return ay

    def _districts(self, n: int) -> list[int]:
        objs = [District(name=f"生成{i + 1:02d}区", code=f"{PREFIX}{i + 1:03d}", sort_order=900 + i) for i in range(n)]
        District.objects.bulk_create(objs)
        return list(District.objects.filter(code__startswith=PREFIX).order_by("code").values_list("id", flat=True))

    def _schools(self, districts: list[int], n: int) -> list[tuple[int, int, str]]:
        """Returns (school_id, student_count, school_type) in creation order."""
        types = [t for t, w, _ in SCHOOL_TYPES for _ in range(w)]
        suffix = {t: s for t, _, s in SCHOOL_TYPES}
        objs = []
        for i in range(n):
            school_type = self.rng.choice(types)
            students = self.rng.randint(150, 3200)
            objs.append(
                School(
                    name=f"生成第{i + 1}{suffix[school_type]}",
                    code=f"{PREFIX}-{i + 1:05d}",
                    district_id=districts[i % len(districts)],
                    school_type=school_type,
                    student_count=students,
                )
            )
        School.objects.bulk_create(objs, batch_size=self.batch_size)
        return list(
            School.objects.filter(code__startswith=PREFIX)
            .order_by("code")
            .values_list("id", "student_count", "school_type")
        )

    def _name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))

    def _teachers(self, schools, n: int) -> list[tuple[int, int, str]]:
        """Teachers spread by school size; each school gets at most one full-time psychology teacher
        per 800 students, and some get none (so the staffing report has something to find)."""
        total_students = sum(s[1] for s in schools)
        now = timezone.now()
        user_rows, profiles = [], []
        i = 0
        for school_id, students, _type in schools:
            k = max(1, round(n * students / total_students))
            full = students // 800 if self.rng.random() < 0.8 else 0
            for j in range(k):
                if i >= n:
                    break
                if j < full:
                    category = TeacherCategory.FULL_TIME_PSYCHOLOGY
                elif j < full + 2:
                    category = TeacherCategory.PART_TIME_PSYCHOLOGY
                elif self.rng.random() < 0.4:
                    category = TeacherCategory.HEAD_TEACHER
                else:
                    category = TeacherCategory.OTHER
                i += 1
                user_rows.append((f"gen_t{i:07d}", self._name()))
                profiles.append((school_id, f"{PREFIX}{i:07d}", str(category)))
        # the rounding may leave a few teachers over; give them to the largest schools
        while i < n:
            i += 1
            user_rows.append((f"gen_t{i:07d}", self._name()))
            profiles.append((schools[i % len(schools)][0], f"{PREFIX}{i:07d}", str(TeacherCategory.OTHER)))

        user_cols = [
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "name",
            "phone",
        ]
        self._insert(
            User,
            user_cols,
            (("!", False, u, "", "", "", False, True, now, name, "") for u, name in user_rows),
        )
        user_ids = dict(User.objects.filter(username__startswith="gen_t").values_list("username", "id"))
        self._insert(
            TeacherProfile,
            ["user_id", "school_id", "staff_number", "category", "subject", "is_active"],
            (
                (user_ids[u], school_id, staff, category, "", True)
                for (u, _name), (school_id, staff, category) in zip(user_rows, profiles, strict=True)
            ),
        )
        return list(
            TeacherProfile.objects.filter(staff_number__startswith=PREFIX)
            .order_by("id")
            .values_list("id", "school_id", "category")
        )

    def _classes(self, schools, teachers, academic_year, n: int) -> list[tuple[int, int, int | None]]:
        heads: dict[int, list[int]] = {}
        psys: dict[int, list[int]] = {}
        for t_id, school_id, category in teachers:
            if category == TeacherCategory.HEAD_TEACHER:
                heads.setdefault(school_id, []).append(t_id)
            elif category in (TeacherCategory.FULL_TIME_PSYCHOLOGY, TeacherCategory.PART_TIME_PSYCHOLOGY):
                psys.setdefault(school_id, []).append(t_id)
        teaching = [s for s in schools if s[2] != School.SchoolType.PRESCHOOL]
        total_students = sum(s[1] for s in teaching)
        rows = []
        for school_id, students, school_type in teaching:
            k = max(1, round(n * students / total_students))
            grades = list(School.GRADES[School.SchoolType(school_type)]) or [1]
            school_heads = heads.get(school_id, [])
            school_psys = psys.get(school_id, [])
            for j in range(k):
                if len(rows) >= n:
                    break
                grade = grades[j % len(grades)]
                size = self.rng.randint(30, 52)
                rows.append(
                    (
                        school_id,
                        academic_year.pk,
                        grade,
                        f"{j // len(grades) + 1}班",
                        size,
                        size - self.rng.randint(0, 3),
                        school_heads[j % len(school_heads)] if school_heads else None,
                        school_psys[j % len(school_psys)] if school_psys else None,
                    )
                )
        self._insert(
            SchoolClass,
            [
                "school_id",
                "academic_year_id",
                "grade",
                "name",
                "student_count",
                "family_count",
                "head_teacher_id",
                "psychology_teacher_id",
            ],
            rows,
        )
        return list(
            SchoolClass.objects.filter(school__code__startswith=PREFIX, academic_year=academic_year).values_list(
                "id", "school_id", "head_teacher_id"
            )
        )

    def _ledger(self, teachers, current, previous, n: int, previous_share: float) -> int:
        """Entries per teacher follow category weight × a personal propensity; hours are sized so
        that roughly half of the teachers reach their target (a realistic mid-year picture)."""
        rng = self.rng
        propensity = [rng.betavariate(2.0, 1.6) * 1.6 for _ in teachers]
        weights = [CATEGORY_WEIGHT[TeacherCategory(c)] * p for (_, _, c), p in zip(teachers, propensity, strict=True)]
        total_weight = sum(weights) or 1.0
        today = timezone.localdate()
        now = timezone.now()

        def rows():
            serial = 0
            for (t_id, school_id, category), p, w in zip(teachers, propensity, weights, strict=True):
                k = int(n * w / total_weight + rng.random())
                if k == 0:
                    continue
                per_entry = TARGET_HOURS[TeacherCategory(category)] * p / max(1, k * (1 - previous_share))
                for _ in range(k):
                    serial += 1
                    if serial > n:
                        return
                    year = previous if rng.random() < previous_share else current
                    last = min(year.end_date, today)
                    span = max(0, (last - year.start_date).days)
                    day = year.start_date + datetime.timedelta(days=rng.randint(0, span))
                    hours = Decimal(str(max(0.5, round(per_entry * rng.uniform(0.5, 1.5) * 2) / 2)))
                    yield (
                        t_id,
                        year.pk,
                        school_id,
                        hours,
                        True,
                        "online",
                        f"gen-{serial}",
                        f"在线课程 {serial % 400 + 1}",
                        day,
                        now,
                        "",
                    )

        return self._insert(
            LedgerEntry,
            [
                "teacher_id",
                "training_year_id",
                "school_id",
                "hours",
                "counts_as_session",
                "source",
                "source_ref",
                "title",
                "activity_date",
                "recorded_at",
                "note",
            ],
            rows(),
        )

    # ------------------------------------------------------------------------------------
    def _insert(self, model, columns: list[str], rows) -> int:
        """COPY on PostgreSQL; executemany in batches elsewhere. Returns the row count."""
        table = model._meta.db_table
        count = 0
        if self.use_copy:
            with connection.cursor() as cursor:
                raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            return count
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        batch: list = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append(row)
                if len(batch) >= self.batch_size:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count
