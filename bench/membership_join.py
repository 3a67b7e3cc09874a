"""What grouping a year's teachers by the school of that year costs (issue 11).

Times the city completion roll-up grouped by the teacher's current school (before) and by the
school of the training year through the membership history (after), on the generated city,
and checks both give the same figures for the running year.

Run: ``DATABASE_URL=postgres://… .venv/bin/python -m bench.membership_join [--runs 7]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench import record
from bench.harness import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    setup_django()
    from django.db.models import Q

    from accounts.models import TrainingYear
    from accounts.scope import Scope
    from tracking.ledger.services import completion_rollup

    year = TrainingYear.current()
    scope = Scope(user=None, city=True)

    def before():
        return completion_rollup(scope.teachers().filter(is_active=True, school__is_active=True), year, "district")

    def after():
        teachers = scope.teachers_in_year(year, Q(year_membership__school__is_active=True))
        return completion_rollup(teachers, year, "district", school_path="year_membership__school")

    assert before() == after(), "the running year must read the same"
    medians = {}
    for name, call in (("current school", before), ("school of the year", after)):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        medians[name] = statistics.median(times)
        print(f"{name}: p50 {medians[name]:.0f} ms, min {min(times):.0f} ms ({runs} runs)")
    before_ms, after_ms = medians["current school"], medians["school of the year"]
    record.write(
        "membership_join",
        [
            record.measure(
                "city roll-up by the school of the year, p50",
                after_ms,
                "ms",
                peer="grouping by the current school",
                ratio=after_ms / before_ms,
                detail=f"{runs} runs; grouping by the current school p50 {before_ms:.0f} ms; same figures checked",
            ),
        ],
    )


if __name__ == "__main__":
    main()
