"""The period a scorecard covers: one semester (学期) or one academic year (学年).

Semester-wide rules (lessons, meetings, activities, visits, lectures) are read per semester
(for a year: every semester of it, summed); yearly rules (training, vocational 36 periods)
over the year the period falls in. `key` is what URLs carry: "t<term id>" or "y<academic year id>".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AcademicYear, Term, TrainingYear


@dataclass(frozen=True)
class Period:
    kind: str  # "term" | "year"
    academic_year: AcademicYear
    terms: tuple[Term, ...]  # the semester, or every semester of the year (by start date)
    training_year: TrainingYear | None

    @property
    def key(self) -> str:
        return f"t{self.terms[0].pk}" if self.kind == "term" else f"y{self.academic_year.pk}"

    @property
    def start(self) -> datetime.date:
        return self.terms[0].start_date if self.kind == "term" else self.academic_year.start_date

    @property
    def end(self) -> datetime.date:
        return self.terms[0].end_date if self.kind == "term" else self.academic_year.end_date

    @property
    def term(self) -> Term | None:
        return self.terms[0] if self.kind == "term" else None

    def is_over(self, on: datetime.date | None = None) -> bool:
        return (on or timezone.localdate()) > self.end

    def __str__(self) -> str:
        return str(self.terms[0]) if self.kind == "term" else str(self.academic_year)


def _training_year_for(day: datetime.date) -> TrainingYear | None:
    return (
        TrainingYear.objects.filter(start_date__lte=day, end_date__gte=day).first()
        or TrainingYear.objects.filter(start_date__lte=day).order_by("-start_date").first()
        or TrainingYear.objects.order_by("start_date").first()
    )


def training_year_on(day: datetime.date) -> TrainingYear | None:
    """The training year in force on `day` (else the latest begun, else the first)."""
    return _training_year_for(day)


def for_term(term: Term) -> Period:
    # Training years are calendar years: the one the semester ends in (a spring semester's
    # year; an autumn semester ends in January of the next, so take its start's year then).
    day = term.end_date if term.number == Term.Number.SECOND else term.start_date
    return Period("term", term.academic_year, (term,), _training_year_for(day))


def for_year(academic_year: AcademicYear) -> Period:
    terms = tuple(
        Term.objects.filter(academic_year=academic_year).select_related("academic_year").order_by("start_date")
    )
    if not terms:
        raise Http404(_("No such period."))
    return Period("year", academic_year, terms, _training_year_for(academic_year.end_date))


def current(on: datetime.date | None = None) -> Period | None:
    term = Term.current(on) or Term.objects.select_related("academic_year").order_by("-start_date").first()
    return for_term(term) if term is not None else None


def from_key(key: str | None) -> Period | None:
    """The period a URL names ("t12" / "y3"); none given: the current semester. Bad keys: 404."""
    if not key:
        return current()
    kind, raw = key[:1], key[1:]
    if not raw.isdigit() or kind not in {"t", "y"}:
        raise Http404(_("No such period."))
    if kind == "t":
        term = Term.objects.select_related("academic_year").filter(pk=raw).first()
        if term is None:
            raise Http404(_("No such period."))
        return for_term(term)
    year = AcademicYear.objects.filter(pk=raw).first()
    if year is None:
        raise Http404(_("No such period."))
    return for_year(year)


def choices() -> list[tuple[str, str]]:
    """Every semester and academic year, newest first, for the period filter."""
    out = []
    terms = list(Term.objects.select_related("academic_year").order_by("-start_date"))
    seen = set()
    for term in terms:
        if term.academic_year_id not in seen:
            seen.add(term.academic_year_id)
            out.append((f"y{term.academic_year_id}", str(_("%(year)s (whole year)") % {"year": term.academic_year})))
        out.append((f"t{term.pk}", str(term)))
    return out
