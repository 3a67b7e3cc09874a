"""Delivery rollups at city scale: 4,000 classes and 200,000 class logs in one semester.

The platform expects ~350k class-delivery logs a year (≈ 175k a semester). Times the
coordinator views' building blocks: the per-class status list (first page, filtered to
"behind"), and the rollups per school, per district and for the whole city.
Contract: see bench/__init__.py (`run() -> list[dict]`); register as "bench.delivery_rollup".
"""

from __future__ import annotations

import datetime
import random
import time

from bench import record

SCHOOLS = 200
CLASSES_PER_SCHOOL = 20
LOGS = 200_000
BUDGET_SECONDS = 2.0  # per rollup call, the coordinator report's interactive budget


def _build():
    from django.contrib.auth.hashers import make_password

    from accounts.models import AcademicYear, District, School, SchoolClass, Term, User
    from tracking.models import ActivityKind, ClassActivity, FamilyVisitTally

    rng = random.Random(5)
    year = AcademicYear.objects.create(
        name="基准学年", start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 8, 31)
    )
    term = Term.objects.create(
        academic_year=year, number=1, start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 1, 20)
    )
    user = User.objects.create(username="bench-delivery", password=make_password(None))
    districts = District.objects.bulk_create([District(name=f"基准区{i}", code=f"BD{i:03d}") for i in range(12)])
    types = ["primary", "junior", "senior", "nine_year", "vocational"]
    schools = School.objects.bulk_create(
        [
            School(
                name=f"基准学校{i:03d}",
                code=f"BDS{i:04d}",
                district=districts[i % len(districts)],
                school_type=types[i % len(types)],
                student_count=rng.randint(300, 3000),
            )
            for i in range(SCHOOLS)
        ]
    )
    classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(
                school=school,
                academic_year=year,
                grade=list(school.grades)[c % len(school.grades)],
                name=f"{c}班",
                student_count=45,
                family_count=44,
            )
            for school in schools
            for c in range(CLASSES_PER_SCHOOL)
        ],
        batch_size=2000,
    )
    kinds = [ActivityKind.PSYCHOLOGY_LESSON] * 6 + [ActivityKind.THEME_MEETING, ActivityKind.SPECIAL_ACTIVITY]
    days = (term.end_date - term.start_date).days
    ClassActivity.objects.bulk_create(
        (
            ClassActivity(
                school_class=rng.choice(classes),
                kind=rng.choice(kinds),
                date=term.start_date + datetime.timedelta(days=rng.randrange(days)),
                topic="基准",
                created_by=user,
            )
            for _ in range(LOGS)
        ),
        batch_size=5000,
    )
    FamilyVisitTally.objects.bulk_create(
        [
            FamilyVisitTally(school_class=c, term=term, families_visited=rng.randint(0, 44), updated_by=user)
            for c in classes
        ],
        batch_size=2000,
    )
    return term


def _rebuild_totals(term):
    from tracking.delivery.totals import rebuild_totals

    return rebuild_totals(term.academic_year_id)  # bulk_create sends no signal (docs/decisions/0027)


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def run() -> list[dict]:
    from accounts.models import SchoolClass
    from tracking.delivery import rules

    build_s, term = _timed(_build)
    on = datetime.date(2026, 12, 1)
    classes = SchoolClass.objects.all()
    full_s, _ = _timed(lambda: list(rules.class_delivery_status(classes, term, on)))
    results = [
        record.measure(
            "class status, all classes",
            round(full_s, 3),
            "s",
            None,
            detail="every class annotated (what an export would read)",
        )
    ]
    list_s, rows = _timed(
        lambda: list(rules.class_delivery_status(classes, term, on).filter(status="behind").order_by("school_id")[:50])
    )
    results.append(
        record.measure(
            "class status list (first 50 behind)",
            round(list_s, 3),
            "s",
            f"<= {BUDGET_SECONDS}",
            detail=f"{classes.count()} classes, {LOGS} logs; {len(rows)} rows shown; data built in {build_s:.1f} s",
        ),
    )
    rebuild_s, n_totals = _timed(lambda: _rebuild_totals(term))
    results.append(
        record.measure(
            "rebuild the class totals",
            round(rebuild_s, 3),
            "s",
            detail=f"{n_totals} ClassTermTotal rows from {LOGS} logs (manage.py rebuild_delivery_totals)",
        )
    )
    # As of 1 December some logs are dated later: the rollup reads the logs. At the semester's
    # end every log counts: it reads the maintained totals. Same calls, both sources.
    for by in ("school", "district", "city"):
        for label, day in (
            ("from the logs, as of 1 Dec", on),
            ("from the totals, at the semester's end", term.end_date),
        ):
            seconds, out = _timed(lambda by=by, day=day: rules.rollup(classes, term, by, day))
            results.append(
                record.measure(
                    f"rollup by {by} ({label})",
                    round(seconds, 3),
                    "s",
                    f"<= {BUDGET_SECONDS}",
                    detail=f"{len(out)} rows",
                )
            )
    return results
