"""The delivery report under a real server: gunicorn (-w 2, CONN_MAX_AGE 60) on the generated city.

Issue 17's goals: the city page p95 ≤ 150 ms at c=1 and ≥ 30 req/s at c=8; the district page
p95 ≤ 60 ms and the school page p95 ≤ 40 ms (c=1). Needs PostgreSQL with ``manage.py
generate_city_data`` (default ``--class-logs 350000``) on it, like ``bench.delivery_report``.

A city coordinator's session (second factor recorded, tests/auth.py) is made in this process;
gunicorn serves the pages on a loopback port; c=1 is a sequential loop, c=8 eight threads with
their own keep-alive connections for a fixed time. Figures go through ``bench.record`` when it
is present (issue 17's one record), else to ``var/bench/delivery_load.json``; every figure
carries the load average, measured in the same run.

Run: ``DATABASE_URL=postgres://… .venv/bin/python -m bench.delivery_load [--runs 40] [--seconds 20]``.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

from bench.harness import ROOT, fixtures, pct, setup_django

GOALS = {  # page: (p95 goal at c=1 in ms, req/s goal at c=8 or None)
    "city": ("<= 150", ">= 30"),
    "district": ("<= 60", None),
    "school": ("<= 40", None),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(conn: http.client.HTTPConnection, path: str, cookie: str) -> float:
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


def _sequential(port: int, path: str, cookie: str, runs: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(3):  # warm-up: both workers' connections and caches
        _get(conn, path, cookie)
    return [_get(conn, path, cookie) for _ in range(runs)]


def _concurrent(port: int, path: str, cookie: str, clients: int, seconds: float) -> tuple[float, list[float], int]:
    times: list[float] = []
    errors = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        try:
            _get(conn, path, cookie)  # warm-up, not counted
            while time.perf_counter() < stop:
                mine.append(_get(conn, path, cookie))
        except Exception as exc:  # noqa: BLE001 (counted and reported)
            errors.append(exc)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(times) / elapsed, times, len(errors)


def _serve(port: int) -> subprocess.Popen:
    env = dict(os.environ, CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "60"))
    env.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, loopback only)
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "cms.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def run(runs: int = 40, seconds: float = 20.0) -> list[dict]:
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Term
    from tests.auth import login_with_mfa

    if connection.vendor != "postgresql":
        raise SystemExit("The delivery load benchmark needs PostgreSQL (set DATABASE_URL).")
    city, district, school, _year = fixtures()
    term = Term.current()
    client = Client()
    login_with_mfa(client, city)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = reverse("reports:delivery")
    paths = {
        "city": f"{url}?term={term.pk}",
        "district": f"{url}?term={term.pk}&district={district.pk}",
        "school": f"{url}?term={term.pk}&school={school.pk}",
    }
    connection.close()
    port = _free_port()
    server = _serve(port)
    measures = []
    try:
        for page, path in paths.items():
            p95_goal, rate_goal = GOALS[page]
            load = os.getloadavg()
            ms = _sequential(port, path, cookie, runs)
            measures.append(
                _measure(f"delivery report {page} page: p95 at c=1", pct(ms, 95), "ms", p95_goal, load, len(ms))
            )
            if rate_goal:
                load = os.getloadavg()
                rate, ms8, errors = _concurrent(port, path, cookie, 8, seconds)
                detail = f"{len(ms8)} requests in {seconds:.0f} s, p95 {pct(ms8, 95):.0f} ms, {errors} errors"
                measures.append(
                    _measure(f"delivery report {page} page: req/s at c=8", rate, "req/s", rate_goal, load, detail)
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    _record(measures)
    return measures


def _measure(name, value, unit, goal, load, detail) -> dict:
    detail = f"{detail} requests" if isinstance(detail, int) else detail
    detail += f"; gunicorn -w 2, CONN_MAX_AGE 60; load average at start {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}"
    return {"name": name, "value": round(value, 1), "unit": unit, "goal": goal, "detail": detail}


def _record(measures: list[dict]) -> None:
    from bench import record

    record.write(
        "delivery_load",
        [record.measure(m["name"], m["value"], m["unit"], m["goal"], detail=m["detail"]) for m in measures],
        notes="gunicorn -w 2 on loopback, generated city (20,000 classes, 350,000 class logs), PostgreSQL.",
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    opts = dict(zip(args[::2], args[1::2], strict=False))
    result = run(int(opts.get("--runs", 40)), float(opts.get("--seconds", 20)))
    print(json.dumps(result, ensure_ascii=False, indent=2))
