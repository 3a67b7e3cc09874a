"""What was delivered to classes and families: lessons, meetings, activities, visits, lectures.

Privacy: every row counts what a class, school or set of families received. No field
holds a student's or family's name (tests/delivery/test_privacy.py inspects every model).

Rows are never deleted. A coordinator corrects a row (the change is audited) or voids
it; voided rows no longer count. Every create / change / void writes an audit event (accounts.audit).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import School, SchoolClass, TeacherProfile, Term
from resources.models import ResourcePage


class ActivityKind(models.TextChoices):
    PSYCHOLOGY_LESSON = "psy_lesson", _("psychology activity lesson")
    THEME_MEETING = "theme_meeting", _("theme class meeting")
    SPECIAL_ACTIVITY = "special_activity", _("special activity")
    CAREER_COURSE = "career_course", _("mental health and career course")


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(voided_at__isnull=True)


class ClassActivity(models.Model):
    """One delivered lesson, theme class meeting, special activity or career-course period(s)."""

    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    teacher = models.ForeignKey(
        TeacherProfile,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivered_activities",
    )
    periods = models.PositiveSmallIntegerField(
        _("periods"), default=1, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    topic = models.CharField(_("topic"), max_length=200)
    # The plan used: picked from the teacher's library downloads ("used in class", counted in the
    # library usage report), or named by title / link when it came from elsewhere.
    resource = models.ForeignKey(
        ResourcePage,
        verbose_name=_("plan from the library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lesson_plan_title = models.CharField(_("lesson plan used"), max_length=200, blank=True)
    lesson_plan_url = models.URLField(_("lesson plan link"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    # A random token from the form: a replayed or double-tapped submit cannot log twice.
    client_token = models.UUIDField(_("submission token"), null=True, blank=True, unique=True, editable=False)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("class delivery log")
        verbose_name_plural = _("class delivery logs")
        indexes = [models.Index(fields=["school_class", "kind", "date"], name="activity_class_kind_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} · {self.topic}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class FamilyVisitTally(models.Model):
    """家访: how many of a class's families were visited at least once this semester. Counts only."""

    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="family_visit_tallies"
    )
    term = models.ForeignKey(Term, verbose_name=_("semester"), on_delete=models.PROTECT, related_name="+")
    families_visited = models.PositiveIntegerField(_("families visited"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("family visits")
        verbose_name_plural = _("family visits")
        constraints = [models.UniqueConstraint(fields=["school_class", "term"], name="unique_visit_tally_per_term")]

    def __str__(self) -> str:
        return f"{self.school_class} {self.term}: {self.families_visited}"

    def clean(self):
        if self.school_class_id and self.families_visited > self.school_class.family_count:
            raise ValidationError(
                {
                    "families_visited": _("The class has only %(n)s families; visited families cannot be more.")
                    % {"n": self.school_class.family_count}
                }
            )


class ParentLecture(models.Model):
    """家长讲座 / parent activity held by a school."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("parent lecture")
        verbose_name_plural = _("parent lectures")
        indexes = [models.Index(fields=["school", "date"], name="parent_lecture_school_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"
