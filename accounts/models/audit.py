"""The platform's one audit trail: who did what, to which record, when, where, and the values
before and after. Written only through `accounts.audit.record()`, read through
`accounts.audit.visible_to(scope)`; append-only in Python and in the database."""

from __future__ import annotations

from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..append_only import append_only
from .people import District, School


# The actor and the free-text summary (it may name people) can be cleared for identity removal.
@append_only(clearable=["actor", "summary"])
class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A dotted code, room first: "claim.approve", "delivery.void", "role.change", "report.export".
    action = models.CharField(_("action"), max_length=64, db_index=True)
    # The record acted on: its model label ("tracking.classactivity") and id.
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    # Where the record belongs, for scope filtering: a school, a whole district, or neither (city-wide).
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        District, verbose_name=_("district / county"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(_("summary"), max_length=255, null=True, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    # A default, not auto_now_add: the migration that merged the two old trails kept their times.
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)

    # What readers see for each action code; each room registers its own (accounts.audit.register_actions).
    labels: ClassVar[dict[str, str]] = {}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")

    @property
    def object_label(self) -> str:
        """The record acted on, in words, for events without a summary: its kind and id."""
        if not self.object_type:
            return ""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return f"{self.object_type} #{self.object_id}"
        return f"{model._meta.verbose_name} #{self.object_id}"

    @property
    def action_label(self) -> str:
        """The action in words (unknown codes are shown as they are)."""
        return str(self.labels.get(self.action, self.action))
