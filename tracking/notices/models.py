"""In-app notices (我的通知): pace reminders for teachers and weekly digests for coordinators,
a teacher's notice when a claim is decided or hours are imported, a coordinator's 催办.

The unique (user, kind, period) key is what makes reminders idempotent: a retried or
re-run task finds the row and neither notifies nor e-mails a second time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
