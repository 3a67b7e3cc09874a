"""A generic audit trail: who did what, to which object, when, inside which school.

Any app may write events (imports, approvals, corrections, target changes, class-delivery
edits …) through `AuditEvent.log(...)`. `school` (and `district`) make the trail
filterable by a coordinator's scope with `scope.school_filter("school")`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import District, School

# What coordinators read for each action code in the trail (unknown codes are shown as they are).
ACTION_LABELS = {
    "session.create": _("Session created"),
    "attendance.import": _("Sign-in sheet imported"),
    "claim.submit": _("Certificate submitted"),
    "claim.approve": _("Certificate approved"),
    "claim.reject": _("Certificate rejected"),
    "ledger.correction": _("Hours corrected"),
    "target.change": _("Target changed"),
}


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # The school the object belongs to, for scope filtering; empty for city-wide objects.
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # For objects that belong to a whole district (e.g. a district-wide session).
    district = models.ForeignKey(
        District, verbose_name=_("district / county"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(_("summary"), max_length=255)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @classmethod
    def visible_to(cls, scope):
        """Events a coordinator may read: their schools' and districts' (city: everything)."""
        if not scope.is_coordinator:
            return cls.objects.none()
        if scope.city:
            return cls.objects.all()
        return cls.objects.filter(scope.school_filter("school") | models.Q(district_id__in=scope.district_ids))

    @classmethod
    def log(
        cls,
        *,
        actor,
        action: str,
        obj: models.Model | None = None,
        object_type: str = "",
        object_id: str | int = "",
        school: School | int | None = None,
        district: District | int | None = None,
        summary: str = "",
        details: dict | None = None,
    ) -> AuditEvent:
        """Record one event. Pass `obj` (a model instance) or explicit `object_type`/`object_id`."""
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = object_id or obj.pk
        school_id = school if isinstance(school, int) or school is None else school.pk
        district_id = district if isinstance(district, int) or district is None else district.pk
        return cls.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            school_id=school_id,
            district_id=district_id,
            summary=str(summary)[:255],
            details=details or {},
        )
