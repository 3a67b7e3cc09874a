"""District duties (县区职责), as the policy sets them (seed, items 12 and 16):

1. Every district has a minors' counselling station (县区级未成年人心理健康辅导站) with full-time staff.
   The station itself is the public directory's record (cms.help `CounsellingStation`, read
   through `evaluation.rounds.duties.register_station_source`); its staff are listed here.
2. The district's teacher-development centre (教师发展中心) has at least one psychology teaching
   researcher (心理教研员).
3. At least one district research activity (教研活动) a month: an offline session of kind
   "research" in tracking's ledger (its attendance earns hours like any session), counted there.

Staff rows hold a name and a role only: no other personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import District


class DistrictStaff(models.Model):
    class Role(models.TextChoices):
        STATION_STAFF = "station", _("full-time counselling-station staff")
        RESEARCHER = "researcher", _("psychology teaching researcher (心理教研员)")

    district = models.ForeignKey(
        District, verbose_name=_("district / county"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    name = models.CharField(_("name"), max_length=64)
    unit = models.CharField(_("unit"), max_length=120, blank=True, help_text=_("e.g. the teacher-development centre"))
    active = models.BooleanField(_("in post"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        ordering = ["district__sort_order", "role", "name"]
        verbose_name = _("district staff member")
        verbose_name_plural = _("district staff")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"
