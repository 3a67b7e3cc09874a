"""External training certificates claimed by teachers and decided by coordinators."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TeacherProfile, TrainingYear
from cms.core.storage import private_storage

from .entries import LedgerEntry


def claim_upload_to(instance, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:8]
    return f"claims/{instance.teacher_id}/{os.urandom(12).hex()}{ext}"


class ExternalClaim(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    teacher = models.ForeignKey(
        TeacherProfile, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="external_claims"
    )
    training_year = models.ForeignKey(
        TrainingYear, verbose_name=_("training year"), on_delete=models.PROTECT, related_name="external_claims"
    )
    title = models.CharField(_("training title"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200)
    activity_date = models.DateField(_("date of the training"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    # What the coordinator approved when it is less than claimed (the reason says why); else null.
    approved_hours = models.DecimalField(_("approved hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    file = models.FileField(_("certificate"), upload_to=claim_upload_to, storage=private_storage, max_length=255)
    content_type = models.CharField(_("file type"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    ledger_entry = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("ledger entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("external certificate claim")
        verbose_name_plural = _("external certificate claims")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.title}"

    @property
    def source_ref(self) -> str:
        return f"claim:{self.pk}"

    @property
    def credited_hours(self):
        return self.approved_hours if self.approved_hours is not None else self.hours
