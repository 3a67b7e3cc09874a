"""Run inside the peer's virtual environment: migrate, make the learners and one H5P activity,
open a session per learner, and count the SQL queries of one statement. Prints JSON."""

import json
import sys
import uuid

import django

django.setup()

from wagtail_lms.models import H5PActivity  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

learners = int(sys.argv[1])
call_command("migrate", verbosity=0)
User = get_user_model()
activity = H5PActivity.objects.bulk_create([H5PActivity(title="bench", package_file="bench.h5p", extracted_path="x")])[
    0
]
sessions = []
for i in range(learners):
    user = User.objects.create_user(f"peer{i}")
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)

setup_test_environment()
probe = User.objects.create_user("peer-probe")
client = Client()
client.force_login(probe)
statements = json.loads(sys.stdin.read())
counts = []
for statement in statements:  # the learner's first statement creates the attempt: count the steady state too
    statement["id"] = str(uuid.uuid4())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/lms/h5p-xapi/{activity.pk}/", json.dumps(statement), content_type="application/json")
    assert response.status_code == 200, response.status_code
    counts.append(len(queries))
print(json.dumps({"activity": activity.pk, "sessions": sessions, "queries": counts}))
