"""300 teachers in the week before the training deadline (issue 17), for locust 2.47.

Each simulated teacher logs in with one of the generated load accounts (teachers have no second
factor), then, with 2–8 s of reading between actions: browses the course catalogue, opens a course,
opens a lesson (GET, then the page's own "open" progress event), keeps the lesson's heartbeat going
("beat", as static_src/js/lesson.js does every 20 s while the page is visible) and opens 我的研修.

The plan (accounts, password, catalogue, courses and lessons each account is enrolled in) is the JSON
file named by BENCH_LOAD_PLAN, written by `python -m bench.deadline_load`; run it through that runner,
which starts the servers and reads the statistics. Loopback only.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import FastHttpUser, between, events, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
ACCOUNTS = itertools.cycle(PLAN["accounts"])
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The lesson page's study box (templates/courses/lesson_page.html): progress URL, then the CSRF token.
STUDY = re.compile(r'data-progress-url="([^"]+)"[^>]*?data-csrf="([^"]+)"')


# Logins happen during the ramp; the runner resets locust's statistics when every teacher is in
# (--reset-stats), so the login times are kept here and written when locust quits.
# The count of every request of the whole run (ramp included) goes with them, for the runner's
# CPU time per request.
LOGINS: list[tuple[str, float, bool]] = []
COUNTS: dict[str, int] = {}


@events.request.add_listener
def _keep_login_times(request_type, name, response_time, exception=None, **kwargs):
    COUNTS[name] = COUNTS.get(name, 0) + 1
    if name.startswith("login"):
        LOGINS.append((name, response_time, exception is None))


@events.quitting.add_listener
def _write_login_times(environment, **kwargs):
    if os.environ.get("BENCH_LOAD_LOGINS"):
        with open(os.environ["BENCH_LOAD_LOGINS"], "w", encoding="utf-8") as f:
            json.dump({"logins": LOGINS, "counts": COUNTS}, f)


class Teacher(FastHttpUser):
    wait_time = between(2, 8)
    # A connection per simulated teacher, like a browser; the server closes it after each response
    # (gunicorn sync workers), as production behind a proxy would.
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self):
        self.account = next(ACCOUNTS)
        self.lesson = None  # (progress url, csrf) of the lesson being studied
        with self.client.get("/accounts/login/", name="login page", catch_response=True) as page:
            token = CSRF_INPUT.search(page.text or "")
            if token is None:
                page.failure("no CSRF token on the login page")
                return
        with self.client.post(
            "/accounts/login/",
            data={
                "login": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="login (POST → 我的首页)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/accounts/login/" in (response.url or ""):
                response.failure(f"login refused ({response.status_code}, {response.url})")

    @task(2)
    def catalogue(self):
        self.client.get(PLAN["catalogue"], name="course catalogue")

    @task(2)
    def course(self):
        self.client.get(random.choice(self.account["courses"]), name="course page")  # noqa: S311

    @task(3)
    def open_lesson(self):
        url = random.choice(self.account["lessons"])  # noqa: S311
        with self.client.get(url, name="lesson page", catch_response=True) as page:
            found = STUDY.search(page.text or "")
            if found is None:
                page.failure("lesson page without its study box (not enrolled?)")
                self.lesson = None
                return
        self.lesson = (found.group(1), found.group(2))
        self._progress("open")

    @task(6)
    def heartbeat(self):
        if self.lesson is None:
            self.open_lesson()
            return
        self._progress("beat")

    @task(2)
    def my_training(self):
        self.client.get("/me/training/", name="我的研修")

    def _progress(self, event: str):
        url, csrf = self.lesson
        self.client.post(
            url,
            data={"event": event, "csrfmiddlewaretoken": csrf},
            headers={"X-CSRFToken": csrf, "Referer": self.host + "/"},
            name=f"lesson progress ({event})",
        )
