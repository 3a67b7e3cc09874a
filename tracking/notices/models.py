"""In-app notices (我的通知): pace reminders for teachers and weekly digests for coordinators,
a teacher's notice when a claim is decided or hours are imported, a coordinator's 催办.

The unique (user, kind, period) key is what makes reminders idempotent: a retried or
re-run task finds the row and neither notifies nor e-mails a second time.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

# The header's unread count is cached per user (decision 0025) and dropped whenever one of
# that user's notices is written, read or deleted, by any path: save, bulk_create, update, delete.
UNREAD_SECONDS = 300  # a backstop (a count read just before a write may be stored just after it)


def unread_key(user_id: int) -> str:
    return f"notices:unread:{user_id}"


def forget_unread(user_ids: Iterable[int]) -> None:
    """Drop the users' cached counts now and again when the transaction commits (a page read in
    between would otherwise store the count from before the write)."""
    keys = [unread_key(uid) for uid in set(user_ids)]

    def forget():
        for start in range(0, len(keys), 1000):
            cache.delete_many(keys[start : start + 1000])

    forget()
    transaction.on_commit(forget)


class NotificationQuerySet(models.QuerySet):
    """Every bulk write says whose unread count it may have changed."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        forget_unread(o.user_id for o in objs)
        return created

    def update(self, **kwargs):
        user_ids = set(self.values_list("user_id", flat=True).distinct())
        n = super().update(**kwargs)
        forget_unread(user_ids)
        return n

    def delete(self):
        user_ids = set(self.values_list("user_id", flat=True).distinct())
        result = super().delete()
        forget_unread(user_ids)
        return result


class Notification(models.Model):
    class Kind(models.TextChoices):
        PACE_REMINDER = "pace_reminder", _("training pace reminder")
        COORDINATOR_DIGEST = "coordinator_digest", _("weekly digest of teachers behind pace")
        CLAIM_DECIDED = "claim_decided", _("certificate claim decided")
        HOURS_IMPORTED = "hours_imported", _("offline training hours imported")
        NUDGE = "nudge", _("reminder from the coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # Which reminder point or week this notice belongs to, e.g. "2026-06-30" or "2026-W23".
    period = models.CharField(_("period"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "period"], name="notification_once_per_period"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.title}"


@receiver(post_save, sender=Notification, dispatch_uid="notices.unread.saved")
@receiver(post_delete, sender=Notification, dispatch_uid="notices.unread.deleted")
def _notice_changed(sender, instance: Notification, **kwargs) -> None:
    forget_unread([instance.user_id])
