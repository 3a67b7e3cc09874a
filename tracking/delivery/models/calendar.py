"""The teaching calendar that the delivery rules count against.

A Term (accounts) has start and end dates; breaks inside it (National Day, exams weeks
without lessons, …) are `TermBreak` rows. Key grades (起始或关键年级) default per school
type (see `tracking.rules.DEFAULT_KEY_GRADES`) and can be replaced for one academic year
and school type by a `KeyGradeConfig` row.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import AcademicYear, School, Term


class TermBreak(models.Model):
    """Days inside a term without lessons (holidays, exam weeks). Both ends inclusive."""

    term = models.ForeignKey(Term, verbose_name=_("semester"), on_delete=models.CASCADE, related_name="breaks")
    name = models.CharField(_("name"), max_length=64)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["term", "start_date"]
        verbose_name = _("semester break")
        verbose_name_plural = _("semester breaks")

    def __str__(self) -> str:
        return f"{self.term} {self.name}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(_("The end date must not be before the start date."))
        term = self.term if self.term_id else None
        if (
            term
            and self.start_date
            and self.end_date
            and (self.start_date < term.start_date or self.end_date > term.end_date)
        ):
            raise ValidationError(_("A break must lie inside its semester."))


def validate_grade_list(value):
    def is_grade(g) -> bool:
        return isinstance(g, int) and not isinstance(g, bool) and 1 <= g <= 12

    if not isinstance(value, list) or not all(is_grade(g) for g in value):
        raise ValidationError(_("Enter a list of grade numbers between 1 and 12, e.g. [1, 6]."))


class KeyGradeConfig(models.Model):
    """The starting / key grades of one school type in one academic year.

    No row means the defaults apply; a row with an empty list means "no key grades".
    """

    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.CASCADE, related_name="key_grade_configs"
    )
    school_type = models.CharField(_("school type"), max_length=16, choices=School.SchoolType.choices)
    grades = models.JSONField(_("key grades"), default=list, blank=True, validators=[validate_grade_list])

    class Meta:
        ordering = ["-academic_year__start_date", "school_type"]
        verbose_name = _("key grades")
        verbose_name_plural = _("key grades")
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "school_type"], name="unique_key_grades_per_year_type")
        ]

    def __str__(self) -> str:
        return f"{self.academic_year} {self.get_school_type_display()}: {self.grades}"
