"""A maintained roll-up of the ledger: one row per teacher and training year.

The ledger is append-only, so each new entry simply adds to its teacher's row (see
`tracking/totals.py`, hooked to LedgerEntry's post_save in the same transaction). City-wide
reports then read 50,000 rows instead of summing a million entries on every page view.
`rebuild_totals()` recomputes the rows from the ledger (bulk loads that bypass the model,
like COPY, call it; a nightly task re-checks).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import TeacherProfile, TrainingYear


class TeacherYearTotal(models.Model):
    teacher = models.ForeignKey(
        TeacherProfile, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="year_totals"
    )
    training_year = models.ForeignKey(
        TrainingYear, verbose_name=_("training year"), on_delete=models.CASCADE, related_name="+"
    )
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, default=Decimal("0"))
    sessions = models.PositiveIntegerField(_("training sessions"), default=0)
    entries = models.PositiveIntegerField(_("ledger entries"), default=0)

    class Meta:
        verbose_name = _("yearly training total")
        verbose_name_plural = _("yearly training totals")
        constraints = [
            models.UniqueConstraint(fields=["training_year", "teacher"], name="one_total_per_teacher_year"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.training_year_id}: {self.hours} h, {self.sessions}"
