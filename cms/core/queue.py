"""Handing work to Celery when the broker (Redis) may be down.

`task.delay()` raises when Redis does not answer, and the page that asked becomes a 500. Views
that start background work call `enqueue` instead and, when it answers False, tell the person
plainly (`QUEUE_DOWN`) and keep nothing half-started. Part of cms.core's shared kit: it imports
no app, so every app may use it.
"""

from __future__ import annotations

import logging

from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

QUEUE_DOWN = _(
    "The background service is not answering just now, so this was not started and nothing was saved. "
    "Please try again in a few minutes."
)


def enqueue(task, *args, **kwargs) -> bool:
    """Send `task` to the workers; False (logged) if the broker cannot be reached."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (OperationalError, RedisError, OSError) as exc:
        logger.warning("Could not queue %s: the broker does not answer (%s)", getattr(task, "name", task), exc)
        return False
    return True
