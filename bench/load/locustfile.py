"""300 teachers in the week before the training deadline (issue 17), for locust 2.47.

Each simulated user is a seat at which teachers come and go (decision 0037). A teacher arrives —
most with the session their browser kept from an earlier visit, a share (BENCH_LOAD_FRESH, from the
plan) typing their password at the login page, which lands on 我的首页 — then, with 10–30 s of
reading between actions: browses the course catalogue, opens a course, opens a lesson (GET, then the
page's own "open" progress event), keeps the lesson's heartbeat going ("beat", as
static_src/js/lesson.js does while the page is visible) and opens 我的研修. After a visit of
10–20 minutes (the first one already under way when the run starts) the teacher leaves — the
browser is closed, no logout — and the next teacher from the pool of load accounts takes the seat.
So logins go on through the measured window at the rate arrivals bring them, not only in the ramp.

The plan (accounts with their session or not, password, catalogue, courses and lessons each account
is enrolled in) is the JSON file named by BENCH_LOAD_PLAN, written by `python -m bench.deadline_load`;
run it through that runner, which starts the servers and reads the statistics. Loopback only.
"""

from __future__ import annotations

import collections
import json
import os
import random
import re
import time
from http.cookiejar import Cookie

from locust import FastHttpUser, between, events, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
# Teachers not at a seat: a seat takes the first, a leaving teacher goes to the back.
WAITING = collections.deque(PLAN["accounts"])
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The lesson page's study box (templates/courses/lesson_page.html): progress URL, then the CSRF token.
STUDY = re.compile(r'data-progress-url="([^"]+)"[^>]*?data-csrf="([^"]+)"')
VISIT_SECONDS = (600, 1200)


# Logins of the ramp are kept here too: the runner resets locust's statistics when every seat is
# taken (--reset-stats), so the login times of the whole run are written when locust quits.
# The count of every request of the whole run (ramp included) goes with them, for the runner's
# CPU time per request.
LOGINS: list[tuple[str, float, bool]] = []
COUNTS: dict[str, int] = {}
ARRIVALS = {"session": 0, "login": 0}


@events.request.add_listener
def _keep_login_times(request_type, name, response_time, exception=None, **kwargs):
    COUNTS[name] = COUNTS.get(name, 0) + 1
    if name.startswith("login"):
        LOGINS.append((name, response_time, exception is None))


@events.quitting.add_listener
def _write_login_times(environment, **kwargs):
    if os.environ.get("BENCH_LOAD_LOGINS"):
        with open(os.environ["BENCH_LOAD_LOGINS"], "w", encoding="utf-8") as f:
            json.dump({"logins": LOGINS, "counts": COUNTS, "arrivals": ARRIVALS}, f)


def _session_cookie(value: str) -> Cookie:
    return Cookie(
        version=0, name=PLAN.get("session_cookie", "sessionid"), value=value, port=None, port_specified=False,
        domain="127.0.0.1", domain_specified=False, domain_initial_dot=False, path="/", path_specified=True,
        secure=False, expires=None, discard=True, comment=None, comment_url=None, rest={"HttpOnly": ""},
    )  # fmt: skip


class Teacher(FastHttpUser):
    # One action every 20 s on average, the pace of the real client: static_src/js/lesson.js posts a
    # heartbeat every 20 s while a lesson is open, and a teacher reading a lesson moves on to another
    # page every minute or so (heartbeats are 6 of the 15 weighted actions). The first version of this
    # file used 2–8 s — a click every 5 s and a heartbeat every 12 s for five minutes, four times what
    # a studying teacher asks (decision 0037, "Pace").
    wait_time = between(10, 30)
    # A connection per simulated teacher, like a browser; the server closes it after each response
    # (gunicorn sync workers), as production behind a proxy would.
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self):
        self.account = None
        # The first visit is already under way when the run starts: it ends anywhere in a visit's length.
        self.arrive(leaves_in=random.uniform(0, VISIT_SECONDS[1]))  # noqa: S311

    def arrive(self, leaves_in: float):
        if self.account is not None:
            WAITING.append(self.account)
        self.account = WAITING.popleft()
        self.leaves_at = time.monotonic() + leaves_in
        self.lesson = None  # (progress url, csrf) of the lesson being studied
        self.client.cookiejar.clear()  # a new teacher at the seat: a browser of their own
        if self.account.get("session"):
            ARRIVALS["session"] += 1
            self.client.cookiejar.set_cookie(_session_cookie(self.account["session"]))
        else:
            ARRIVALS["login"] += 1
            self.log_in()

    def log_in(self):
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

    def _leave_if_done(self) -> bool:
        if time.monotonic() < self.leaves_at:
            return False
        self.arrive(leaves_in=random.uniform(*VISIT_SECONDS))  # noqa: S311
        return True

    def _get(self, url: str, name: str):
        """A page of a logged-in teacher: an answer that is not the page (an error, or the login page
        a lost session leads to) is a failure."""
        with self.client.get(url, name=name, catch_response=True) as page:
            if page.status_code != 200 or "/accounts/login/" in (page.url or ""):
                page.failure(f"{name} answered {page.status_code} ({page.url})")
                return None
            return page.text or ""

    @task(2)
    def catalogue(self):
        if not self._leave_if_done():
            self._get(PLAN["catalogue"], "course catalogue")

    @task(2)
    def course(self):
        if not self._leave_if_done():
            self._get(random.choice(self.account["courses"]), "course page")  # noqa: S311

    @task(3)
    def open_lesson(self):
        if self._leave_if_done():
            return
        text = self._get(random.choice(self.account["lessons"]), "lesson page")  # noqa: S311
        found = STUDY.search(text or "")
        if found is None:
            # A failed page, or a finished lesson: no study box (nothing left to time), nothing posted.
            self.lesson = None
            return
        self.lesson = (found.group(1), found.group(2))
        self._progress("open")

    @task(6)
    def heartbeat(self):
        if self.lesson is None:
            self.open_lesson()
        elif not self._leave_if_done():
            self._progress("beat")

    @task(2)
    def my_training(self):
        if not self._leave_if_done():
            self._get("/me/training/", "我的研修")

    def _progress(self, event: str):
        url, csrf = self.lesson
        self.client.post(
            url,
            data={"event": event, "csrfmiddlewaretoken": csrf},
            headers={"X-CSRFToken": csrf, "Referer": self.host + "/"},
            name=f"lesson progress ({event})",
        )
