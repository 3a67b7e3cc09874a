"""Every school's scorecard for one period, in a constant number of queries.

`compute(schools, period)` reads, for all the schools at once:

* staffing — `tracking.delivery.rules.staffing_status` (1 query, also the schools' own columns);
* training — `tracking.ledger.services.completion_rollup` grouped by the school each teacher
  belonged to in the training year and by teacher category, as the completion report counts
  them (1 query for the three categories);
* lessons, meetings, special activities, family visits, vocational periods and parent lectures —
  `tracking.delivery.rules.rollup(…, by="school")`, as the delivery report counts them (a few
  calendar look-ups and 2 queries per semester: 1 semester, or the 2 of a year);
* parent-school participation (2 queries) and campaign activities (1 query);
* the figures and statuses that other apps register (`evaluation.registry`), each provider
  called once with every school id.

No query depends on the number of schools. Verdicts apply `evaluation.indicators` with the
thresholds given (a round's) over the defaults. Every figure links to the report rows it is
read from (the same report, filtered to the school and period).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.membership import with_year_school
from accounts.models import ParentProfile, School, SchoolClass, TeacherCategory, TeacherProfile
from courses.models import Enrolment
from tracking.delivery import figures_cache, rules
from tracking.figures import percent
from tracking.ledger.services import completion_rollup

from . import indicators as ind
from . import registry
from .periods import Period
from .types import Figure, StatusInfo

YEAR_SCHOOL = "year_membership__school"
TRAINING_CATEGORIES = {
    "training_full_time": TeacherCategory.FULL_TIME_PSYCHOLOGY,
    "training_head": TeacherCategory.HEAD_TEACHER,
    "training_other": TeacherCategory.OTHER,
}
SCHOOL_FIELDS = ("id", "name", "code", "district_id", "district__name", "school_type", "student_count")


class Verdict:
    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"  # not met yet, but the period (or training year) is still running
    NOT_APPLICABLE = "not_applicable"
    REFERENCE = "reference"  # shown for reference, no standard to judge by

    LABELS = {
        MET: gettext_lazy("Met"),  # 达标
        NOT_MET: gettext_lazy("Not met"),  # 未达标
        PENDING: gettext_lazy("In progress"),  # 进行中
        NOT_APPLICABLE: gettext_lazy("Not applicable"),  # 不适用
        REFERENCE: gettext_lazy("For reference"),  # 仅供参考
    }
    BADGES = {
        MET: "badge-ok",
        NOT_MET: "badge-danger",
        PENDING: "badge-warn",
        NOT_APPLICABLE: "badge-muted",
        REFERENCE: "badge-muted",
    }
    ORDER = (MET, NOT_MET, PENDING, NOT_APPLICABLE, REFERENCE)


@dataclass
class Row:
    indicator: ind.Indicator
    threshold: Decimal | int | None
    figure: Figure
    verdict: str

    @property
    def standard(self) -> str:
        return self.indicator.standard_text(self.threshold)

    @property
    def verdict_label(self) -> str:
        return str(Verdict.LABELS[self.verdict])

    @property
    def badge(self) -> str:
        return Verdict.BADGES[self.verdict]

    @property
    def figure_text(self) -> str:
        return figure_text(self.indicator, self.figure)


@dataclass
class Scorecard:
    school: dict  # SCHOOL_FIELDS
    period: Period
    rows: list[Row]
    status: StatusInfo | None = None
    counts: dict = field(default_factory=dict)

    @property
    def school_id(self) -> int:
        return self.school["id"]

    def groups(self) -> list[tuple[str, list[Row]]]:
        out = []
        for group in ind.Group.ORDER:
            rows = [r for r in self.rows if r.indicator.group == group]
            if rows:
                out.append((str(ind.Group.LABELS[group]), rows))
        return out


def figure_text(indicator: ind.Indicator, figure: Figure) -> str:
    if not figure.applies:
        return "—"
    value = figure.value
    if indicator.unit == ind.Unit.YES_NO:
        return str(_("Yes") if value else _("No")) if value is not None else "—"
    if indicator.unit == ind.Unit.PERCENT:
        if figure.denominator in (None, 0) and value is None:
            return "—"
        share = "—" if value is None else f"{value}%"
        if figure.numerator is not None and figure.denominator is not None:
            return f"{figure.numerator} / {figure.denominator}（{share}）"
        return share
    if indicator.unit == ind.Unit.STUDENTS:
        return str(
            _("%(teachers)s teacher(s) for %(students)s students (needs %(required)s)")
            % {"teachers": figure.numerator, "students": value, "required": figure.denominator}
        )
    return "—" if value is None else str(value)


def verdict(indicator: ind.Indicator, figure: Figure, threshold, *, running: bool) -> str:
    """The verdict for one figure: not applicable, reference, met, or not met (pending while
    `running`, for a rule that is judged at the end of the period)."""
    if not figure.applies:
        return Verdict.NOT_APPLICABLE
    comparator = indicator.comparator
    if comparator == ind.Comparator.REFERENCE:
        if threshold is None:
            return Verdict.REFERENCE
        comparator = ind.Comparator.AT_LEAST
    if comparator == ind.Comparator.PRESENT:
        met = figure.value is True
    elif indicator.unit == ind.Unit.STUDENTS:  # own teachers (numerator) against those required (denominator)
        met = (figure.numerator or 0) >= (figure.denominator or 0)
    else:
        met = figure.value is not None and Decimal(figure.value) >= Decimal(threshold)
    if met:
        return Verdict.MET
    return Verdict.PENDING if running else Verdict.NOT_MET


# --- the figures ------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _path(name: str) -> str:
    """A report's address (the URLconf is fixed while the process runs): reversed once, not per school."""
    return reverse(name)


