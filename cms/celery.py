"""Celery application. Settings come from Django settings under the CELERY_ namespace.

With no broker configured (the demo run), CELERY_TASK_ALWAYS_EAGER is on and tasks
run in-process, so nothing else has to be started.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("xinyu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
