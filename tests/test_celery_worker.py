"""A real Celery worker process against Redis picks up a task and returns its result.

A missing Redis fails this test (in CI and locally alike), with the command that starts one.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"

pytestmark = pytest.mark.services


def _require_redis():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(
            f"Redis is not answering at {REDIS_URL}: {exc}. Start it with: redis-server --daemonize yes "
            '--bind 127.0.0.1 --port 6379 --save "" --appendonly no'
        )


@pytest.fixture
def worker():
    _require_redis()
    queue = f"xinyu-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "DATABASE_URL": "sqlite:////tmp/xinyu-celery-worker-test.sqlite3",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_runs_a_task_and_returns_its_result(worker):
    client = Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    client.conf.task_serializer = "json"
    client.conf.result_serializer = "json"
    client.conf.accept_content = ["json"]
    token = uuid.uuid4().hex
    result = client.send_task("cms.ping", args=[token], queue=worker)
    value = result.get(timeout=60)
    assert value["token"] == token
    assert value["worker"]
