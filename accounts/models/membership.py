"""Where a teacher worked, and when: the history that keeps past years' reports true.

`TeacherProfile.school` says where a teacher is *now*. A `SchoolMembership` is one stint at
one school, over the half-open span [started_on, ended_on). Stints are written by
`accounts.membership` whenever a teacher is saved (a new active teacher opens one from
today, a move closes the open stint and opens one at the new school, deactivation closes
it); a data migration built them for the teachers that existed before.

A training year counts each teacher once, under the school of the stint that covers the
year's *reference day*: its last day, or today while the year runs (see
`accounts.membership.reference_date`). So a teacher who moved after the year keeps counting
for the old school; one who moved during it counts for the school the year ends with; one
who joined after it does not appear in it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import School, TeacherProfile


class SchoolMembership(models.Model):
    teacher = models.ForeignKey(
        TeacherProfile, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="memberships"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="memberships")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until (exclusive)"), null=True, blank=True)

    class Meta:
        ordering = ["teacher", "started_on"]
        verbose_name = _("school membership")
        verbose_name_plural = _("school memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher"], condition=models.Q(ended_on__isnull=True), name="one_open_membership_per_teacher"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "started_on"]),
            models.Index(fields=["school", "started_on"]),
        ]

    def __str__(self) -> str:
        end = self.ended_on.isoformat() if self.ended_on else "…"
        return f"{self.teacher} · {self.school}: {self.started_on.isoformat()} – {end}"

    def clean(self):
        """Stints of one teacher never overlap: a year must find at most one school."""
        if self.started_on and self.ended_on and self.ended_on <= self.started_on:
            raise ValidationError({"ended_on": _("The end date must be after the start date.")})
        if not (self.teacher_id and self.started_on):
            return
        others = SchoolMembership.objects.filter(teacher_id=self.teacher_id).exclude(pk=self.pk)
        others = others.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=self.started_on))
        if self.ended_on:
            others = others.filter(started_on__lt=self.ended_on)
        if others.exists():
            raise ValidationError(_("This period overlaps another school membership of the same teacher."))
