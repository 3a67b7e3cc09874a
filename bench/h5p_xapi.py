"""xAPI ingestion, ours against wagtail-lms 0.11.1's H5P endpoint, side by side in one run (issue 15).

Both run under gunicorn with 2 workers on PostgreSQL with persistent connections
(CONN_MAX_AGE=60); 16 learners post at once over keep-alive HTTP connections, each its own
session. Both get the same statement stream of an H5P exercise (interacted, answered
sub-questions, a scored top-level answered). Ours validates, stores idempotently by id and
updates the learner's result; wagtail-lms stores and updates its attempt. wrk posts the
statements (bench/wrk.lua: C threads, a fresh statement id in every POST), ROUND_SECONDS for each
of the three in a round (decision 0044).

The peer is installed from PyPI into its own virtual environment (var/bench/lms-venv), never
vendored; bench/lms_peer/ is the few lines of project that mount it. PostgreSQL only: on
SQLite the module reports nothing.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from bench import record, wrk
from bench.harness import pct

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = ROOT / "bench" / "lms_peer"
PEER_VENV = ROOT / "var" / "bench" / "lms-venv"
PEER_REQUIREMENTS = ["wagtail-lms==0.11.1", "gunicorn==27.0.1", "psycopg[binary]==3.3.9"]
LEARNERS = 16
PER_LEARNER = 250
ROUNDS = 3  # ours, the peer, ours batched — in turn, three times
ROUND_SECONDS = float(os.environ.get("BENCH_XAPI_SECONDS", "10"))  # each of the three, with wrk
WORKERS = 2
# Threads per gunicorn worker, the same for both servers. 1 by default; a statement POST mostly waits
# for its commit to reach the disk (decision 0035), which more threads overlap.
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "1"))
SECRET = "bench-h5p-xapi-not-a-secret"  # noqa: S105 (the benchmark's own throwaway servers)
ADL = "http://adlnet.gov/expapi/verbs/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stream(actor: str, iri: str) -> list[dict]:
    """One exercise's worth of statements, repeated: 2 interacted, 2 sub-questions, 1 scored."""

    def one(verb, sub, scored):
        data = {
            "actor": {"name": "学员", "mbox": actor, "objectType": "Agent"},
            "verb": {"id": ADL + verb, "display": {"en-US": verb}},
            "object": {"id": iri + ("?subContentId=q1" if sub else ""), "objectType": "Activity"},
            "context": {"contextActivities": {"category": [{"id": "http://h5p.org/libraries/H5P.QuestionSet-1.20"}]}},
        }
        if sub:
            data["context"]["contextActivities"]["parent"] = [{"id": iri, "objectType": "Activity"}]
        if scored:
            data["result"] = {"score": {"min": 0, "max": 4, "raw": 3, "scaled": 0.75}, "completion": True}
        return data

    pattern = [
        ("interacted", True, False),
        ("answered", True, True),
        ("interacted", True, False),
        ("answered", True, True),
        ("answered", False, True),
    ]
    return [one(*pattern[i % len(pattern)]) for i in range(PER_LEARNER)]


def _batches(statements: list[dict]) -> list[list[dict]]:
    """The same stream as our player sends it (static/js/h5p-player.js): statements that cannot
    decide a pass (sub-questions, interactions) wait for the next top-level one and go with it
    in one POST (an xAPI array)."""
    posts, pending = [], []
    for statement in statements:
        pending.append(statement)
        if "?subContentId=" not in statement["object"]["id"]:
            posts.append(pending)
            pending = []
    return posts + ([pending] if pending else [])


