"""The maintained per-class, per-semester roll-up of the class logs (docs/decisions/0027).

`ClassTermTotal` is a cache of `ClassActivity`: one row per class and semester that has active
logs, with the counts the delivery rules read. `tracking.delivery.totals` keeps it equal to the
logs in the same transaction as every write; the logs stay the source of truth.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import SchoolClass, Term


class ClassTermTotal(models.Model):
    """What one class delivered in one semester (active logs only; counts, no names).

    A log belongs to the semester of its class's academic year that contains its date; a log
    dated between semesters (or before the first / after the last) belongs to the semester that
    starts last on or before its date (else the first). `lessons`, `theme_meetings` and
    `special_activities` count only logs dated inside the semester; `career_periods` sums the
    career-course periods of the row's logs dated inside the academic year, and
    `year_career_periods` those of all the class's rows of the year (the career course is counted
    per academic year), so the report reads ONE row per class. A class with any log in a year
    has a row for every semester of that year (zeros where it logged nothing).
    """

    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="term_totals"
    )
    term = models.ForeignKey(Term, verbose_name=_("semester"), on_delete=models.CASCADE, related_name="+")
    lessons = models.PositiveIntegerField(_("psychology activity lessons"), default=0)
    theme_meetings = models.PositiveIntegerField(_("theme class meetings"), default=0)
    special_activities = models.PositiveIntegerField(_("special activities"), default=0)
    career_periods = models.PositiveIntegerField(_("career-course periods"), default=0)
    year_career_periods = models.PositiveIntegerField(_("career-course periods of the academic year"), default=0)
    logs = models.PositiveIntegerField(_("active logs"), default=0)
    # The latest date of the row's active logs: a report "as of" an earlier day reads the logs instead.
    last_date = models.DateField(_("latest log date"), null=True)

    class Meta:
        verbose_name = _("class delivery total")
        verbose_name_plural = _("class delivery totals")
        constraints = [models.UniqueConstraint(fields=["school_class", "term"], name="unique_class_term_total")]
        indexes = [models.Index(fields=["last_date"], name="class_term_total_last_date")]

    def __str__(self) -> str:
        return f"{self.school_class_id} {self.term_id}: {self.logs}"
