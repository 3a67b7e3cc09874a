"""Run inside the peer's virtual environment (bench/lesson_page.py): migrate, publish a course
with one H5P lesson page of the same paragraphs as ours, enrol the learners, open a session per
learner, and count the SQL queries of one warm lesson view. Prints JSON."""

import json
import sys

import django

django.setup()

from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonPage  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from wagtail.models import Page, Site  # noqa: E402
from wagtail.rich_text import RichText  # noqa: E402

learners = int(sys.argv[1])
paragraphs = json.loads(sys.stdin.read())
call_command("migrate", verbosity=0)
root = Site.objects.get(is_default_site=True).root_page
course = root.add_child(instance=CoursePage(title="基准课程", slug="bench-course", description="<p>基准</p>"))
lesson = course.add_child(
    instance=H5PLessonPage(
        title="基准课时",
        slug="bench-lesson",
        intro="<p>导言</p>",
        body=[("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs],
    )
)
User = get_user_model()
sessions = []
for i in range(learners + 1):
    user = User.objects.create_user(f"peer{i}")
    CourseEnrollment.objects.create(user=user, course=course)
    if i == learners:
        probe = user
        break
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)

setup_test_environment()
client = Client()
client.force_login(probe)
path = Page.objects.get(pk=lesson.pk).url
counts = []
for _ in range(3):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    counts.append(len(queries))
writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
print(json.dumps({"path": path, "sessions": sessions, "queries": counts, "writes": len(writes)}))