def _wait(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _gunicorn(binary: Path, app: str, port: int, env: dict, cwd: Path) -> subprocess.Popen:
    cmd = [
        str(binary),
        app,
        "--workers",
        str(WORKERS),
        # The sync worker answers "Connection: close"; gthread (one thread) keeps the connection
        # alive as the issue asks ("persistent connections on both sides"), for both servers.
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--bind",
        f"127.0.0.1:{port}",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=str(cwd))  # noqa: S603 (our own command line)
    _wait(port, proc)
    return proc


def _load(port: int, jobs: list[tuple[str, str, list[dict]]], seconds: float = 0) -> dict:
    """jobs: (path, cookie header, statements) per learner, posted on one keep-alive connection each.
    wrk posts them for `seconds` (ROUND_SECONDS by default), each learner cycling through its
    stream with a fresh id in every statement (decision 0044); BENCH_LOADER=python posts each
    stream once from Python threads, the loader wrk replaced."""
    if os.environ.get("BENCH_LOADER", "wrk") == "wrk":
        return _load_wrk(port, jobs, seconds or ROUND_SECONDS)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(len(jobs) + 1)

    counted = [0]

    def learner(path, cookie, csrf, posts):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, codes, sent = [], {}, 0
        start.wait()
        for post in posts:
            items = [dict(s, id=str(uuid.uuid4())) for s in (post if isinstance(post, list) else [post])]
            body = json.dumps(items if isinstance(post, list) else items[0])
            sent += len(items)
            headers = {
                "Content-Type": "application/json",
                "Cookie": cookie,
                "X-CSRFToken": csrf,
                "Connection": "keep-alive",
            }
            t0 = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - t0) * 1000)
            codes[response.status] = codes.get(response.status, 0) + 1
        conn.close()
        with lock:
            counted[0] += sent
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=learner, args=job) for job in jobs]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {
        "rate": counted[0] / wall,
        "p95": pct(latencies, 95),
        "p50": pct(latencies, 50),
        "n": counted[0],
        "requests": len(latencies),
        "statuses": statuses,
        "wall": wall,
    }


