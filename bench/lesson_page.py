"""The logged-in lesson page, ours against wagtail-lms 0.11.1's lesson page, side by side (issue 17).

Both run under gunicorn with 2 workers on PostgreSQL with persistent connections
(CONN_MAX_AGE=60), at the same time; 16 enrolled learners, each with its own session and
keep-alive connection, open the lesson page again and again for ROUND_SECONDS (wrk drives them:
bench/wrk.lua, decision 0044). Rounds are
interleaved (ours, peer, ours, peer, …) so both see the same background load on this shared
machine; the figures are the median of the rounds, and the ratio is taken within each round.
Both lessons carry the same paragraphs; ours is a reading lesson of an enrolled teacher (study
time display, the mark-finished form, the site header with its menu and unread count), the
peer's an H5PLessonPage of an enrolled user. Ours uses Redis when REDIS_URL is set (as in
production), else each worker's own memory.

SQL per view is counted in process (session and user included) on a warm request: ours for a
reading lesson, a quiz lesson and an H5P lesson; the peer's from its own setup script.

The peer is installed from PyPI into its own virtual environment (var/bench/lms-venv), never
vendored. PostgreSQL only: on SQLite the module reports nothing.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import threading
import time
import uuid

from bench import record, wrk
from bench.h5p_xapi import (
    PEER_DIR,
    PEER_VENV,
    ROOT,
    _ensure_peer_venv,
    _free_port,
    _gunicorn,
    _peer_env,
    _url,
)
from bench.harness import pct

LEARNERS = 16
ROUNDS = int(os.environ.get("BENCH_LESSON_ROUNDS", "3"))
ROUND_SECONDS = float(os.environ.get("BENCH_LESSON_SECONDS", "30"))
PARAGRAPHS = [
    "学生常见心理困扰包括学业压力、人际关系紧张和情绪低落。教师是最早发现变化的人之一。",
    "留意学生在课堂上的表现变化：注意力下降、作业拖延、与同学疏远，都可能是求助的信号。",
    "与学生谈话时先倾听，不急于评判；用开放式问题了解他们的感受和需要。",
    "遇到危机信号时，按照学校的心理危机干预流程及时报告，并陪伴学生直到专业人员接手。",
    "与家长沟通要尊重隐私，说明观察到的事实，共同商量支持学生的办法。",
    "照顾好自己：教师的情绪健康同样重要，必要时寻求同事和专业人员的支持。",
]


def _load(port: int, jobs: list[tuple[str, str]], seconds: float) -> dict:
    """jobs: (path, cookie header) per learner; each learner GETs on its own keep-alive connection.
    wrk drives them (decision 0044); BENCH_LOADER=python runs the Python threads it replaced."""
    if os.environ.get("BENCH_LOADER", "wrk") == "wrk":
        return wrk.load(port, [wrk.Job(path, cookie) for path, cookie in jobs], seconds)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(len(jobs) + 1)
    stop = threading.Event()

    def learner(path, cookie):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, codes = [], {}
        start.wait()
        while not stop.is_set():
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie, "Connection": "keep-alive"})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - t0) * 1000)
            codes[response.status] = codes.get(response.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=learner, args=job) for job in jobs]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {
        "rate": len(latencies) / wall,
        "p95": pct(latencies, 95),
        "p50": pct(latencies, 50),
        "n": len(latencies),
        "statuses": statuses,
        "load": os.getloadavg()[0],
    }


def _session(user) -> str:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[0],
            "_auth_user_hash": user.get_session_auth_hash(),
        }
    )
    store.create()
    return store.session_key


def _count(client, path: str) -> tuple[int, int]:
    """(queries, writes) of one warm GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    writes = [q for q in queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    return len(queries), len(writes)


def _ours_setup() -> dict:
    from django.test import Client

    from wagtail.models import Site

    from tests.factories import (
        CourseIndexPageFactory,
        CoursePageFactory,
        EnrolmentFactory,
        LessonPageFactory,
        QuizFactory,
        TeacherProfileFactory,
    )
    from tests.h5p.conftest import h5p_lesson, upload

    home = Site.objects.get(is_default_site=True).root_page
    catalogue = CourseIndexPageFactory(parent=home, slug="training", title="教师研修")
    course = CoursePageFactory(parent=catalogue, title="基准：识别学生心理困扰")
    body = [("paragraph", f"<p>{text}</p>") for text in PARAGRAPHS]
    reading = LessonPageFactory(parent=course, title="基准课时", slug="bench-lesson", body=body)
    quiz = LessonPageFactory(parent=course, title="小测验", slug="quiz", body=[("quiz", {"quiz": QuizFactory()})])
    h5p = h5p_lesson(course, upload("hello-world-truefalse.h5p"), pass_percent=60)
    sessions = []
    for i in range(LEARNERS + 1):
        teacher = TeacherProfileFactory()
        EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
        if i < LEARNERS:
            sessions.append(_session(teacher.user))
    client = Client()
    client.force_login(teacher.user)
    client.get("/")  # the site settings row is created on the first request of a new site
    counts = {name: _count(client, page.url) for name, page in (("reading", reading), ("quiz", quiz), ("h5p", h5p))}
    return {"path": reading.url, "sessions": sessions, "counts": counts}


def _collectstatic(env: dict) -> None:
    manifest = ROOT / "var" / "bench" / "static" / "staticfiles.json"
    if manifest.exists():
        return
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=str(ROOT),
        check=True,
    )