def _url(name: str, **params) -> str:
    # Called for every figure of every school (hundreds per page): ids and category codes need no
    # quoting, so only other values go through urlencode.
    parts = []
    for key, value in params.items():
        if value in (None, ""):
            continue
        if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isidentifier()):
            parts.append(f"{key}={value}")
        else:
            parts.append(urlencode({key: value}))
    return _path(name) + (f"?{'&'.join(parts)}" if parts else "")


def staffing_figures(schools: list[dict], staffing: dict, students_per_teacher) -> dict[int, dict[str, Figure]]:
    """The three staffing indicators from `rules.staffing_status` rows; `students_per_teacher`
    is the round's ratio (default 800, the rule's)."""
    per = int(students_per_teacher or rules.STUDENTS_PER_PSYCHOLOGY_TEACHER)
    out = {}
    for school in schools:
        s = staffing[school["id"]]
        students = s["student_count"] or 0
        own = s["full_time_psychology"] + s["part_time_psychology"]
        required = -(-students // per) if students > 0 else 0
        small = students < rules.COVERAGE_ALLOWED_BELOW
        covered_by = s["covered_by"] if small else None
        url = _url("reports:staffing", district=school["district_id"], school=school["id"])
        short = own < required
        ratio_note = ""
        if short and covered_by:
            ratio_note = _("Covered by %(who)s (aid / visiting teacher)") % {"who": covered_by}
        out[school["id"]] = {
            "staffing_ratio": Figure(
                value=students,
                numerator=own,
                denominator=required,
                source_url=url,
                note=str(ratio_note),
            ),
            "staffing_full_time": Figure(
                value=s["full_time_psychology"],
                source_url=url,
                applies=students > rules.FULL_TIME_PSYCHOLOGY_TEACHER_ABOVE,
            ),
            "staffing_coverage": Figure(
                value=(not short) or bool(covered_by),
                source_url=url,
                note=str(
                    _("Own teachers suffice")
                    if not short
                    else (
                        _("Covered by %(who)s (aid / visiting teacher)") % {"who": covered_by}
                        if covered_by
                        else _("No partner-school aid or visiting teacher in force")
                    )
                ),
                applies=small,
            ),
        }
        # The ratio's verdict reads `covered` from here (see `verdict`).
        out[school["id"]]["staffing_ratio_covered"] = bool(short and covered_by)
    return out


def _delivery_rows(school_ids: list[int], period: Period, on: datetime.date) -> dict[int, dict]:
    """`rules.rollup` by school for each semester of the period; counts summed over them, the
    vocational periods (a yearly count) taken from the last semester."""
    classes = SchoolClass.objects.filter(school_id__in=school_ids)
    merged: dict[int, dict] = {}
    last = len(period.terms) - 1
    for index, term in enumerate(period.terms):
        if term.start_date > on:
            continue
        for row in _rollup_by_school(classes, term, on):
            into = merged.setdefault(row["school_id"], {"terms": 0})
            into["terms"] += 1
            for key, value in row.items():
                if not isinstance(value, int) or key.startswith("school"):
                    continue
                if key.startswith("career"):
                    if index == last or key not in into:
                        into[key] = value
                else:
                    into[key] = into.get(key, 0) + value
            into["schools_with_parent_lecture"] = into.get("schools_with_parent_lecture", 0)
    return merged


def _rollup_by_school(classes, term, on: datetime.date) -> list[dict]:
    """`rules.rollup` by school, kept in the delivery report's figures cache (decision 0039): the
    same generation counter drops it on any class log, tally, lecture, class, school or semester
    change, and the key holds the schools' classes (so the scope), the semester and the day."""
    try:
        selection = str(classes.query)
    except EmptyResultSet:
        return []
    return figures_cache.cached(
        ("evaluation-rollup-by-school", selection, term.pk, on.isoformat()),
        lambda: list(rules.rollup(classes, term, by="school", on=on)),
    )


def _parent_lectures(school_ids: list[int], period: Period, on: datetime.date) -> dict[int, int]:
    """Parent lectures per school over the period (for a year: the fewest in any semester, since
    the standard is one per semester). One query."""
    from tracking.delivery.models import ParentLecture

    until = min(on, period.end)
    rows = (
        ParentLecture.objects.active()
        .filter(school_id__in=school_ids, date__gte=period.start, date__lte=until)
        .order_by()
        .values("school_id", "date")
    )
    per_term: dict[int, dict[int, int]] = {}
    for row in rows:
        term = next((t.pk for t in period.terms if t.start_date <= row["date"] <= t.end_date), None)
        if term is not None:
            counts = per_term.setdefault(row["school_id"], {})
            counts[term] = counts.get(term, 0) + 1
    started = [t.pk for t in period.terms if t.start_date <= on]
    return {school_id: min((counts.get(t, 0) for t in started), default=0) for school_id, counts in per_term.items()}


def delivery_figures(
    schools: list[dict], period: Period, on: datetime.date
) -> tuple[dict[int, dict[str, Figure]], dict[int, int]]:
    ids = [s["id"] for s in schools]
    rows = _delivery_rows(ids, period, on)
    lectures = _parent_lectures(ids, period, on)
    term = period.terms[-1] if period.kind == "year" else period.terms[0]
    out = {}
    for school in schools:
        r = rows.get(school["id"], {})
        url = _url("reports:delivery", term=term.pk, district=school["district_id"], school=school["id"])
        classes = r.get("classes", 0)
        key_classes = r.get("key_classes", 0)
        on_track = key_classes - r.get("classes_behind_on_lessons", 0)
        with_meeting = classes - r.get("classes_without_theme_meeting", 0)
        with_activity = classes - r.get("classes_without_special_activity", 0)
        career_classes = r.get("career_classes", 0)
        vocational = school["school_type"] == School.SchoolType.VOCATIONAL
        out[school["id"]] = {
            "lessons": Figure(
                value=percent(on_track, key_classes),
                numerator=on_track,
                denominator=key_classes,
                source_url=url,
                note=str(
                    _("%(lessons)s lessons delivered, %(due)s due so far")
                    % {"lessons": r.get("lessons", 0), "due": r.get("lessons_due", 0)}
                )
                if key_classes
                else str(_("No key-grade classes")),
                applies=key_classes > 0,
            ),
            "theme_meetings": Figure(
                value=percent(with_meeting, classes),
                numerator=with_meeting,
                denominator=classes,
                source_url=url,
                applies=classes > 0,
                note="" if classes else str(_("No classes")),
            ),
            "special_activities": Figure(
                value=percent(with_activity, classes),
                numerator=with_activity,
                denominator=classes,
                source_url=url,
                applies=classes > 0,
                note="" if classes else str(_("No classes")),
            ),
            "vocational_career": Figure(
                value=percent(r.get("career_periods", 0), r.get("career_expected", 0)),
                numerator=r.get("career_periods", 0),
                denominator=r.get("career_expected", 0),
                source_url=url,
                applies=vocational and career_classes > 0,
                note=str(_("Periods delivered / 36 per grade-1 class"))
                if vocational and career_classes
                else (str(_("No grade-1 classes")) if vocational else ""),
            ),
            "family_visits": Figure(
                value=percent(r.get("families_visited", 0), r.get("families", 0)),
                numerator=r.get("families_visited", 0),
                denominator=r.get("families", 0),
                source_url=url,
                applies=r.get("families", 0) > 0,
                note="" if r.get("families", 0) else str(_("No families recorded")),
            ),
            "parent_lectures": Figure(
                value=lectures.get(school["id"], 0),
                source_url=_url("reports:parents", district=school["district_id"], school=school["id"]),
                note=str(_("The fewest in any semester of the year")) if period.kind == "year" else "",
            ),
        }
    return out, {sid: r.get("terms", 0) for sid, r in rows.items()}


def training_figures(schools: list[dict], period: Period) -> dict[int, dict[str, Figure]]:
    year = period.training_year
    out: dict[int, dict[str, Figure]] = {s["id"]: {} for s in schools}
    ids = [s["id"] for s in schools]
    counts = {}
    if year is not None:
        # One query for the three categories (grouped by school and category): one pass over the
        # schools' teachers of the year instead of one per category.
        teachers = with_year_school(
            TeacherProfile.objects.filter(category__in=list(TRAINING_CATEGORIES.values())),
            year,
            Q(**{f"{YEAR_SCHOOL}_id__in": ids}),
        )
        counts = completion_rollup(teachers, year, "school", school_path=YEAR_SCHOOL, and_category=True)
    for key, category in TRAINING_CATEGORIES.items():
        for school in schools:
            c = counts.get((school["id"], str(category)), {})
            with_target = c.get("met", 0) + c.get("in_progress", 0) + c.get("not_met", 0)
            out[school["id"]][key] = Figure(
                value=percent(c.get("met", 0), with_target),
                numerator=c.get("met", 0),
                denominator=with_target,
                source_url=_url(
                    "reports:completion",
                    year=year.pk if year else "",
                    district=school["district_id"],
                    school=school["id"],
                    category=category,
                ),
                applies=with_target > 0,
                note=(str(year) if year else "") if with_target else str(_("No such teachers with a target")),
            )
    return out


def parent_school_figures(schools: list[dict]) -> dict[int, dict[str, Figure]]:
    ids = [s["id"] for s in schools]
    parents = dict(
        ParentProfile.objects.filter(school_id__in=ids)
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    enrolled = dict(
        Enrolment.objects.filter(user__parent_profile__school_id__in=ids)
        .exclude(course__parent_age_stages="")
        .order_by()
        .values("user__parent_profile__school_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("user__parent_profile__school_id", "n")
    )
    out = {}
    for school in schools:
        n, e = parents.get(school["id"], 0), enrolled.get(school["id"], 0)
        out[school["id"]] = {
            "parent_school": Figure(
                value=percent(e, n),
                numerator=e,
                denominator=n,
                source_url=_url("reports:parents", district=school["district_id"], school=school["id"]),
                note="" if n else str(_("No registered parents")),
            )
        }
    return out


def campaign_figures(schools: list[dict], period: Period, on: datetime.date) -> dict[int, dict[str, Figure]]:
    """Campaign activities the school reported in the period. The model lives in cms.campaigns,
    above this app: read through the app registry, not imported."""
    ids = [s["id"] for s in schools]
    activity = apps.get_model("campaigns", "CampaignActivity")
    held = dict(
        activity.objects.filter(school_id__in=ids, date__gte=period.start, date__lte=min(on, period.end))
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    url = _path("campaigns:activities")
    return {s["id"]: {"campaign_activities": Figure(value=held.get(s["id"], 0), source_url=url)} for s in schools}


def _missing_entry(indicator: ind.Indicator) -> Figure:
    return Figure(value=None, note=str(_("No approved entry")))


# --- the whole computation ----------------------------------------------------------------------
def compute(
    schools: QuerySet[School] | list[int],
    period: Period,
    thresholds: dict | None = None,
    on: datetime.date | None = None,
) -> list[Scorecard]:
    """Scorecards of `schools` (a queryset or ids) for `period`, in the schools' code order."""
    on = on or timezone.localdate()
    limits = ind.thresholds(thresholds)
    base = schools.order_by() if isinstance(schools, QuerySet) else School.objects.filter(pk__in=list(schools))
    # 1 query: the schools' columns and their staffing counts (the rule's SQL).
    staffing_rows = list(
        rules.staffing_status(base, on=on)
        .order_by("code", "pk")
        .values(*SCHOOL_FIELDS, "full_time_psychology", "part_time_psychology", "covered_by")
    )
    if not staffing_rows:
        return []
    school_rows = [{k: r[k] for k in SCHOOL_FIELDS} for r in staffing_rows]
    ids = [s["id"] for s in school_rows]
    staffing = {r["id"]: r for r in staffing_rows}

    figures: dict[int, dict[str, Figure]] = {sid: {} for sid in ids}
    covered: dict[int, bool] = {}
    for sid, found in staffing_figures(school_rows, staffing, limits["staffing_ratio"]).items():
        covered[sid] = found.pop("staffing_ratio_covered")
        figures[sid].update(found)
    delivered, _terms = delivery_figures(school_rows, period, on)
    for part in (
        delivered,
        training_figures(school_rows, period),
        parent_school_figures(school_rows),
        campaign_figures(school_rows, period, on),
    ):
        for sid, found in part.items():
            figures[sid].update(found)
    provided = registry.provided_figures(ids, period)
    statuses = registry.provided_status(ids)

    running_for = {
        "period": not period.is_over(on),
        "year": on <= period.academic_year.end_date,
        "training": period.training_year is not None and not period.training_year.has_ended(on),
    }
    cards = []
    for school in school_rows:
        sid = school["id"]
        extra = {k: v for k, v in provided.get(sid, {}).items() if k in ind.BY_KEY}
        rows = []
        view = _SchoolView(school)
        for indicator in ind.INDICATORS:
            figure = extra.get(indicator.key) or figures[sid].get(indicator.key) or _missing_entry(indicator)
            if not indicator.applies(view):
                figure = Figure(
                    value=None, source_url=figure.source_url, note=str(indicator.applies_note), applies=False
                )
            threshold = limits.get(indicator.key)
            if indicator.key == "staffing_ratio" and figure.applies and covered.get(sid):
                result = Verdict.MET  # a small school short of its own teachers, covered by aid
            else:
                result = verdict(indicator, figure, threshold, running=_running(indicator, running_for))
            rows.append(Row(indicator, threshold, figure, result))
        counts = dict.fromkeys(Verdict.ORDER, 0)
        for row in rows:
            counts[row.verdict] += 1
        cards.append(Scorecard(school=school, period=period, rows=rows, status=statuses.get(sid), counts=counts))
    return cards


# Which clock decides whether a rule not yet met is "in progress" rather than "not met":
# semester-wide rules run to the period's end, yearly ones to the year's; lessons are already
# judged against what is due so far, staffing and approved entries are snapshots.
NEVER_RUNNING = {"lessons", "staffing_ratio", "staffing_full_time", "staffing_coverage"}


def _running(indicator: ind.Indicator, running_for: dict) -> bool:
    if indicator.key in NEVER_RUNNING or indicator.source == ind.Source.ENTRY:
        return False
    if indicator.group == ind.Group.TRAINING:
        return running_for["training"]
    if indicator.key == "vocational_career":
        return running_for["year"]
    return running_for["period"]


class _SchoolView:
    """What `Indicator.applies` reads (school_type, student_count) from a values() row."""

    __slots__ = ("school_type", "student_count")

    def __init__(self, row: dict):
        self.school_type = row["school_type"]
        self.student_count = row["student_count"]
