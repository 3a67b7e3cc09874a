import socket

from celery import shared_task

from django.utils import timezone


@shared_task(name="cms.ping")
def ping(token: str) -> dict:
    """Round-trip check for operators and tests: proves a worker picks tasks up."""
    return {"token": token, "worker": socket.gethostname(), "at": timezone.now().isoformat()}
