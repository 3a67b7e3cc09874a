"""CPU time of one warm delivery report GET (district and school pages) through the real WSGI
handler, in process, as the coordinators who read them (issue 17).

The district and school pages' figures come from their cache (decision 0039) once warm; what is
left is the fixed cost of a coordinator's request: session, user, second factor, scope, the
navigation, the report framework and the template. Wall-clock figures on a shared machine move
with the load; the CPU the process spends per request does not (much). This runs the production
settings' middleware, context processors and templates, like bench.lesson_cpu, and prints for
each page the CPU ms per GET (time.process_time over N requests), the SQL queries of one warm
GET, and with --profile the cProfile top functions.

Pages (the district and school bench.delivery_load measures, current semester):

- district page as a district coordinator of that district, and as the city coordinator;
- school page as a school coordinator of that school, and as the city coordinator
  (bench.delivery_load logs in as the city coordinator).

    DATABASE_URL=postgres://.../xinyu_x SECRET_KEY=x [REDIS_URL=...] \\
        python -m bench.delivery_cpu [N] [--profile] [--sql] [--only district-page] [--html DIR]

Needs the generated city (``manage.py generate_city_data``); it adds two coordinators
(bench_delivery_district, bench_delivery_school) once and reuses them. Records nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("STATIC_ROOT", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "bench", "static"))


def _session(user) -> str:
    """A session key for `user`, second factor recorded as allauth's login records it."""
    from django.test import Client

    from tests.auth import login_with_mfa

    client = Client()
    login_with_mfa(client, user)
    return client.session.session_key


def _pages() -> dict[str, tuple[str, str]]:
    """name: (path with query, session key)."""
    from django.urls import reverse

    from accounts.models import CoordinatorRole, Term, User
    from bench.harness import fixtures

    city, district, school, _year = fixtures()
    term = Term.current()
    district_user, _ = User.objects.get_or_create(username="bench_delivery_district", defaults={"name": "基准县区"})
    CoordinatorRole.objects.get_or_create(user=district_user, level=CoordinatorRole.Level.DISTRICT, district=district)
    school_user, _ = User.objects.get_or_create(username="bench_delivery_school", defaults={"name": "基准学校"})
    CoordinatorRole.objects.get_or_create(user=school_user, level=CoordinatorRole.Level.SCHOOL, school=school)
    url = reverse("reports:delivery")
    district_path = f"{url}?term={term.pk}&district={district.pk}"
    school_path = f"{url}?term={term.pk}&school={school.pk}"
    city_session = _session(city)
    return {
        "district page, district coordinator": (district_path, _session(district_user)),
        "district page, city coordinator": (district_path, city_session),
        "school page, school coordinator": (school_path, _session(school_user)),
        "school page, city coordinator": (school_path, city_session),
    }


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.lesson_page import _collectstatic, _compilemessages

    _collectstatic(dict(os.environ))
    _compilemessages(dict(os.environ))
    n = int(next((a for a in argv if a.isdigit()), "300"))
    only = argv[argv.index("--only") + 1] if "--only" in argv else ""
    pages = {name: page for name, page in _pages().items() if only in name.replace(" ", "-").replace(",", "")}
    handler = WSGIHandler()

    from bench.harness import wsgi_get_environ as environ

    def get(path, session):
        response = handler(environ(path, session), lambda status, headers, exc=None: None)
        body = b"".join(response)
        response.close()
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        return body

    results = []
    counts = {}
    for name, (path, session) in pages.items():
        for _ in range(20):
            get(path, session)
        with CaptureQueriesContext(connection) as queries:
            body = get(path, session)
        count = len(queries)  # now: the next request_started resets the connection's query log
        if "--html" in argv:  # keep the page to compare the markup before and after a change
            out = argv[argv.index("--html") + 1]
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(out, name.replace(", ", "-").replace(" ", "_") + ".html"), "wb") as f:
                f.write(body)
        print(f"{name}: {path}\n  queries per warm GET: {count}, page {len(body)} bytes")
        if "--sql" in argv:
            for q in queries:
                print("    ", q["sql"][:240])
        if "--profile" in argv:
            import cProfile
            import pstats

            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(n):
                get(path, session)
            profile.disable()
            slug = name.split(",")[0].replace(" ", "_")
            profile.dump_stats(f"var/delivery_cpu_{slug}.prof")
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(50)
            stats.sort_stats("tottime").print_stats(30)
        # Python function calls per GET: steadier than CPU time on a loaded machine.
        import cProfile
        import pstats

        counter = cProfile.Profile()
        counter.enable()
        for _ in range(20):
            get(path, session)
        counter.disable()
        counts[name] = (count, pstats.Stats(counter).total_calls // 20)
    # Interleaved rounds, median per page: a loaded machine's slow spell hits every page alike.
    rounds = 5
    samples = {name: [] for name in pages}
    for _ in range(rounds):
        for name, (path, session) in pages.items():
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for _ in range(max(1, n // rounds)):
                get(path, session)
            k = max(1, n // rounds)
            samples[name].append(((time.process_time() - cpu0) / k * 1000, (time.perf_counter() - wall0) / k * 1000))
    for name in pages:
        cpu = statistics.median(c for c, _w in samples[name])
        wall = statistics.median(w for _c, w in samples[name])
        spread = f"{min(c for c, _w in samples[name]):.2f}-{max(c for c, _w in samples[name]):.2f}"
        results.append((name, cpu, spread, wall, counts[name]))
    print()
    for name, cpu, spread, wall, queries in results:
        queries, calls = queries
        print(
            f"{name:37s} {cpu:6.2f} CPU ms/GET ({spread})  {wall:6.2f} wall ms  {queries:2d} queries  {calls:6d} calls"
        )
    settings = os.environ["DJANGO_SETTINGS_MODULE"]
    load = os.getloadavg()[0]
    print(f"{n} GETs each in {rounds} interleaved rounds (median); load average {load:.1f}; settings {settings}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
