"""The library's fixed classifications (no models: forms and models both read them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GradeBand(models.TextChoices):
    """学段 as the policy's school system names them; a resource may suit several."""

    PRIMARY_LOWER = "primary_lower", _("primary, lower grades")
    PRIMARY_MIDDLE = "primary_middle", _("primary, middle grades")
    PRIMARY_UPPER = "primary_upper", _("primary, upper grades")
    JUNIOR = "junior", _("junior secondary")
    SENIOR = "senior", _("senior secondary")
    VOCATIONAL = "vocational", _("secondary vocational")


class ResourceType(models.TextChoices):
    LESSON_PLAN = "lesson_plan", _("lesson plan")
    SLIDES = "slides", _("slides")
    STUDY_SHEET = "study_sheet", _("study sheet")
    ACTIVITY_PLAN = "activity_plan", _("activity plan")
    VIDEO = "video", _("video")
    MICRO_LESSON = "micro_lesson", _("micro-lesson")
    INTERACTIVE = "interactive", _("interactive")


class LessonKind(models.TextChoices):
    """课型: the kind of class time a resource is for (the delivery log's kinds, and more)."""

    PSYCHOLOGY_LESSON = "psy_lesson", _("psychology activity lesson")
    THEME_MEETING = "theme_meeting", _("theme class meeting")
    SPECIAL_ACTIVITY = "special_activity", _("special activity")
    CAREER_COURSE = "career_course", _("mental health and career course")
    GROUP_COUNSELLING = "group_counselling", _("group counselling")
    PARENT_SESSION = "parent_session", _("parent lecture")


class Licence(models.TextChoices):
    SCHOOL_USE = "school_use", _("free for teaching in the city's schools")
    CC_BY_NC = "cc_by_nc", _("CC BY-NC 4.0")
    ALL_RIGHTS = "all_rights", _("all rights reserved: download for study only")
