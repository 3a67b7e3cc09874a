"""Benchmarks: `make bench` runs every benchmark on PostgreSQL and regenerates docs/benchmarks.md.

Every measure goes through bench.record, one schema for all (see bench/record.py and
docs/decisions/0029-benchmark-record.md):
  {"name", "value", "unit", "goal", "met", "peer", "ratio", "machine", "run_at"} (+ "benchmark", "detail")
merged by name into var/bench/latest.json, so one module can be re-run alone:
  python -m bench import_attendance
The modules in BENCHMARKS expose `run() -> list[dict]` (measures made with `record.measure`) and run
on a fresh test database created by `python -m bench`; bench.reports, bench.delivery_report and
bench.membership_join run on the generated city, bench.deadline_load starts its own servers; each
of those calls `record.write` itself.
To add a benchmark: write bench/<name>.py with run() and append "bench.<name>" to BENCHMARKS.
"""

BENCHMARKS = [
    "bench.import_attendance",
    "bench.delivery_rollup",
    "bench.hostile_sheets",
    "bench.search_quality",
    "bench.search_scale",
    "bench.h5p_xapi",
    "bench.lesson_page",
]
