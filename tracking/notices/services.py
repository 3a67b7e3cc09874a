"""What other parts of the site may ask of the notices room, and the one way to write a notice."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache

from .models import UNREAD_SECONDS, Notification, unread_key


def unread_count(user) -> int:
    """How many notices the user has not read (the header's "My notices (n)" badge).

    Cached per user; every write to the user's notices drops it (tracking/notices/models.py)."""
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def notify(
    user_ids: Iterable[int], *, kind: str, period: str, title: str, message: str, url: str = "", count: bool = True
) -> int:
    """One notice per user for (kind, period); a repeat (a retried task, a second click) adds
    nothing, by the unique key. Returns how many notices were new (with `count`: two more queries)."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return 0
    before = Notification.objects.filter(kind=kind, period=period, user_id__in=user_ids).count() if count else 0
    Notification.objects.bulk_create(
        [
            Notification(user_id=uid, kind=kind, period=period, title=str(title)[:200], message=str(message), url=url)
            for uid in user_ids
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    if not count:
        return 0
    return Notification.objects.filter(kind=kind, period=period, user_id__in=user_ids).count() - before
