"""Course catalogue, course and lesson pages (editors build them in the Wagtail admin)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts.models import AgeStage, TeacherCategory, TrainingYear

from ..blocks import LessonStreamBlock
from ..forms import CoursePageForm
from .fields import MultipleChoiceField
from .h5p import H5PContent
from .learning import Enrolment, Quiz

# What a learner sees on a course or lesson page (enrolment, progress, quiz states) is built by
# `courses.services`, which imports these models; the pages never import it back. Instead
# `CoursesConfig.ready` registers the builders here: {page model: builder(page, request) -> context}.
LEARNER_CONTEXT: dict[type[Page], Callable[[Page, object], dict]] = {}

# One credit hour (学时) of online study is 45 minutes, as in national teacher-training practice;
# a course's minimum study time is derived from its hours unless the editor sets it.
MINUTES_PER_CREDIT_HOUR = 45


class Topic(models.TextChoices):
    CRISIS = "crisis", _("crisis identification and intervention")
    EMOTION = "emotion", _("emotions and communication")
    CLASSROOM = "classroom", _("mental-health lessons")
    FAMILY = "family", _("family education")
    GENERAL = "general", _("general mental-health literacy")


class Audience:
    """Who a viewer is, for the catalogue: a teacher category and/or the parent's age stages."""

    def __init__(self, user):
        self.category = None
        self.age_stages: list[str] = []
        if user is not None and user.is_authenticated:
            teacher = getattr(user, "teacher_profile", None) if hasattr(user, "teacher_profile") else None
            if teacher is not None and teacher.is_active:
                self.category = teacher.category
            parent = getattr(user, "parent_profile", None) if hasattr(user, "parent_profile") else None
            if parent is not None:
                self.age_stages = list(parent.age_stages or [])

    def q(self) -> Q:
        """Courses meant for this viewer, as a filter on CoursePage."""
        q = Q(pk__in=[])
        if self.category:
            q |= Q(teacher_categories__contains=f",{self.category},")
        for stage in self.age_stages:
            q |= Q(parent_age_stages__contains=f",{stage},")
        return q


