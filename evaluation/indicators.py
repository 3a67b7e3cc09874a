"""The indicators of the city's standard (达标) for a school, as data.

Each `Indicator` says what is counted, the standard as the scorecard prints it, its default
threshold and how a figure is compared with it, and to which schools it applies. The
numbers come from the policy (/work/shared/seed, docs/evaluation.md) and, where the
platform already applies a rule, from the module that applies it (`tracking.delivery.rules`),
so a threshold the scorecard shows by default is the number tracking counts with.

Thresholds are data: `thresholds(overrides)` merges a round's {key: value} over the
defaults (`evaluation.rounds` stores them per round). `check_thresholds` says in words what
is wrong with a set of overrides (unknown key, negative, a share above 100 %, …).

Keys are stable (rounds store them); labels and standards are translated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from accounts.models import School
from tracking.delivery.rules import (
    COVERAGE_ALLOWED_BELOW,
    FULL_TIME_PSYCHOLOGY_TEACHER_ABOVE,
    PARENT_LECTURES_PER_TERM,
    STUDENTS_PER_PSYCHOLOGY_TEACHER,
)

T = School.SchoolType


class Group:
    STAFFING = "staffing"
    TRAINING = "training"
    DELIVERY = "delivery"
    FAMILY = "family"
    FACILITIES = "facilities"

    LABELS = {
        STAFFING: _("Staffing"),  # 配备
        TRAINING: _("Training"),  # 培训
        DELIVERY: _("Lessons and activities"),  # 课程与活动
        FAMILY: _("Home and school"),  # 家校
        FACILITIES: _("Facilities and organisation"),  # 设施与组织
    }
    ORDER = (STAFFING, TRAINING, DELIVERY, FAMILY, FACILITIES)


class Comparator:
    AT_LEAST = "gte"  # figure.value >= threshold
    PRESENT = "present"  # figure.value is True (no threshold)
    REFERENCE = "reference"  # shown, not judged, unless a round sets a threshold (then AT_LEAST)


class Unit:
    PERCENT = "percent"
    COUNT = "count"
    STUDENTS = "students"
    YES_NO = "yes_no"


class Source:
    PLATFORM = "platform"  # computed by evaluation.figures from the platform's records
    ENTRY = "entry"  # entered by the school, approved by the district (evaluation.rounds)


SECONDARY = (T.JUNIOR, T.SENIOR, T.NINE_YEAR, T.TWELVE_YEAR)


def _all(school) -> bool:
    return True


def _vocational(school) -> bool:
    return school.school_type == T.VOCATIONAL


def _secondary(school) -> bool:
    return school.school_type in SECONDARY


def _small(school) -> bool:
    return (school.student_count or 0) < COVERAGE_ALLOWED_BELOW


def _large(school) -> bool:
    return (school.student_count or 0) > FULL_TIME_PSYCHOLOGY_TEACHER_ABOVE


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    label: str
    standard: str  # may contain %(threshold)s
    threshold: Decimal | int | None
    comparator: str
    unit: str
    source: str = Source.PLATFORM
    applies_to: Callable = field(default=_all, compare=False)
    applies_note: str = ""  # shown when it does not apply
    yearly: bool = False  # judged over the (academic / training) year even on a semester's scorecard

    def applies(self, school) -> bool:
        """Does the indicator apply to `school` (needs school_type and student_count)?"""
        return bool(self.applies_to(school))

    def standard_text(self, threshold=None) -> str:
        value = self.threshold if threshold is None else threshold
        return str(self.standard) % {"threshold": _number(value)} if "%(" in str(self.standard) else str(self.standard)

    @property
    def group_label(self) -> str:
        return str(Group.LABELS[self.group])


def _number(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value.normalize())


INDICATORS: tuple[Indicator, ...] = (
    # --- 配备 -------------------------------------------------------------------------------------
    Indicator(
        "staffing_ratio",
        Group.STAFFING,
        _("Psychology teachers per students"),
        _("One psychology teacher (full- or part-time) per %(threshold)s students"),
        STUDENTS_PER_PSYCHOLOGY_TEACHER,
        Comparator.AT_LEAST,
        Unit.STUDENTS,
    ),
    Indicator(
        "staffing_full_time",
        Group.STAFFING,
        _("Full-time psychology teacher"),
        _("A school with more than 800 students has at least %(threshold)s full-time psychology teacher(s)"),
        1,
        Comparator.AT_LEAST,
        Unit.COUNT,
        applies_to=_large,
        applies_note=_("800 students or fewer"),
    ),
    Indicator(
        "staffing_coverage",
        Group.STAFFING,
        _("Coverage of a small school"),
        _(
            "A school with fewer than 800 students is covered: its own teachers suffice, or partner-school "
            "aid / a visiting teacher is arranged"
        ),
        None,
        Comparator.PRESENT,
        Unit.YES_NO,
        applies_to=_small,
        applies_note=_("800 students or more"),
    ),
    # --- 培训 -------------------------------------------------------------------------------------
    Indicator(
        "training_full_time",
        Group.TRAINING,
        _("Full-time psychology teachers at 40 hours"),
        _("At least %(threshold)s%% of full-time psychology teachers reach 40 training hours a year"),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
        yearly=True,
    ),
    Indicator(
        "training_head",
        Group.TRAINING,
        _("Head teachers at 10 hours"),
        _("At least %(threshold)s%% of head teachers / ideological key teachers reach 10 training hours a year"),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
        yearly=True,
    ),
    Indicator(
        "training_other",
        Group.TRAINING,
        _("Other teachers with a session"),
        _("At least %(threshold)s%% of other teachers attend at least one training session a year"),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
        yearly=True,
    ),
    # --- 课程与活动 ---------------------------------------------------------------------------------
    Indicator(
        "lessons",
        Group.DELIVERY,
        _("Psychology lessons in key grades"),
        _(
            "At least %(threshold)s%% of key-grade classes have one psychology activity lesson per two teaching "
            "weeks (as due so far)"
        ),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
    ),
    Indicator(
        "theme_meetings",
        Group.DELIVERY,
        _("Theme class meetings"),
        _("At least %(threshold)s%% of classes hold a mental-health theme class meeting each semester"),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
    ),
    Indicator(
        "special_activities",
        Group.DELIVERY,
        _("Special activities"),
        _("At least %(threshold)s%% of classes hold a mental-health / life-education special activity each semester"),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
    ),
    Indicator(
        "vocational_career",
        Group.DELIVERY,
        _("Mental health and career course (36 periods)"),
        _("Grade-1 classes of a secondary vocational school deliver %(threshold)s%% of 36 periods a year"),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
        applies_to=_vocational,
        applies_note=_("Only secondary vocational schools"),
        yearly=True,
    ),
    Indicator(
        "campaign_activities",
        Group.DELIVERY,
        _("Campaign activities held"),
        _("At least %(threshold)s publicity-campaign activity(ies) held"),
        1,
        Comparator.AT_LEAST,
        Unit.COUNT,
    ),
    # --- 家校 -------------------------------------------------------------------------------------
    Indicator(
        "family_visits",
        Group.FAMILY,
        _("Family visits"),
        _("At least %(threshold)s%% of families visited at least once each semester"),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
    ),
    Indicator(
        "parent_lectures",
        Group.FAMILY,
        _("Parent lectures"),
        _("At least %(threshold)s parent lecture(s) or activity(ies) each semester"),
        PARENT_LECTURES_PER_TERM,
        Comparator.AT_LEAST,
        Unit.COUNT,
    ),
    Indicator(
        "parent_school",
        Group.FAMILY,
        _("Parent-school participation"),
        _("Share of the school's registered parents enrolled in a parent-school course (for reference)"),
        None,
        Comparator.REFERENCE,
        Unit.PERCENT,
    ),
    # --- 设施与组织 (entered by the school, approved by the district: evaluation.rounds) -------------
    Indicator(
        "counselling_room",
        Group.FACILITIES,
        _("Counselling room"),
        _("A counselling room (心理辅导室) with the main items of the national construction guide"),
        None,
        Comparator.PRESENT,
        Unit.YES_NO,
        source=Source.ENTRY,
    ),
    Indicator(
        "leading_group",
        Group.FACILITIES,
        _("Leading group"),
        _("A mental-health work leading group (领导小组)"),
        None,
        Comparator.PRESENT,
        Unit.YES_NO,
        source=Source.ENTRY,
    ),
    Indicator(
        "crisis_group",
        Group.FACILITIES,
        _("Crisis-intervention group"),
        _("A crisis-intervention group (危机干预小组)"),
        None,
        Comparator.PRESENT,
        Unit.YES_NO,
        source=Source.ENTRY,
    ),
    Indicator(
        "budget_line",
        Group.FACILITIES,
        _("Budget line"),
        _("A budget line for mental-health education"),
        None,
        Comparator.PRESENT,
        Unit.YES_NO,
        source=Source.ENTRY,
    ),
    Indicator(
        "psychology_committee",
        Group.FACILITIES,
        _("Psychology committee members"),
        _("At least %(threshold)s%% of classes have a psychology committee member (junior and senior secondary)"),
        100,
        Comparator.AT_LEAST,
        Unit.PERCENT,
        source=Source.ENTRY,
        applies_to=_secondary,
        applies_note=_("Only junior and senior secondary schools"),
    ),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
PERCENT_KEYS = {i.key for i in INDICATORS if i.unit == Unit.PERCENT}


def get(key: str) -> Indicator:
    return BY_KEY[key]


def default_thresholds() -> dict[str, Decimal | int | None]:
    return {i.key: i.threshold for i in INDICATORS}


def check_thresholds(overrides: dict | None) -> list[str]:
    """What is wrong with a round's thresholds, in words (empty: fine)."""
    errors = []
    for key, value in (overrides or {}).items():
        indicator = BY_KEY.get(key)
        if indicator is None:
            errors.append(str(_("Unknown indicator: %(key)s") % {"key": key}))
            continue
        if value is None or value == "":
            continue
        if indicator.comparator == Comparator.PRESENT:
            errors.append(str(_("%(label)s takes no threshold: it is present or absent.") % {"label": indicator.label}))
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            errors.append(str(_("%(label)s: the threshold must be a number.") % {"label": indicator.label}))
            continue
        if number < 0:
            errors.append(str(_("%(label)s: the threshold cannot be negative.") % {"label": indicator.label}))
        elif indicator.unit == Unit.PERCENT and number > 100:
            errors.append(str(_("%(label)s: a share cannot be above 100%%.") % {"label": indicator.label}))
        elif indicator.unit == Unit.STUDENTS and number == 0:
            errors.append(str(_("%(label)s: the number of students must be above 0.") % {"label": indicator.label}))
    return errors


def thresholds(overrides: dict | None = None) -> dict[str, Decimal | int | None]:
    """The defaults with a round's overrides on top (None / "" keeps the default). Raises
    ValueError with every problem when `check_thresholds` finds any."""
    errors = check_thresholds(overrides)
    if errors:
        raise ValueError("; ".join(errors))
    merged = default_thresholds()
    for key, value in (overrides or {}).items():
        if value is not None and value != "":
            merged[key] = Decimal(str(value))
    return merged
