"""How an app asks for its object to be re-indexed: after commit, through the Celery task."""

from django.db import transaction

from cms.core.queue import enqueue

from .tasks import update_index


def schedule_update(source_key: str, object_id) -> None:
    """With Redis down the edit is saved all the same; the index catches up at the next change
    or `manage.py update_index` (enqueue logs the miss)."""
    transaction.on_commit(lambda: enqueue(update_index, source_key, str(object_id)))