class CourseIndexPage(Page):
    """The catalogue: filterable, with the viewer's eligible courses first."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    audience = models.CharField(
        _("audience shown"),
        max_length=16,
        choices=[("teachers", _("teachers")), ("parents", _("parents")), ("all", _("everyone"))],
        default="all",
        help_text=_("Teacher training or parent school catalogue: which courses below this page are listed."),
    )

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("audience")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["home.HomePage", "core.StandardPage"]
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def courses(self, request=None, params=None):
        params = params or {}
        from wagtail.images import get_image_model

        covers = get_image_model().objects.prefetch_renditions("fill-480x240")
        qs = (
            CoursePage.objects.live()
            .child_of(self)
            .select_related("training_year")
            .prefetch_related(models.Prefetch("cover_image", queryset=covers))
        )
        if self.audience == "teachers":
            qs = qs.exclude(teacher_categories="")
        elif self.audience == "parents":
            qs = qs.exclude(parent_age_stages="")
        audience = params.get("audience")
        if audience in TeacherCategory.values:
            qs = qs.filter(teacher_categories__contains=f",{audience},")
        elif audience in AgeStage.values:
            qs = qs.filter(parent_age_stages__contains=f",{audience},")
        elif audience == "parents":
            qs = qs.exclude(parent_age_stages="")
        if params.get("topic") in Topic.values:
            qs = qs.filter(topic=params["topic"])
        if params.get("kind") in ("compulsory", "elective"):
            qs = qs.filter(compulsory=params["kind"] == "compulsory")
        hours = params.get("hours")
        if hours == "short":
            qs = qs.filter(credit_hours__lte=4)
        elif hours == "medium":
            qs = qs.filter(credit_hours__gt=4, credit_hours__lte=12)
        elif hours == "long":
            qs = qs.filter(credit_hours__gt=12)
        user = getattr(request, "user", None)
        viewer = Audience(user)
        qs = qs.annotate(eligible=Case(When(viewer.q(), then=Value(1)), default=Value(0), output_field=IntegerField()))
        if user is not None and user.is_authenticated:
            qs = qs.annotate(enrolled=Exists(Enrolment.objects.filter(course=OuterRef("pk"), user=user)))
        return qs.order_by("-eligible", "-compulsory", "title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        params = {k: request.GET.get(k, "") for k in ("audience", "topic", "kind", "hours")}
        context["courses"] = self.courses(request, params)
        context["params"] = params
        audiences = []
        if self.audience != "parents":
            audiences += list(TeacherCategory.choices)
        if self.audience != "teachers":
            audiences += list(AgeStage.choices)
        context["audience_choices"] = audiences
        context["topic_choices"] = Topic.choices
        return context


class CoursePage(Page):
    """One course: audience, credit hours (学时), training year, lessons as children."""

    summary = models.CharField(_("summary"), max_length=255)
    outline = RichTextField(_("outline"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices, default=Topic.GENERAL)
    teacher_categories = MultipleChoiceField(_("for teachers of these categories"), choices=TeacherCategory.choices)
    parent_age_stages = MultipleChoiceField(_("for parents of children at these age stages"), choices=AgeStage.choices)
    credit_hours = models.DecimalField(
        _("credit hours (学时)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("In half hours, e.g. 1.5."),
    )
    counts_as_session = models.BooleanField(
        _("counts as a training session"),
        default=True,
        help_text=_("Completing it counts as one training session towards a session target."),
    )
    training_year = models.ForeignKey(
        TrainingYear,
        verbose_name=_("training year"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_("Hours count towards this year; empty: the year of completion."),
    )
    compulsory = models.BooleanField(_("compulsory"), default=False)
    enrolment_opens = models.DateField(_("enrolment opens"), null=True, blank=True)
    enrolment_closes = models.DateField(_("enrolment closes"), null=True, blank=True)
    minimum_minutes = models.PositiveIntegerField(
        _("minimum study time (minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "Engaged time in the lessons before the hours are credited, shared among the required lessons. "
            "Empty: 45 minutes per credit hour. 0: no time requirement."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("outline"),
        MultiFieldPanel([FieldPanel("teacher_categories"), FieldPanel("parent_age_stages")], heading=_("Audience")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("credit_hours"), FieldPanel("counts_as_session")]),
                FieldRowPanel([FieldPanel("training_year"), FieldPanel("compulsory"), FieldPanel("topic")]),
                FieldRowPanel([FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")]),
                FieldPanel("minimum_minutes"),
            ],
            heading=_("Credit and enrolment"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("outline")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_page.html"

    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self):
        super().clean()
        if not self.teacher_categories and not self.parent_age_stages:
            raise ValidationError(_("Choose at least one audience: teacher categories or parents' age stages."))
        if (self.credit_hours or 0) * 2 != int((self.credit_hours or 0) * 2):
            raise ValidationError({"credit_hours": _("Credit hours are counted in half hours (e.g. 1.5).")})
        if self.enrolment_opens and self.enrolment_closes and self.enrolment_closes < self.enrolment_opens:
            raise ValidationError({"enrolment_closes": _("Enrolment cannot close before it opens.")})

    def lessons(self):
        return LessonPage.objects.live().child_of(self).order_by("path")

    @property
    def study_minutes(self) -> int:
        """The course's minimum study time: the editor's figure, else 45 minutes per credit hour."""
        if self.minimum_minutes is not None:
            return self.minimum_minutes
        return int((self.credit_hours or 0) * MINUTES_PER_CREDIT_HOUR)

    @property
    def for_parents_only(self) -> bool:
        """A parent-school course: no training hours, so no 学时 wording on its pages."""
        return not self.teacher_categories

    def is_for(self, user) -> bool:
        viewer = Audience(user)
        return bool(
            (viewer.category and viewer.category in self.teacher_categories)
            or set(viewer.age_stages) & set(self.parent_age_stages)
        )

    def enrolment_open(self, on=None) -> bool:
        on = on or timezone.localdate()
        if self.enrolment_opens and on < self.enrolment_opens:
            return False
        return not (self.enrolment_closes and on > self.enrolment_closes)

    def audience_labels(self) -> list[str]:
        cats = dict(TeacherCategory.choices)
        stages = dict(AgeStage.choices)
        labels = [str(cats[c]) for c in self.teacher_categories if c in cats]
        labels += [str(_("parents")) + " · " + str(stages[s]) for s in self.parent_age_stages if s in stages]
        return labels

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(LEARNER_CONTEXT[CoursePage](self, request))
        return context


class LessonPage(Page):
    """A lesson: a StreamField body; `required` lessons count for completion."""

    introduction = models.CharField(_("introduction"), max_length=255, blank=True)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)
    required = models.BooleanField(_("required for completion"), default=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=20)
    minimum_minutes = models.PositiveSmallIntegerField(
        _("minimum study time (minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: this lesson's share of the course's minimum study time (by estimated minutes). "
            "0: no time requirement for this lesson."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("estimated_minutes"), FieldPanel("minimum_minutes")]),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    @property
    def course(self) -> CoursePage:
        return CoursePage.objects.get(pk=self.get_parent().pk)

    def quiz_ids(self) -> list[int]:
        # Raw data: no snippet query per block; one query drops quizzes deleted since.
        ids = [
            int(b["value"]["quiz"])
            for b in self.body.raw_data
            if b["type"] == "quiz" and (b.get("value") or {}).get("quiz")
        ]
        if not ids:
            return []
        existing = set(Quiz.objects.filter(pk__in=ids).values_list("pk", flat=True))
        return [i for i in ids if i in existing]

    def h5p_blocks(self) -> dict[int, int]:
        """H5P content id → the block's pass mark (%), from raw data (no snippet query)."""
        blocks = {}
        for b in self.body.raw_data:
            value = b.get("value") or {}
            if b["type"] == "h5p" and value.get("content"):
                blocks.setdefault(int(value["content"]), int(value.get("pass_percent") or 0))
        if not blocks:
            return {}
        existing = set(H5PContent.objects.filter(pk__in=blocks).values_list("pk", flat=True))
        return {pk: mark for pk, mark in blocks.items() if pk in existing}

    def video_document_ids(self) -> list[int]:
        """Documents played by the lesson's video blocks (raw data: no document query)."""
        return [
            int(b["value"]["video"])
            for b in self.body.raw_data
            if b["type"] == "video" and (b.get("value") or {}).get("video")
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(LEARNER_CONTEXT[LessonPage](self, request))
        return context
