"""What the city-scale benchmarks share (bench.reports, bench.delivery_report): Django set up
from the command line, the fixtures on the generated city, one timing loop, one JIT switch,
and the markers of each benchmark's section in docs/benchmarks-reports.md."""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench.delivery_report writes its section between these; bench.reports keeps it when it rewrites the file.
DELIVERY_SECTION_START = "<!-- bench.delivery_report -->"
DELIVERY_SECTION_END = "<!-- /bench.delivery_report -->"
# bench.evaluation (issue 16) writes its section between these; bench.reports keeps it too.
EVALUATION_SECTION_START = "<!-- bench.evaluation -->"
EVALUATION_SECTION_END = "<!-- /bench.evaluation -->"
KEPT_SECTIONS = ((DELIVERY_SECTION_START, DELIVERY_SECTION_END), (EVALUATION_SECTION_START, EVALUATION_SECTION_END))


def merge_section(text: str, start: str, end: str, block: str) -> str:
    """Replace the section between `start` and `end` in `text` with `block` (or append it)."""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + block


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(ms: list[float]) -> dict:
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(pct(ms, 95), 1), "n": len(ms)}


def fixtures():
    from accounts.models import CoordinatorRole, District, School, TrainingYear, User

    if not District.objects.filter(code__startswith="GEN").exists():
        raise SystemExit("No generated city: run `manage.py generate_city_data` on this database first.")
    city, _ = User.objects.get_or_create(username="bench_city", defaults={"name": "基准市级"})
    CoordinatorRole.objects.get_or_create(user=city, level=CoordinatorRole.Level.CITY)
    district = District.objects.filter(code__startswith="GEN").order_by("code").first()
    school = School.objects.filter(district=district).order_by("code").first()
    year = TrainingYear.current() or TrainingYear.objects.first()
    return city, district, school, year


def time_pages(client, pages: dict, runs: int, before=None) -> dict:
    """p50/p95 and queries of each page over `runs` requests after two warm-ups. `before()`,
    when given, runs before every request, untimed (e.g. to drop a cache: the cold figure)."""
    from django.db import connection

    before = before or (lambda: None)
    out = {}
    for name, (url, params) in pages.items():
        for _ in range(2):  # warm-up
            assert client.get(url, params).status_code == 200
        executed = []

        def counter(execute, sql, params_, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params_, many, context)

        before()
        with connection.execute_wrapper(counter):
            client.get(url, params)
        ms = []
        for _ in range(runs):
            before()
            t0 = time.perf_counter()
            response = client.get(url, params)
            ms.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        out[name] = {**summary(ms), "queries": len(executed)}
    return out


def time_calls(call, runs: int) -> dict:
    """p50/p95 of `call()` over `runs` calls, after two warm-up calls."""
    ms = []
    for i in range(runs + 2):
        t0 = time.perf_counter()
        call()
        if i >= 2:
            ms.append((time.perf_counter() - t0) * 1000)
    return summary(ms)


@contextlib.contextmanager
def jit(off: bool, uid: str):
    """Fresh connections with PostgreSQL's JIT off (or the server default) for the block."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def set_jit(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")

    connection.close()
    if off:
        connection_created.connect(set_jit, dispatch_uid=uid)
    try:
        yield
    finally:
        connection_created.disconnect(dispatch_uid=uid)
        connection.close()


def wsgi_get_environ(path: str, session: str) -> dict:
    """A logged-in GET of `path` (query string allowed) for the production WSGI handler, in
    process (bench.lesson_cpu, bench.delivery_cpu)."""
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={session}; csrftoken=abcdefghijklmnopqrstuvwxyz012345",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
    }


def cpu_per_call(call, n: int, *, profile_to: str | None = None, top: int = 50) -> tuple[float, float]:
    """CPU ms and wall ms per `call(i)` over n calls, in process (bench.lesson_cpu, bench.xapi_cpu).
    With `profile_to`, n calls run first under cProfile (process time), the profile is written
    there and its top functions printed by cumulative and by own time."""
    if profile_to:
        import cProfile
        import pstats

        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for i in range(n):
            call(i)
        profile.disable()
        profile.dump_stats(profile_to)
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(40)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(n):
        call(i)
    return (time.process_time() - cpu0) / n * 1000, (time.perf_counter() - wall0) / n * 1000
