"""How an app asks for its object to be re-indexed: after commit, through the Celery task."""

from django.db import transaction

from .tasks import update_index


def schedule_update(source_key: str, object_id) -> None:
    transaction.on_commit(lambda: update_index.delay(source_key, str(object_id)))
