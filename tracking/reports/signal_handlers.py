"""Reminders without Celery beat: under `make run` (no broker, tasks eager) nothing would ever
send the daily pace reminders and the weekly digests, so every notice list stayed empty.

With TRAINING_REMINDERS_ON_LOGIN (default: on exactly when there is no broker, hence no beat),
the first login of the day runs the day's reminder jobs once (a cache key per day). The jobs are
idempotent by their (user, kind, period) key, so running them here and from beat never doubles.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

from . import reminders

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return getattr(settings, "TRAINING_REMINDERS_ON_LOGIN", settings.CELERY_TASK_ALWAYS_EAGER)


@receiver(user_logged_in, dispatch_uid="tracking.reminders_on_login")
def run_todays_reminders(sender, request=None, user=None, **kwargs) -> None:
    if not enabled():
        return
    today = timezone.localdate()
    if not cache.add(f"reminders-ran:{today.isoformat()}", 1, timeout=36 * 3600):
        return
    try:
        reminders.send_pace_reminders(today)
        reminders.send_coordinator_digests(today)
    except Exception:  # a reminder failure must never stop a login
        logger.exception("today's reminders failed")
        cache.delete(f"reminders-ran:{today.isoformat()}")
