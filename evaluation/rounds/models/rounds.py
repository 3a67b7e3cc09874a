"""Evaluation rounds (评估轮次): the city opens a round, schools self-assess, districts recommend,
the city decides.

The policy (seed, "加强评估督导"): the city evaluates schools against the standard (达标评估) and
every two years runs a demonstration-school round (示范校); schools that hold either status are
re-evaluated dynamically (动态评估).

A round carries its own indicator set and thresholds as data (`indicators`: indicator keys;
`thresholds`: indicator key → number as text, over the defaults of `evaluation.indicators`),
so the scorecard of a school in that round is computed with the round's numbers. Every step
of an application is a `Decision` row (who, when, why) besides the audit trail; an awarded
application gives the school its status until `valid_until`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import School

DEMONSTRATION_CYCLE_YEARS = 2  # 每2年开展一轮示范校评估


class RoundKind(models.TextChoices):
    STANDARD = "standard", _("standard school (达标校)")
    DEMONSTRATION = "demonstration", _("demonstration school (示范校)")


class Round(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    kind = models.CharField(_("kind"), max_length=16, choices=RoundKind.choices)
    title = models.CharField(_("title"), max_length=120)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    indicators = models.JSONField(_("indicators"), default=list)
    thresholds = models.JSONField(_("thresholds"), default=dict)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="round_closes_after")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Application(models.Model):
    """One school's part in one round: its self-assessment and where it stands."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("self-assessment in progress")
        SUBMITTED = "submitted", _("waiting for the district")
        RETURNED = "returned", _("returned to the school")
        RECOMMENDED = "recommended", _("recommended to the city")
        AWARDED = "awarded", _("awarded")
        REFUSED = "refused", _("refused")

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="applications")
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    statement = models.TextField(_("self-assessment statement"), max_length=2000, blank=True)
    # The scorecard as the school saw it when it submitted (indicator key → figure / verdict).
    snapshot = models.JSONField(_("scorecard when submitted"), default=dict, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["round", "school__district__sort_order", "school__code"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["round", "school"], name="one_application_per_round")]

    def __str__(self) -> str:
        return f"{self.round} · {self.school}"


class Decision(models.Model):
    """Who did what to an application, when and why. Rows are only ever added."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("submitted the self-assessment")
        RECOMMEND = "recommend", _("recommended")
        RETURN = "return", _("returned")
        AWARD = "award", _("awarded")
        REFUSE = "refuse", _("refused")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="decisions"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), max_length=500, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_action_display()}"
