"""Redis down: background actions say so clearly and keep nothing half-started."""

from unittest import mock

import pytest
from celery import Celery
from kombu.exceptions import OperationalError

from django.urls import reverse

from cms.core.queue import enqueue
from tests.auth import login_with_mfa
from tracking.reports.models import ExportJob

pytestmark = pytest.mark.django_db


def test_a_broker_that_does_not_answer_is_reported_not_raised(caplog, monkeypatch):
    # Celery prefers CELERY_BROKER_URL from the environment (set under CI) over the app's own broker.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    app = Celery("dead", broker="redis://127.0.0.1:1/0", set_as_current=False)  # shared tasks keep the real app
    app.conf.broker_connection_retry = False
    app.conf.task_publish_retry = False

    @app.task(name="dead.noop")
    def noop():  # pragma: no cover - never runs
        return None

    assert enqueue(noop) is False
    assert "broker does not answer" in caplog.text


def test_an_export_that_cannot_be_queued_says_so(client, city_coordinator, settings, training_year):
    settings.REPORT_EXPORT_ASYNC_THRESHOLD = -1  # every export goes to the workers
    login_with_mfa(client, city_coordinator)
    from tracking.reports import views

    with mock.patch.object(views.build_report_export, "apply_async", side_effect=OperationalError("refused")):
        response = client.get(reverse("reports:export", args=["completion"]) + "?format=xlsx", follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:completion")
    assert "后台任务服务暂时无法连接" in response.content.decode()
    assert not ExportJob.objects.exists()
