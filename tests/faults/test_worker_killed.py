"""A Celery worker process killed with SIGKILL in the middle of an export (issue 9, "Concurrency
and faults"): the task is delivered again (acks_late + reject_on_worker_lost, cms/settings/base.py)
and the export ends with one complete file.

A real worker (prefork, one child) runs against Redis and this test's PostgreSQL database, as
in production; the child executing the export is killed once the job reports it is running.
"""

from __future__ import annotations

import datetime
import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from openpyxl import load_workbook

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.models import SchoolMembership, TeacherProfile, User
from tests.factories import CoordinatorRoleFactory, SchoolFactory, TrainingYearFactory
from tracking.models import ExportJob

from .services import needs_postgres

pytestmark = [pytest.mark.services, needs_postgres]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
TEACHERS = 6000  # enough rows that the export is still running when the child is killed


def _require_redis():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis is not answering at {REDIS_URL}: {exc}. Start it with: redis-server --daemonize yes "
            '--bind 127.0.0.1 --port 6379 --save "" --appendonly no'
        )


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(postgres, tmp_path):
    _require_redis()
    queue = f"xinyu-kill-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "DATABASE_URL": _database_url(),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool=prefork", "--concurrency=1",
                "-Q", queue, "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel=INFO",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    yield {"queue": queue, "pid": process.pid, "log": log}
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _wait_for(predicate, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-3000:]}")


def test_an_export_killed_mid_way_is_redelivered_and_written_once(worker):
    year = TrainingYearFactory(year=2026)
    school = SchoolFactory()
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"kill{i:05d}", name=f"教师{i:05d}", password=password) for i in range(TEACHERS)]
    )
    profiles = TeacherProfile.objects.bulk_create(
        [TeacherProfile(user=u, school=school, staff_number=f"KILL{i:05d}") for i, u in enumerate(users)]
    )
    # bulk_create sends no post_save: give each teacher the school membership a save would (reports
    # count a teacher under the school of the year, accounts/membership.py).
    SchoolMembership.objects.bulk_create(
        [SchoolMembership(teacher=p, school=school, started_on=datetime.date(2026, 1, 1)) for p in profiles]
    )
    city = CoordinatorRoleFactory(level="city").user
    job = ExportJob.objects.create(
        user=city, report="completion", params={"year": str(year.pk), "detail": "teachers"}, format="xlsx"
    )

    client = Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    client.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"])
    client.send_task("tracking.build_report_export", args=[str(job.pk)], queue=worker["queue"])

    # The child picks the export up; once it reports running (rows streaming), kill that child.
    _wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.RUNNING).exists(),
        120, "the export to start", worker["log"],
    )  # fmt: skip
    children = _children(worker["pid"])
    assert len(children) == 1, children
    os.kill(children[0], signal.SIGKILL)
    first_state = ExportJob.objects.get(pk=job.pk).state
    assert first_state == ExportJob.State.RUNNING, "the export finished before it could be killed: add rows"

    # The worker notices the lost child, rejects the message back to the queue, a new child runs it.
    _wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.DONE).exists(),
        240, "the redelivered export to finish", worker["log"],
    )  # fmt: skip
    log = worker["log"].read_text()
    assert "WorkerLostError" in log or "SIGKILL" in log, log[-3000:]

    job.refresh_from_db()
    files = list((Path(settings.PRIVATE_MEDIA_ROOT) / "exports").iterdir())
    assert [f.name for f in files] == [Path(job.file.name).name]  # one file, no half-written leftover
    sheet = load_workbook(io.BytesIO(files[0].read_bytes()), read_only=True).active
    staff = [c for row in sheet.iter_rows(values_only=True) for c in row if str(c).startswith("KILL")]
    assert len(staff) == len(set(staff)) == TEACHERS  # every teacher, once
    assert job.rows_done == TEACHERS