def _ours(database_url: str, stack) -> dict:
    """Start our server (stopped by `stack`); its port, the learners' jobs and SQL per statement."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wagtail.models import Site

    from courses.h5p import views as h5p_views
    from courses.h5p import xapi
    from courses.models import H5PContent
    from tests.factories import CourseIndexPageFactory, CoursePageFactory, EnrolmentFactory, TeacherProfileFactory
    from tests.h5p.conftest import h5p_lesson, upload

    catalogue = CourseIndexPageFactory(parent=Site.objects.get(is_default_site=True).root_page, slug="bench-h5p")
    course = CoursePageFactory(parent=catalogue, title="基准：互动练习")
    content: H5PContent = upload("hello-world-truefalse.h5p")
    lesson = h5p_lesson(course, content, pass_percent=60)
    port = _free_port()
    iri = f"http://127.0.0.1:{port}/h5p/{content.pk}/"
    jobs, teachers = [], []
    for _ in range(LEARNERS + 1):
        teacher = TeacherProfileFactory()
        enrolment = EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
        teachers.append((teacher.user, enrolment))
    for user, enrolment in teachers[:LEARNERS]:
        store = SessionStore()
        store.update(
            {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[0],
                "_auth_user_hash": user.get_session_auth_hash(),
            }
        )
        store.create()
        grant = h5p_views.make_grant(user, content, lesson, enrolment, 60, None, store.session_key)
        csrf = uuid.uuid4().hex
        path = f"/h5p/g/{grant}/xapi/statements"
        jobs.append(
            (path, f"sessionid={store.session_key}; csrftoken={csrf}", csrf, _stream(xapi.actor_mbox(user), iri))
        )
    # SQL per statement, in process (session and user included): one of each kind in the stream.
    probe_user, probe_enrolment = teachers[-1]
    client = Client()
    client.force_login(probe_user)
    probe_grant = h5p_views.make_grant(
        probe_user, content, lesson, probe_enrolment, 60, None, client.session.session_key
    )
    probe_path = f"/h5p/g/{probe_grant}/xapi/statements"
    probe_iri = f"http://testserver/h5p/{content.pk}/"
    counts = []
    for statement in _stream(xapi.actor_mbox(probe_user), probe_iri)[:10]:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                probe_path, json.dumps(dict(statement, id=str(uuid.uuid4()))), content_type="application/json"
            )
        assert response.status_code == 204, response.content
        counts.append(len(queries))
    batched_counts = []
    for post in _batches(_stream(xapi.actor_mbox(probe_user), probe_iri)[:10]):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                probe_path, json.dumps([dict(s, id=str(uuid.uuid4())) for s in post]), content_type="application/json"
            )
        assert response.status_code == 204, response.content
        batched_counts.append(len(queries) / len(post))
    from django.conf import settings

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=settings.SECRET_KEY,  # the sessions and grants made here are signed with it
        DATABASE_URL=database_url,
        CONN_MAX_AGE="60",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    proc = _gunicorn(ROOT / ".venv" / "bin" / "gunicorn", "cms.wsgi", port, env, ROOT)
    stack.callback(_stop, proc)
    # Warm-up: each worker loads the code and opens its connection.
    _load(port, [(p, c, t, s[:5]) for p, c, t, s in jobs[:4]], 3)
    return {
        "port": port,
        "jobs": [(p, c, t, s[5:]) for p, c, t, s in jobs],
        "queries": counts,
        "batched": batched_counts,
    }


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def _peer_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIRTUAL_ENV"))}
    env.update(
        PEER_MEDIA_ROOT=str(ROOT / "var" / "bench" / "peer-media"),
        DJANGO_SETTINGS_MODULE="peer_settings",
        PYTHONPATH=str(PEER_DIR),
        SECRET_KEY=SECRET,
        DATABASE_URL=database_url,
    )
    return env


def _ensure_peer_venv() -> None:
    if (PEER_VENV / "bin" / "gunicorn").exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)  # noqa: S603
    subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "-q", *PEER_REQUIREMENTS], check=True)  # noqa: S603


def _peer(database_url: str, admin_url: str, name: str, stack) -> dict:
    """Start wagtail-lms on its own database (both dropped by `stack`); port, jobs, SQL per statement."""
    import psycopg

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    stack.callback(drop)
    _ensure_peer_venv()
    env = _peer_env(database_url)
    probe = _stream("mailto:peer@bench.invalid", "http://127.0.0.1/h5p/1")[:10]
    out = subprocess.run(  # noqa: S603
        [str(PEER_VENV / "bin" / "python"), str(PEER_DIR / "peer_setup.py"), str(LEARNERS)],
        input=json.dumps(probe),
        env=env,
        cwd=str(PEER_DIR),
        capture_output=True,
        text=True,
        check=True,
    )
    setup = json.loads(out.stdout.strip().splitlines()[-1])
    port = _free_port()
    path = f"/lms/h5p-xapi/{setup['activity']}/"
    jobs = []
    for i, key in enumerate(setup["sessions"]):
        csrf = uuid.uuid4().hex
        jobs.append(
            (
                path,
                f"sessionid={key}; csrftoken={csrf}",
                csrf,
                _stream(f"mailto:peer{i}@bench.invalid", f"http://127.0.0.1:{port}/h5p/1"),
            )
        )
    proc = _gunicorn(PEER_VENV / "bin" / "gunicorn", "django.core.wsgi:get_wsgi_application()", port, env, PEER_DIR)
    stack.callback(_stop, proc)
    _load(port, [(p, c, t, s[:5]) for p, c, t, s in jobs[:4]], 3)
    return {"port": port, "jobs": [(p, c, t, s[5:]) for p, c, t, s in jobs], "queries": setup["queries"]}


def _load_wrk(port: int, jobs: list, seconds: float) -> dict:
    wrk_jobs = []
    for path, cookie, csrf, posts in jobs:
        # The stream repeats itself: its distinct POST bodies, in order, with the id left to wrk.
        bodies = dict.fromkeys(
            json.dumps([dict(s, id="{uuid}") for s in post] if isinstance(post, list) else dict(post, id="{uuid}"))
            for post in posts
        )
        wrk_jobs.append(wrk.Job(path, cookie, method="POST", csrf=csrf, bodies=tuple(bodies)))
    return wrk.load(port, wrk_jobs, seconds, count_items=True)


def _floor(port: int, jobs: list) -> dict | None:
    """Our own /healthz under the same gunicorn and the same 16 keep-alive learners: a GET through
    the site's full middleware chain and URL resolver with one `SELECT 1` — what Django and
    gunicorn cost here before any work (decision 0045). wrk only (None with the Python loader)."""
    if os.environ.get("BENCH_LOADER", "wrk") != "wrk":
        return None
    return wrk.load(port, [wrk.Job("/healthz", cookie) for _, cookie, _, _ in jobs], ROUND_SECONDS)


def _rounds(ours: dict, peer: dict) -> tuple[dict, dict, dict, list[tuple[float, float]], list[dict]]:
    """ROUNDS rounds, each: ours one statement per POST, the peer, ours batched, our /healthz — a
    slice of the stream each time (fresh ids), so a change in the shared machine's load falls on
    all four."""
    totals = {"single": [], "peer": [], "batched": [], "floor": []}
    ratios = []
    size = PER_LEARNER // ROUNDS
    for r in range(ROUNDS):
        part = slice(r * size, (r + 1) * size)
        single = _load(ours["port"], [(p, c, t, s[part]) for p, c, t, s in ours["jobs"]])
        theirs = _load(peer["port"], [(p, c, t, s[part]) for p, c, t, s in peer["jobs"]])
        batched = _load(ours["port"], [(p, c, t, _batches(s[part])) for p, c, t, s in ours["jobs"]])
        floor = _floor(ours["port"], ours["jobs"])
        if floor is not None:
            totals["floor"].append(floor)
        totals["single"].append(single)
        totals["peer"].append(theirs)
        totals["batched"].append(batched)
        ratios.append((single["rate"] / theirs["rate"], batched["rate"] / theirs["rate"]))

    def merge(results: list[dict]) -> dict:
        n = sum(x["n"] for x in results)
        wall = sum(x["wall"] for x in results)
        statuses: dict[int, int] = {}
        for x in results:
            for code, k in x["statuses"].items():
                statuses[code] = statuses.get(code, 0) + k
        return {
            "rate": n / wall,
            "p95": max(x["p95"] for x in results),
            "p50": sorted(x["p50"] for x in results)[len(results) // 2],
            "n": n,
            "requests": sum(x["requests"] for x in results),
            "statuses": statuses,
            "wall": wall,
        }

    floor = merge(totals["floor"]) if totals["floor"] else None
    return merge(totals["single"]), merge(totals["peer"]), merge(totals["batched"]), ratios, floor


def _url(settings_dict: dict, name: str) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def run() -> list[dict]:
    from django.db import connection

    if connection.vendor != "postgresql":
        print("   h5p_xapi skipped: it needs PostgreSQL (set DATABASE_URL=postgres://...).")
        return []
    settings_dict = connection.settings_dict
    ours_url = _url(settings_dict, settings_dict["NAME"])
    peer_name = f"{settings_dict['NAME']}_lmspeer"
    with contextlib.ExitStack() as stack:
        ours_server = _ours(ours_url, stack)
        peer_server = _peer(_url(settings_dict, peer_name), _url(settings_dict, "postgres"), peer_name, stack)
        ours, peer, batched, rounds, floor = _rounds(ours_server, peer_server)
    ours["queries"] = ours_server["queries"]
    batched["queries"] = ours_server["batched"]
    peer["queries"] = peer_server["queries"]
    return measures(ours, peer, batched, rounds, floor)


def measures(ours: dict, peer: dict, batched: dict, rounds: list[tuple[float, float]], floor: dict | None) -> list:
    """The record's measures from the three loads (and our /healthz) of `_rounds`."""
    ratio = ours["rate"] / peer["rate"]
    per_round = ", ".join(f"{a:.1f}× / {b:.1f}×" for a, b in rounds)

    def describe(r):
        q = r["queries"]
        return (
            f"{r['rate']:.0f} statements/s, p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms (per request), "
            f"{r['n']} statements in {r['requests']} requests, HTTP {r['statuses']}, "
            f"SQL per statement {min(q):.4g}–{max(q):.4g} (last {q[-1]:.4g})"
        )

    batched_ratio = batched["rate"] / peer["rate"]
    load = "load average {:.1f} / {:.1f} / {:.1f} at the end".format(*os.getloadavg())
    setup = (
        f"gunicorn {WORKERS} gthread workers ({THREADS} thread{'s' if THREADS > 1 else ''} each), "
        f"{LEARNERS} concurrent learners ({os.environ.get('BENCH_LOADER', 'wrk')}"
        f"{f', {ROUND_SECONDS:g} s each' if os.environ.get('BENCH_LOADER', 'wrk') == 'wrk' else ''}), "
        "keep-alive, CONN_MAX_AGE=60"
    )
    peer_name = "wagtail-lms 0.11.1"
    ours_ms, peer_ms, batched_ms = 1000 / ours["rate"], 1000 / peer["rate"], 1000 / batched["rate"]
    return [
        record.measure(
            "ours: ms per statement (1000 / statements/s)",
            ours_ms,
            "ms",
            "<= 2",
            peer=peer_name,
            ratio=ours_ms / peer_ms,
            detail=f"one statement per POST, as the peer gets them: {describe(ours)}; {setup}; {load}",
        ),
        record.measure(
            "ours: p95 latency", ours["p95"], "ms", "<= 100", peer=peer_name, ratio=ours["p95"] / peer["p95"]
        ),
        record.measure(
            "ours, as our player posts (batched): ms per statement",
            batched_ms,
            "ms",
            "<= 2",
            peer=peer_name,
            ratio=batched_ms / peer_ms,
            detail=f"interactions and sub-questions sent with the next top-level statement: {describe(batched)}",
        ),
        record.measure("ours, batched: p95 latency per POST", batched["p95"], "ms", "<= 100"),
        record.measure("wagtail-lms 0.11.1: ms per statement", peer_ms, "ms", detail=f"{describe(peer)}; {setup}"),
        record.measure(
            "ours ÷ wagtail-lms throughput, one statement per POST (reference)",
            ratio,
            "×",
            peer=peer_name,
            ratio=ratio,
            detail=(
                f"ours is {ratio:.1f}× the throughput of wagtail-lms in the same run, one statement per POST "
                f"(per round, one per POST / batched: {per_round}); no goal of its own: the issue's 5× is "
                "measured as each player posts (decision 0045), and our /healthz below shows this machine's floor"
            ),
        ),
        record.measure(
            "ours ÷ wagtail-lms throughput as each player posts (ours ≥ 5×)",
            batched_ratio,
            "×",
            ">= 5",
            peer=peer_name,
            ratio=batched_ratio,
            detail=(
                f"the same learners doing the same exercise: ours as our player posts (an xAPI array of the "
                f"statements that cannot decide a pass with the next top-level one), wagtail-lms as its player "
                f"posts (one per POST); ours is {batched_ratio:.1f}× its statements per second in the same run"
            ),
        ),
    ] + _floor_measures(floor, ours, peer)


def _floor_measures(floor: dict | None, ours: dict, peer: dict) -> list[dict]:
    """What one statement per POST can reach here: our /healthz measured in the same rounds."""
    if floor is None:
        return []
    return [
        record.measure(
            "our /healthz (full chain, SELECT 1): ms per request",
            1000 / floor["rate"],
            "ms",
            detail=(
                f"{floor['rate']:.0f} requests/s, p50 {floor['p50']:.1f} ms, p95 {floor['p95']:.1f} ms, "
                f"HTTP {floor['statuses']}; the same gunicorn and learners as the statements, in each round; "
                f"5× wagtail-lms one statement per POST would be {5 * peer['rate']:.0f} statements/s, "
                f"{5 * peer['rate'] / floor['rate']:.2f}× this GET (decision 0045)"
            ),
        ),
        record.measure(
            "ours one statement per POST ÷ our /healthz (requests/s)",
            ours["requests"] / ours["wall"] / floor["rate"],
            "×",
        ),
    ]
