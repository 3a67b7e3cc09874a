"""CPU time of one xAPI statement POST through the real WSGI handler, in process (issue 15).

The side-by-side benchmark (bench.h5p_xapi) measures throughput under gunicorn and wrk on a
shared machine; this isolates what our process spends per statement: the production settings'
middleware (the statement path's short chain), the grant and session checks, validation and
the INSERT. It posts bench.h5p_xapi's statement stream (one statement per POST, a fresh id each)
round-robin over a few learners and prints CPU ms and wall ms per POST, the SQL of one, and with
--profile the cProfile top functions; then the same for /healthz (a GET through the full chain
with one `SELECT 1`), the floor decision 0045 compares it with.

    DATABASE_URL=postgres://.../xinyu_x SECRET_KEY=x python -m bench.xapi_cpu [N] [--profile]

It needs a migrated database of its own (it adds a course, an H5P lesson and learners once,
under the slug bench-xapi-cpu, and reuses them). Not part of `make bench`: it records nothing.
"""

from __future__ import annotations

import io
import json
import os
import sys
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

LEARNERS = 4
CSRF = "abcdefghijklmnopqrstuvwxyz012345"


def _setup() -> list[tuple[str, str, list[dict]]]:
    """(path, session key, statement stream) per learner."""
    from wagtail.models import Page, Site

    from bench.h5p_xapi import _stream
    from bench.lesson_page import _session
    from courses.h5p import views as h5p_views
    from courses.h5p import xapi
    from courses.models import CoursePage, LessonPage
    from tests.factories import CourseIndexPageFactory, CoursePageFactory, EnrolmentFactory, TeacherProfileFactory
    from tests.h5p.conftest import h5p_lesson, upload

    course = CoursePage.objects.filter(slug="bench-xapi-cpu").first()
    if course is None:
        home = Site.objects.get(is_default_site=True).root_page
        catalogue = Page.objects.child_of(home).filter(slug="training").first()
        if catalogue is None:
            catalogue = CourseIndexPageFactory(parent=home, slug="training", title="教师研修")
        course = CoursePageFactory(parent=catalogue.specific, title="基准：互动练习", slug="bench-xapi-cpu")
        h5p_lesson(course, upload("hello-world-truefalse.h5p"), pass_percent=60)
        for _ in range(LEARNERS):
            teacher = TeacherProfileFactory()
            EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
    lesson = LessonPage.objects.child_of(course).first().specific
    content_id, pass_percent = next(iter(lesson.h5p_blocks().items()))
    from courses.models import H5PContent

    content = H5PContent.objects.get(pk=content_id)
    iri = f"http://127.0.0.1/h5p/{content.pk}/"
    learners = []
    for enrolment in course.enrolments.select_related("user").order_by("pk")[:LEARNERS]:
        session = _session(enrolment.user)
        grant = h5p_views.make_grant(enrolment.user, content, lesson, enrolment, pass_percent, None, session)
        learners.append((f"/h5p/g/{grant}/xapi/statements", session, _stream(xapi.actor_mbox(enrolment.user), iri)))
    return learners


def _environ(path: str, session: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={session}; csrftoken={CSRF}",
        "HTTP_X_CSRFTOKEN": CSRF,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
    }


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.harness import cpu_per_call, wsgi_get_environ

    n = int(next((a for a in argv if a.isdigit()), "3000"))
    learners = _setup()
    handler = WSGIHandler()
    statuses: dict[int, int] = {}

    def post(i):
        path, session, stream = learners[i % len(learners)]
        statement = dict(stream[(i // len(learners)) % len(stream)], id=str(uuid.uuid4()))
        body = json.dumps(statement).encode()
        response = handler(_environ(path, session, body), lambda status, headers, exc=None: None)
        b"".join(response)
        response.close()
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    for i in range(50):
        post(i)
    with CaptureQueriesContext(connection) as queries:
        post(0)
    if "--sql" in argv:
        for q in queries:
            print("  ", q["sql"][:300])
    print(f"queries per warm POST: {len(queries)}, statuses so far {statuses}")
    statuses.clear()
    cpu, wall = cpu_per_call(post, n, profile_to="var/xapi_cpu.prof" if "--profile" in argv else None)
    print(
        f"{n} POSTs {statuses}: {cpu:.3f} CPU ms per POST, {wall:.3f} wall ms per POST, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    # The floor (decision 0045): /healthz, a GET through the full chain with one SELECT 1.
    session = learners[0][1]

    def healthz(_i):
        response = handler(wsgi_get_environ("/healthz", session), lambda status, headers, exc=None: None)
        b"".join(response)
        response.close()

    for i in range(50):
        healthz(i)
    cpu, wall = cpu_per_call(healthz, n)
    print(f"{n} GETs of /healthz: {cpu:.3f} CPU ms per GET, {wall:.3f} wall ms per GET")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
