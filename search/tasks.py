"""Index updates run in Celery, after the transaction that changed the content commits.

Idempotent (the task reads the object's current state), so retries and duplicates are harmless.
"""

from celery import shared_task

from . import services


@shared_task(
    name="search.update",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def update_index(source_key: str, object_id: str) -> bool:
    return services.update(source_key, object_id)
