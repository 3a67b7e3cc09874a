"""CPU time and queries per request of each endpoint the simulated teachers hit, in one process.

    (environment of the deadline-load servers: bench.deadline_load runs this before starting them)
    python -m bench.load.cpu PLAN.json OUT.json [--rounds N]

Latency on a shared 2-core machine mostly measures the neighbours; the CPU seconds a request costs
this process (time.process_time around N requests through Django's whole handler: middleware,
session, view, template) barely change with the load. Each endpoint is asked with the settings the
servers run (production, Redis cache, PostgreSQL), by a load account with a session, after a few
warm-up requests so the caches hold what a running server's caches hold. Queries are counted in a
separate pass (counting them costs CPU of its own).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time

STUDY = re.compile(r'data-progress-url="([^"]+)"')
WARM_UP = 3
BATCHES = 5


def _client():
    from django.test import Client

    # Plain HTTP on loopback, as the load generator talks to gunicorn.
    return Client(REMOTE_ADDR="127.0.0.1")


def _measure(label: str, call, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        status = call()
    # Five batches; the median batch's figure (neighbours on a shared machine inflate some batches:
    # cache misses, frequency changes).
    batch = max(1, rounds // BATCHES)
    cpus, walls = [], []
    for _ in range(BATCHES):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        for _ in range(batch):
            status = call()
        cpus.append((time.process_time() - started_cpu) / batch * 1000)
        walls.append((time.perf_counter() - started_wall) / batch * 1000)
    cpu, wall = statistics.median(cpus), statistics.median(walls)
    with CaptureQueriesContext(connection) as queries:
        call()
    return {
        "request": label,
        "cpu_ms": round(cpu, 2),
        "wall_ms": round(wall, 2),
        "queries": len(queries),
        "status": status,
    }


def measure(plan: dict, rounds: int) -> list[dict]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    rng = random.Random(17)  # noqa: S311 (which account and lesson: a fixed choice, not a secret)
    account = plan["accounts"][0]
    user = get_user_model().objects.get(username=account["username"])
    client = _client()
    client.force_login(user)
    course, lesson = account["courses"][0], account["lessons"][0]
    page = client.get(lesson)
    progress_url = STUDY.search(page.content.decode()).group(1)

    def get(url):
        return lambda: client.get(url).status_code

    def progress(event):
        return lambda: client.post(progress_url, {"event": event}).status_code

    results = [
        _measure("course catalogue", get(plan["catalogue"]), rounds),
        _measure("course page", get(course), rounds),
        _measure("lesson page", get(lesson), rounds),
        _measure("lesson progress (open)", progress("open"), rounds),
        _measure("lesson progress (beat)", progress("beat"), rounds),
        _measure("我的研修", get("/me/training/"), rounds),
        _measure("我的首页 (where login lands)", get("/me/start/"), rounds),
    ]

    # Logins: a visitor without a session each time (cookies emptied), the login page then the POST.
    visitor = _client()

    def login_page():
        visitor.cookies.clear()
        return visitor.get("/accounts/login/").status_code

    def login_post():
        other = rng.choice(plan["accounts"])
        visitor.cookies.clear()
        visitor.get("/accounts/login/")
        return visitor.post("/accounts/login/", {"login": other["username"], "password": plan["password"]}).status_code

    results.append(_measure("login page", login_page, rounds))
    # The POST's figure includes its own login page GET (a fresh session needs it): subtracted below.
    post = _measure("login (POST)", login_post, max(3, rounds // 5))
    post["cpu_ms"] = round(post["cpu_ms"] - results[-1]["cpu_ms"], 2)
    post["wall_ms"] = round(post["wall_ms"] - results[-1]["wall_ms"], 2)
    post["queries"] -= results[-1]["queries"]
    results.append(post)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("plan")
    parser.add_argument("out")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args(argv)
    with open(args.plan, encoding="utf-8") as f:
        plan = json.load(f)
    results = measure(plan, args.rounds)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(results, f)
    for r in results:
        print(f"   {r['request']:<24} {r['cpu_ms']:7.1f} ms CPU  {r['queries']:3d} queries  (HTTP {r['status']})")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
