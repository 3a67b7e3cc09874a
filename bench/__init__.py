"""Benchmarks: `make bench` (python -m bench) runs every module in BENCHMARKS on a fresh database.

Each benchmark module exposes `run() -> list[dict]`; every dict is one measurement:
  {"name": str, "value": float, "unit": "s", "budget": float | None, "detail": str}
Results are merged into var/bench/latest.json (keyed by module@database) and docs/benchmarks.md
is regenerated from all recorded modules, so one module can be re-run alone:
  python -m bench import_attendance
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