def _compilemessages(env: dict) -> None:
    """The page in Chinese, as production serves it: without the compiled catalogue every string
    misses through a dozen fallback catalogues (about 50 µs each instead of 7)."""
    if (ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo").exists():
        return
    subprocess.run(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "manage.py",
            "compilemessages",
            "--ignore=.venv",
            "--ignore=node_modules",
            "-v",
            "0",
        ],
        env=env,
        cwd=str(ROOT),
        check=True,
    )


def _peer_setup(env: dict) -> dict:
    out = subprocess.run(  # noqa: S603
        [str(PEER_VENV / "bin" / "python"), str(PEER_DIR / "lesson_setup.py"), str(LEARNERS)],
        input=json.dumps(PARAGRAPHS),
        env=env,
        cwd=str(PEER_DIR),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(rounds: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def run() -> list[dict]:
    import psycopg

    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print("   lesson_page skipped: it needs PostgreSQL (set DATABASE_URL=postgres://...).")
        return []
    settings_dict = connection.settings_dict
    ours_url = _url(settings_dict, settings_dict["NAME"])
    peer_name = f"{settings_dict['NAME']}_lmslesson"
    admin_url = _url(settings_dict, "postgres")
    redis_url = os.environ.get("REDIS_URL", "")
    ours = _ours_setup()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=settings.SECRET_KEY,  # the sessions made here are signed with it
        DATABASE_URL=ours_url,
        CONN_MAX_AGE="60",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(ROOT / "var" / "bench" / "static"),
    )
    if redis_url:
        import redis

        # A new generation of the shared caches: keys from an earlier run name another database's pages.
        redis.Redis.from_url(redis_url).delete("xinyu:1:version:content", "xinyu:1:version:roles")
    else:
        env.pop("REDIS_URL", None)
    _collectstatic(env)
    _compilemessages(env)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{peer_name}"')
        conn.execute(f'CREATE DATABASE "{peer_name}"')
    procs = []
    try:
        _ensure_peer_venv()
        peer_env = _peer_env(_url(settings_dict, peer_name))
        peer = _peer_setup(peer_env)
        ours_port, peer_port = _free_port(), _free_port()
        procs.append(_gunicorn(ROOT / ".venv" / "bin" / "gunicorn", "cms.wsgi", ours_port, env, ROOT))
        procs.append(
            _gunicorn(
                PEER_VENV / "bin" / "gunicorn", "django.core.wsgi:get_wsgi_application()", peer_port, peer_env, PEER_DIR
            )
        )
        csrf = uuid.uuid4().hex
        ours_jobs = [(ours["path"], f"sessionid={key}; csrftoken={csrf}") for key in ours["sessions"]]
        peer_jobs = [(peer["path"], f"sessionid={key}; csrftoken={csrf}") for key in peer["sessions"]]
        # Warm-up: each worker loads its code, opens its connection and fills its caches.
        _load(ours_port, ours_jobs, 3)
        _load(peer_port, peer_jobs, 3)
        ours_rounds, peer_rounds = [], []
        for _ in range(ROUNDS):
            ours_rounds.append(_load(ours_port, ours_jobs, ROUND_SECONDS))
            peer_rounds.append(_load(peer_port, peer_jobs, ROUND_SECONDS))
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{peer_name}" WITH (FORCE)')
    for r in ours_rounds + peer_rounds:
        bad = {code: n for code, n in r["statuses"].items() if code != 200}
        if bad:
            raise RuntimeError(f"lesson_page: non-200 answers {bad}")
    ratios = [o["rate"] / p["rate"] for o, p in zip(ours_rounds, peer_rounds, strict=True)]
    ratio = statistics.median(ratios)
    loads = [r["load"] for r in ours_rounds + peer_rounds]
    setup = (
        f"gunicorn 2 workers each, {LEARNERS} concurrent learners ({os.environ.get('BENCH_LOADER', 'wrk')}), "
        "keep-alive, CONN_MAX_AGE=60, "
        f"{ROUNDS} interleaved rounds of {ROUND_SECONDS:g} s, cache: {'Redis' if redis_url else 'per-worker memory'}; "
        f"load average {min(loads):.1f}–{max(loads):.1f} during the rounds"
    )

    def describe(rounds):
        return "; ".join(
            f"{r['rate']:.0f} req/s, p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, n={r['n']}, load {r['load']:.1f}"
            for r in rounds
        )

    counts = ours["counts"]
    peer_name = "wagtail-lms 0.11.1"
    return [
        record.measure(
            "ours: lesson page throughput (median of rounds)",
            _median(ours_rounds, "rate"),
            "req/s",
            detail=f"rounds: {describe(ours_rounds)}; {setup}",
        ),
        record.measure(
            "ours: lesson page p95 at c=16 (median of rounds)",
            _median(ours_rounds, "p95"),
            "ms",
            "<= 100",
            peer=peer_name,
            ratio=_median(ours_rounds, "p95") / _median(peer_rounds, "p95"),
        ),
        record.measure(
            "wagtail-lms 0.11.1: lesson page throughput (median of rounds)",
            _median(peer_rounds, "rate"),
            "req/s",
            detail=f"rounds: {describe(peer_rounds)}",
        ),
        record.measure(
            "wagtail-lms 0.11.1: lesson page p95 at c=16 (median of rounds)", _median(peer_rounds, "p95"), "ms"
        ),
        record.measure(
            "ours ÷ wagtail-lms lesson page throughput (ours ≥ 3×)",
            ratio,
            "×",
            ">= 3",
            peer=peer_name,
            ratio=ratio,
            detail="per round: " + ", ".join(f"{x:.2f}×" for x in ratios),
        ),
        record.measure(
            "ours: SQL queries per warm lesson view (reading lesson)",
            counts["reading"][0],
            "queries",
            "<= 8",
            peer=peer_name,
            ratio=counts["reading"][0] / peer["queries"][-1],
            detail=(
                f"reading {counts['reading'][0]} ({counts['reading'][1]} writes), quiz lesson {counts['quiz'][0]} "
                f"({counts['quiz'][1]} writes), H5P lesson {counts['h5p'][0]} ({counts['h5p'][1]} writes); "
                "session and user included"
            ),
        ),
        record.measure(
            "ours: SQL queries per warm lesson view (H5P lesson, the most)", counts["h5p"][0], "queries", "<= 8"
        ),
        record.measure(
            "wagtail-lms 0.11.1: SQL queries per warm lesson view",
            peer["queries"][-1],
            "queries",
            detail=f"views 1–3: {peer['queries']}, writes on the warm view: {peer['writes']}",
        ),
    ]
