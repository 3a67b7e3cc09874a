"""CPU time of one warm logged-in lesson GET through the real WSGI handler, in process (issue 17).

Wall-clock throughput on a shared machine moves with the load; the CPU the process spends per
request does not (much). This runs the production settings' middleware, context processors,
routing and templates on a reading lesson of an enrolled teacher and prints the CPU ms per GET
(time.process_time over N requests, round-robin over a few learners), the SQL queries of one
warm GET, and with --profile the cProfile top functions.

    DATABASE_URL=postgres://.../xinyu_x SECRET_KEY=x [REDIS_URL=...] \\
        python -m bench.lesson_cpu [N] [--profile]

It needs a migrated database of its own (it adds a course, a lesson and learners once, under
the slug bench-cpu, and reuses them on later runs). Not part of `make bench`: it records nothing.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The files bench.lesson_page collects (production's manifest storage needs them).
os.environ.setdefault("STATIC_ROOT", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "bench", "static"))

LEARNERS = 4


def _setup() -> tuple[str, list[str]]:

    from wagtail.models import Page, Site

    from bench.lesson_page import PARAGRAPHS, _session
    from courses.models import LessonPage
    from tests.factories import (
        CourseIndexPageFactory,
        CoursePageFactory,
        EnrolmentFactory,
        LessonPageFactory,
        TeacherProfileFactory,
    )

    lesson = LessonPage.objects.filter(slug="bench-cpu-lesson").first()
    if lesson is None:
        home = Site.objects.get(is_default_site=True).root_page
        catalogue = Page.objects.child_of(home).filter(slug="training").first()
        if catalogue is None:
            catalogue = CourseIndexPageFactory(parent=home, slug="training", title="教师研修")
        course = CoursePageFactory(parent=catalogue.specific, title="基准：识别学生心理困扰", slug="bench-cpu")
        body = [("paragraph", f"<p>{text}</p>") for text in PARAGRAPHS]
        lesson = LessonPageFactory(parent=course, title="基准课时", slug="bench-cpu-lesson", body=body)
        for _ in range(LEARNERS):
            teacher = TeacherProfileFactory()
            EnrolmentFactory(user=teacher.user, course=course, teacher=teacher)
    course = lesson.get_parent().specific
    sessions = []
    for enrolment in course.enrolments.select_related("user").order_by("pk")[:LEARNERS]:
        sessions.append(_session(enrolment.user))
    return lesson.url, sessions


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.lesson_page import _collectstatic, _compilemessages

    _collectstatic(dict(os.environ))
    _compilemessages(dict(os.environ))
    n = int(next((a for a in argv if a.isdigit()), "2000"))
    path, sessions = _setup()
    handler = WSGIHandler()

    from bench.harness import wsgi_get_environ

    def environ(session):
        return wsgi_get_environ(path, session)

    statuses = {}

    def get(i):
        response = handler(environ(sessions[i % len(sessions)]), lambda status, headers, exc=None: None)
        body = b"".join(response)
        response.close()
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        return body

    for i in range(50):
        get(i)
    with CaptureQueriesContext(connection) as queries:
        body = get(0)
    if "--sql" in argv:
        for q in queries:
            print("  ", q["sql"][:200])
    print(f"queries per warm GET: {len(queries)}, page {len(body)} bytes")
    statuses.clear()
    from bench.harness import cpu_per_call

    cpu, wall = cpu_per_call(get, n, profile_to="var/lesson_cpu.prof" if "--profile" in argv else None, top=60)
    print(
        f"{n} GETs {statuses}: {cpu:.2f} CPU ms per GET, {wall:.2f} wall ms per GET, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
