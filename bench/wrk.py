"""Drive a side-by-side benchmark with wrk (decision 0044): C threads, one keep-alive connection
and one session per learner, instead of Python threads whose own CPU (http.client, the GIL) took
a third of this 2-core machine from the servers they measured.

    result = wrk.load(port, jobs, seconds)   # jobs: Job per learner

The result has the keys the benchmarks' Python loaders returned: rate (requests/s, or items/s
for statement POSTs), p50 and p95 in ms, n, requests, statuses, wall, load.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk.lua")
ITEM_SEPARATOR = "\x1f"


@dataclass
class Job:
    """One learner: what it sends, again and again. `bodies`: a POST's bodies in turn, each with
    "{uuid}" where every request needs a fresh statement id."""

    path: str
    cookie: str
    method: str = "GET"
    csrf: str = ""
    bodies: tuple[str, ...] = ()


def binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk (make bench installs it)")
    return found


def _line(job: Job) -> str:
    for text in (job.path, job.cookie, job.csrf, *job.bodies):
        if any(c in text for c in "\t\n" + ITEM_SEPARATOR):
            raise ValueError("a job field holds a tab, a newline or the item separator")
    return "\t".join([job.method, job.path, job.cookie, job.csrf, ITEM_SEPARATOR.join(job.bodies)])


def load(port: int, jobs: list[Job], seconds: float, *, count_items: bool = False) -> dict:
    """Run wrk for `seconds` with one thread and one connection per job."""
    with tempfile.NamedTemporaryFile("w", suffix=".jobs", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(_line(job) for job in jobs) + "\n")
        jobs_file = handle.name
    try:
        cmd = [
            binary(),
            f"-t{len(jobs)}",
            f"-c{len(jobs)}",
            f"-d{seconds:g}s",
            "--timeout",
            "30s",
            "-s",
            str(SCRIPT),
            f"http://127.0.0.1:{port}",
            "--",
            jobs_file,
            str(secrets.randbits(30)),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=seconds + 60)  # noqa: S603
    finally:
        os.unlink(jobs_file)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip() or out.stdout.strip()}")
    summary = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("{")))
    wall = summary["duration_us"] / 1e6
    n = summary["items"] if count_items else summary["requests"]
    statuses = {int(code): k for code, k in summary["statuses"].items()}
    if summary["errors"]:
        statuses[0] = summary["errors"]  # connect/read/write errors and timeouts
    return {
        "rate": n / wall,
        "p50": summary["p50_us"] / 1000,
        "p95": summary["p95_us"] / 1000,
        "p99": summary["p99_us"] / 1000,
        "n": n,
        "requests": summary["requests"],
        "statuses": statuses,
        "wall": wall,
        "load": os.getloadavg()[0],
    }
