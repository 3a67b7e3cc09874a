"""设施与组织: what the platform cannot count, entered per school with evidence and approved by the district.

The policy (seed, items 12 and "保障措施"):

1. Township central primary schools and larger schools set up a counselling room (心理辅导室) per
   the Ministry's construction guide (教基一厅函〔2015〕36号) and the city's standard (洪教健字〔2017〕1号).
   The guide's functional areas: individual counselling room (个体辅导室), group activity room
   (团体活动室), office and reception area (办公接待区); where conditions allow, assessment and
   relaxation facilities (心理测评 / 放松设施).
2. Every school sets up a leading group (领导小组) chaired by the head, a working group and a
   crisis-intervention group (危机干预小组).
3. Mental-health work has its budget line (经费纳入预算).
4. Junior and senior secondary classes are encouraged to have psychology committee members
   (心理委员, one boy and one girl): counted here, never named.

Each submission is one row; the district coordinator approves it or returns it with a reason.
The latest approved row per (school, item) is the school's figure.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from cms.core.storage import private_storage


class Item(models.TextChoices):
    COUNSELLING_ROOM = "counselling_room", _("counselling room (心理辅导室)")
    LEADING_GROUP = "leading_group", _("leading group (领导小组)")
    CRISIS_GROUP = "crisis_group", _("crisis-intervention group (危机干预小组)")
    BUDGET = "budget", _("budget line for mental-health work (经费)")
    COMMITTEE = "committee", _("psychology committee members (心理委员)")


class RoomPart(models.TextChoices):
    """The construction guide's functional areas of a counselling room."""

    INDIVIDUAL = "individual", _("individual counselling room (个体辅导室)")
    GROUP = "group", _("group activity room (团体活动室)")
    RECEPTION = "reception", _("office and reception area (办公接待区)")
    ASSESSMENT = "assessment", _("psychological assessment facilities (心理测评)")
    RELAXATION = "relaxation", _("relaxation facilities (放松设施)")


# The guide's main areas: a room without one of these does not meet the standard; assessment and
# relaxation facilities are added "where conditions allow" and are recorded, not required.
REQUIRED_ROOM_PARTS = (RoomPart.INDIVIDUAL, RoomPart.GROUP, RoomPart.RECEPTION)


def evidence_upload_to(instance, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:8]
    return f"evaluation/facilities/{instance.school_id}/{os.urandom(12).hex()}{ext}"


class FacilityEntry(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the district")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("item"), max_length=32, choices=Item.choices)
    present = models.BooleanField(_("in place"), default=True)
    room_parts = models.JSONField(_("areas of the counselling room"), default=list, blank=True)
    amount = models.DecimalField(_("yearly budget (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    classes = models.PositiveIntegerField(_("junior / senior secondary classes"), null=True, blank=True)
    classes_with_members = models.PositiveIntegerField(_("classes with committee members"), null=True, blank=True)
    members = models.PositiveIntegerField(_("committee members"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_upload_to, storage=private_storage, max_length=255)
    evidence_name = models.CharField(_("file name"), max_length=255)
    evidence_type = models.CharField(_("file type"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("facility or organisation entry")
        verbose_name_plural = _("facility and organisation entries")
        indexes = [models.Index(fields=["school", "item", "status"], name="facility_school_item_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classes_with_members__isnull=True)
                | models.Q(classes__isnull=True)
                | models.Q(classes_with_members__lte=models.F("classes")),
                name="facility_members_within_classes",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="facility_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.get_item_display()}"

    def get_room_parts_display(self) -> list[str]:
        return [str(RoomPart(p).label) for p in self.room_parts or [] if p in RoomPart.values]

    @property
    def is_image(self) -> bool:
        return self.evidence_type.startswith("image/")
