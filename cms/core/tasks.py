import socket

from celery import shared_task

from django.core.management import call_command
from django.utils import timezone


@shared_task(name="cms.ping")
def ping(token: str) -> dict:
    """Round-trip check for operators and tests: proves a worker picks tasks up."""
    return {"token": token, "worker": socket.gethostname(), "at": timezone.now().isoformat()}


@shared_task(name="cms.publish_scheduled", acks_late=True)
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing: pages (campaigns) whose go-live time has passed go live, those whose
    expiry has passed come off. Beat runs it every five minutes (CELERY_BEAT_SCHEDULE); the command is
    idempotent, so a retried or doubled run changes nothing."""
    call_command("publish_scheduled")
