"""Coverage arrangements for small schools (对口援助 / 定点支教).

The policy: a school with fewer than 800 students staffs psychology teaching through another
school's help (对口援助) or a teacher sent to it on a fixed schedule (定点支教), so that every
pupil is covered. An arrangement says who covers which school, from when to when; the
staffing rule (`tracking.delivery.rules.staffing_status`) counts a school under 800 students
with an arrangement in force as covered instead of short.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import School, TeacherProfile


class CoverageKind(models.TextChoices):
    PARTNER_SCHOOL = "partner_school", _("partner-school aid")  # 对口援助
    VISITING_TEACHER = "visiting_teacher", _("visiting teacher")  # 定点支教


class CoverageArrangement(models.Model):
    school = models.ForeignKey(
        School, verbose_name=_("covered school"), on_delete=models.CASCADE, related_name="coverage_arrangements"
    )
    kind = models.CharField(_("kind of coverage"), max_length=20, choices=CoverageKind.choices)
    covering_school = models.ForeignKey(
        School,
        verbose_name=_("covering school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coverage_given",
        help_text=_("The school whose psychology teachers help (partner-school aid)."),
    )
    covering_teacher = models.ForeignKey(
        TeacherProfile,
        verbose_name=_("visiting teacher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coverage_given",
        help_text=_("The psychology teacher who teaches at the school on a fixed schedule."),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Last day; empty while it lasts."))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["school", "-starts_on"]
        verbose_name = _("coverage arrangement")
        verbose_name_plural = _("coverage arrangements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(covering_school__isnull=False) | models.Q(covering_teacher__isnull=False),
                name="coverage_names_who_covers",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="coverage_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["school", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.school} ← {self.provider_name}"

    @property
    def provider_name(self) -> str:
        if self.covering_teacher_id:
            return str(self.covering_teacher.user.display_name)
        return str(self.covering_school) if self.covering_school_id else ""

    def clean(self):
        errors = {}
        if self.kind == CoverageKind.PARTNER_SCHOOL and not self.covering_school_id:
            errors["covering_school"] = _("Partner-school aid names the school that helps.")
        if self.kind == CoverageKind.VISITING_TEACHER and not self.covering_teacher_id:
            errors["covering_teacher"] = _("A visiting-teacher arrangement names the teacher.")
        if self.covering_school_id and self.covering_school_id == self.school_id:
            errors["covering_school"] = _("A school cannot cover itself.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date must be after the start date.")
        if errors:
            raise ValidationError(errors)
