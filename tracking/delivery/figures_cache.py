"""The delivery report's figures, cached per selection and generation (docs/decisions/0039).

The city page's figures are an aggregate over every class of the city (20,000 on the
generated city); the page and its chart endpoint asked for the same numbers one after the
other, and every coordinator asked again. `cached(parts, compute)` keeps the computed figures
under a key made of the *delivery* generation (`cms.core.versions`) and a digest of `parts`,
which the caller makes from everything that selects the figures: the SQL of the classes in
scope and in the selection (so a key never crosses scopes), the semester, the level and the
as-of day.

Every ORM write that can change a figure starts a new generation: class logs (and so the
maintained totals), family-visit tallies, parent lectures, classes, schools, districts,
semesters, breaks, academic years and key-grade settings — at once and again at commit, like
every generation counter. Writers that send no signal (`bulk_create`, COPY, raw SQL) call
`bump()` themselves (`rebuild_totals` does); anything else is seen after `TIMEOUT` seconds.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from accounts.models import AcademicYear, District, School, SchoolClass, Term
from cms.core import versions

from .models import ClassActivity, FamilyVisitTally, KeyGradeConfig, ParentLecture, TermBreak

GENERATION = "delivery"
TIMEOUT = 300  # seconds: the backstop for writes that bypass signals

WATCHED = (
    ClassActivity,
    FamilyVisitTally,
    ParentLecture,
    SchoolClass,
    School,
    District,
    Term,
    TermBreak,
    AcademicYear,
    KeyGradeConfig,
)


def bump(**_signal_kwargs) -> None:
    """Start a new generation: every cached delivery figure is recomputed on its next read."""
    versions.bump(GENERATION)


def cached(parts: tuple, compute):
    """`compute()`, or its value cached for the same `parts` in the current generation."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"delivery-figures:{versions.current(GENERATION)}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


for _model in WATCHED:
    post_save.connect(bump, sender=_model, dispatch_uid=f"delivery-figures.saved.{_model._meta.label_lower}")
    post_delete.connect(bump, sender=_model, dispatch_uid=f"delivery-figures.deleted.{_model._meta.label_lower}")
