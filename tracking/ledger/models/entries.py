"""The training-hours ledger: one row per credited activity, never edited, never deleted.

A teacher's yearly total is always the sum of their entries. A mistake is fixed by a
correction entry (negative or positive hours) with a reason, so the history stays
auditable. The unique (teacher, year, source, source_ref) key makes every credit
idempotent: replaying a completion or re-importing a sheet cannot count twice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.append_only import append_only
from accounts.models import School, TeacherCategory, TeacherProfile, TrainingYear


class LedgerSource(models.TextChoices):
    ONLINE_COURSE = "online", _("online course")
    OFFLINE_SESSION = "offline", _("offline session")
    EXTERNAL_CERTIFICATE = "external", _("external certificate")
    CORRECTION = "correction", _("correction")


class TrainingTarget(models.Model):
    """The yearly target for one teacher category: hours and/or sessions (data, not code)."""

    training_year = models.ForeignKey(
        TrainingYear, verbose_name=_("training year"), on_delete=models.CASCADE, related_name="targets"
    )
    category = models.CharField(_("teacher category"), max_length=16, choices=TeacherCategory.choices)
    hours = models.DecimalField(
        _("required hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    sessions = models.PositiveSmallIntegerField(_("required training sessions"), null=True, blank=True)

    class Meta:
        ordering = ["-training_year__year", "category"]
        verbose_name = _("training target")
        verbose_name_plural = _("training targets")
        constraints = [
            models.UniqueConstraint(fields=["training_year", "category"], name="unique_target_per_year_category")
        ]

    def __str__(self) -> str:
        parts = []
        if self.hours is not None:
            parts.append(_("%(hours)s hours") % {"hours": self.hours})
        if self.sessions is not None:
            parts.append(_("%(n)s sessions") % {"n": self.sessions})
        return f"{self.training_year} {self.get_category_display()}: {' + '.join(str(p) for p in parts) or '—'}"

    def clean(self):
        if self.hours is None and self.sessions is None:
            raise ValidationError(_("Set required hours, required sessions, or both."))


# Append-only in the database too: only the links to people may be cleared, for identity
# removal (`tracking.ledger.services.forget_person`); hours, dates, source, school never change.
@append_only(clearable=["teacher", "recorded_by"])
class LedgerEntry(models.Model):
    # Empty only after identity removal (personal-data deletion); every entry is written with a teacher.
    teacher = models.ForeignKey(
        TeacherProfile,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        null=True,
        related_name="ledger_entries",
    )
    training_year = models.ForeignKey(
        TrainingYear, verbose_name=_("training year"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    # The teacher's school when the hours were earned: reports by school stay stable when a teacher moves.
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    counts_as_session = models.BooleanField(_("counts as a training session"), default=True)
    source = models.CharField(_("source"), max_length=16, choices=LedgerSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    activity_date = models.DateField(_("date of the activity"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-activity_date", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "training_year", "source", "source_ref"], name="ledger_entry_credited_once"
            ),
            models.CheckConstraint(
                condition=models.Q(source="correction") | models.Q(hours__gte=0),
                name="ledger_only_corrections_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["training_year", "teacher"]),
            models.Index(fields=["training_year", "school"]),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.training_year.year} {self.hours} {self.get_source_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError(_("Ledger entries cannot be changed; record a correction instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Ledger entries cannot be deleted; record a correction instead."))
