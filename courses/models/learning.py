"""Quizzes, enrolments, per-lesson progress, quiz attempts and certificates.

Scores are computed on the server from `QuizQuestion.options`; the correct answers are
never rendered (unless the editor lets a quiz show them after a failed attempt). Every quiz
form carries a signed token naming the attempt it will become (enrolment, quiz, lesson,
attempt number); nothing is written when the form is shown. Submitting creates that
attempt once: a replayed submission finds its number taken and changes nothing.

Study time is measured on the server from progress events (see `courses.services.study`):
`StudyClock` holds one learner's last event, so two tabs or two courses open at once never
earn more than the real time that passed.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from accounts.models import TeacherProfile, TrainingYear


class Quiz(ClusterableModel):
    title = models.CharField(_("title"), max_length=120)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempt limit"), default=3, help_text=_("How many times a learner may submit. 0: unlimited.")
    )
    show_answers = models.BooleanField(
        _("show the correct answers after a failed attempt"),
        default=False,
        help_text=_("Learners always see which questions they got wrong; tick this to show the right options too."),
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts")]),
        FieldPanel("show_answers"),
        InlinePanel("questions", label=_("Questions"), min_num=1),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title


class QuizQuestion(Orderable):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    options = models.TextField(
        _("options"),
        help_text=_("One option per line. Start each correct option with an asterisk (*)."),
    )

    panels = [FieldPanel("text"), FieldPanel("kind"), FieldPanel("options")]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    def parsed_options(self) -> list[tuple[str, bool]]:
        result = []
        for line in self.options.splitlines():
            line = line.strip()
            if not line:
                continue
            correct = line.startswith("*")
            result.append((line.lstrip("*").strip(), correct))
        return result

    def choices(self) -> list[tuple[int, str]]:
        """What the browser sees: option numbers and texts, never which are correct."""
        return list(enumerate(text for text, _correct in self.parsed_options()))

    def correct_set(self) -> frozenset[int]:
        return frozenset(i for i, (_text, correct) in enumerate(self.parsed_options()) if correct)

    def clean(self):
        options = self.parsed_options()
        if len(options) < 2:
            raise ValidationError({"options": _("A question needs at least two options.")})
        n_correct = sum(1 for _text, correct in options if correct)
        if n_correct == 0:
            raise ValidationError({"options": _("Mark at least one option as correct with an asterisk (*).")})
        if self.kind == self.Kind.SINGLE and n_correct != 1:
            raise ValidationError({"options": _("A single-choice question has exactly one correct option.")})


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("in progress")
        COMPLETED = "completed", _("completed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments"
    )
    # The learner's teacher profile when enrolled (None for parents): scope checks go through it.
    teacher = models.ForeignKey(
        TeacherProfile,
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("last lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    training_year = models.ForeignKey(
        TrainingYear,
        verbose_name=_("training year"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrolment_per_course")]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    first_viewed_at = models.DateTimeField(_("first viewed"), auto_now_add=True)
    last_viewed_at = models.DateTimeField(_("last viewed"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    quiz_passed_at = models.DateTimeField(_("quiz passed"), null=True, blank=True)
    # Engaged time credited by the server from progress events (never more than real time).
    seconds_spent = models.PositiveIntegerField(_("seconds spent"), default=0)
    # Seconds of the lesson's videos watched (the union of played ranges, capped by real time).
    video_seconds = models.PositiveIntegerField(_("video seconds watched"), default=0)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_per_lesson")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.lesson_id}"


def new_token() -> str:
    """Kept for migration 0001 (attempt tokens are signed now, see courses.services.attempt_token)."""
    return secrets.token_urlsafe(24)


class StudyClock(models.Model):
    """A learner's last progress event: the server's clock for study time.

    Every event credits at most the time since the learner's previous event (on any lesson,
    in any tab), capped per interval, so forged or parallel events never add more than
    the real time that passed. `last_event_at` is empty while no lesson is being studied.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+")
    last_event_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("study clock")
        verbose_name_plural = _("study clocks")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.last_event_at}"


class QuizAttempt(models.Model):
    """A submitted attempt; `number` is 1, 2, 3 … per learner and quiz (unique: a replay cannot add one)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("attempt number"))
    submitted_at = models.DateTimeField(_("submitted at"))
    answers = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "quiz", "number"], name="one_attempt_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} · {self.enrolment_id} · #{self.number} · {self.score}"


class QuizAttemptGrant(models.Model):
    """Extra attempts a coordinator granted one learner for one quiz. Append-only: who, when, why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempt_grants")
    quiz = models.ForeignKey(Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="grants")
    extra_attempts = models.PositiveSmallIntegerField(
        _("extra attempts"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reason = models.CharField(_("reason"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("extra quiz attempts")
        verbose_name_plural = _("extra quiz attempts")

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.quiz_id} · +{self.extra_attempts}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Attempt grants are append-only.")
        super().save(*args, **kwargs)


def new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    """Issued once per completed enrolment. The PDF/PNG are rendered from these snapshot fields."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=16, unique=True, default=new_code)
    learner_name = models.CharField(_("full name"), max_length=64)
    school_name = models.CharField(_("school"), max_length=128, blank=True)
    course_title = models.CharField(_("course"), max_length=255)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    training_year = models.PositiveSmallIntegerField(_("training year"), null=True, blank=True)
    issuer = models.CharField(_("issuing authority"), max_length=120, blank=True)
    completed_on = models.DateField(_("date of completion"))
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code

    @property
    def masked_name(self) -> str:
        """The holder's name as the public verification page shows it: 张*华, 王*, 欧阳**明."""
        return mask_name(self.learner_name)


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
