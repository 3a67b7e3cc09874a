"""Rounds and applications: open / edit a round, then submit → recommend or return → award or refuse.

Every step checks who acts (scope, and never on one's own submission), writes a `Decision`
row and an audit event in the same transaction, and leaves nothing half-saved when it refuses.

Checks on a round (issue 16, "Bad input"):
1. the round closes on or after the day it opens;
2. it does not overlap another round of the same kind;
3. its thresholds are sound for each indicator (evaluation.indicators.check_thresholds: known
   key, a number, not negative, a share ≤ 100 %, students per teacher > 0), and are set only
   for indicators in the round's set, which is not empty;
4. a 示范 round is at least as strict as the 达标 standard (the latest 达标 round, or the
   defaults) on every indicator they share, and a 达标 round no stricter than an open 示范
   round: "at least" indicators by a higher number, students per teacher by a lower one.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import audit
from evaluation import indicators as ind

from .models import Application, Decision, Round, RoundKind


class NotAllowed(Exception):
    """Refused: the message (Chinese) says why."""


# --- rounds ---------------------------------------------------------------------------------------
def _stricter_or_equal(indicator, demonstration: Decimal, standard: Decimal) -> bool:
    if indicator.unit == ind.Unit.STUDENTS:  # one teacher per N students: fewer students is stricter
        return demonstration <= standard
    return demonstration >= standard


def effective(round_: Round | None, keys=None) -> dict:
    """The thresholds a round judges with: the defaults under its overrides."""
    merged = ind.thresholds(dict((round_.thresholds if round_ else None) or {}))
    return {k: v for k, v in merged.items() if keys is None or k in keys}


def round_problems(*, kind, opens_on, closes_on, keys, thresholds, exclude_pk=None) -> list[str]:
    errors: list[str] = []
    if opens_on and closes_on and closes_on < opens_on:
        errors.append(_("The round must close on or after the day it opens."))
    if opens_on and closes_on and kind:
        clash = (
            Round.objects.filter(kind=kind, opens_on__lte=closes_on, closes_on__gte=opens_on)
            .exclude(pk=exclude_pk)
            .first()
        )
        if clash is not None:
            errors.append(
                _("These dates overlap the round “%(title)s” (%(start)s – %(end)s) of the same kind.")
                % {"title": clash.title, "start": clash.opens_on, "end": clash.closes_on}
            )
    if not keys:
        errors.append(_("Choose at least one indicator for the round."))
    for key in thresholds:
        if key not in keys:
            errors.append(
                _("%(label)s has a threshold but is not in the round's indicator set.")
                % {"label": ind.get(key).label if key in ind.BY_KEY else key}
            )
    errors.extend(ind.check_thresholds(thresholds))
    # The checks against the other rounds read every threshold that is sound on its own, so the
    # form shows every reason at once; an unsound one is reported above and not compared.
    unsound = {key for key, value in thresholds.items() if ind.check_thresholds({key: value})}
    mine = ind.thresholds({k: v for k, v in thresholds.items() if k not in unsound})
    keys = [key for key in keys if key in ind.BY_KEY and key not in unsound]
    if kind == RoundKind.DEMONSTRATION:
        standard_round = Round.objects.filter(kind=RoundKind.STANDARD).exclude(pk=exclude_pk).first()
        reference = effective(standard_round)
        for key in keys:
            indicator = ind.get(key)
            if mine[key] is None or reference.get(key) is None:
                continue
            if not _stricter_or_equal(indicator, Decimal(mine[key]), Decimal(reference[key])):
                errors.append(
                    _(
                        "%(label)s: the demonstration threshold (%(mine)s) is below the standard's (%(standard)s); "
                        "a demonstration school must meet at least the standard."
                    )
                    % {
                        "label": indicator.label,
                        "mine": ind._number(mine[key]),
                        "standard": ind._number(reference[key]),
                    }
                )
    elif kind == RoundKind.STANDARD:
        for other in Round.objects.filter(kind=RoundKind.DEMONSTRATION, state=Round.State.OPEN).exclude(pk=exclude_pk):
            theirs = effective(other)
            for key in set(keys) & set(other.indicators or []):
                indicator = ind.get(key)
                if mine[key] is None or theirs.get(key) is None:
                    continue
                if not _stricter_or_equal(indicator, Decimal(theirs[key]), Decimal(mine[key])):
                    errors.append(
                        _(
                            "%(label)s: this standard (%(mine)s) would be stricter than the open demonstration "
                            "round “%(title)s” (%(theirs)s)."
                        )
                        % {
                            "label": indicator.label,
                            "mine": ind._number(mine[key]),
                            "theirs": ind._number(theirs[key]),
                            "title": other.title,
                        }
                    )
    return errors


def save_round(*, actor, round_: Round | None, data: dict) -> Round:
    """Open a round or change an open one; ValidationError (every problem) and nothing saved."""
    creating = round_ is None
    if not creating and not round_.is_open:
        raise ValidationError(_("A closed round can no longer be changed."))
    thresholds = {k: str(v) for k, v in (data.get("thresholds") or {}).items() if v is not None and v != ""}
    keys = list(data.get("indicators") or [])
    with transaction.atomic():
        # Lock the rounds of this kind so two coordinators cannot open overlapping rounds at once.
        list(Round.objects.select_for_update().filter(kind=data["kind"]).values_list("pk", flat=True))
        errors = round_problems(
            kind=data["kind"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            keys=keys,
            thresholds=thresholds,
            exclude_pk=None if creating else round_.pk,
        )
        if errors:
            raise ValidationError(errors)
        before = None if creating else _round_state(round_)
        if creating:
            round_ = Round(created_by=actor)
        for name in ("kind", "title", "opens_on", "closes_on"):
            setattr(round_, name, data[name])
        round_.indicators = keys
        round_.thresholds = thresholds
        round_.save()
        audit.record(
            actor=actor,
            action="round.open" if creating else "round.edit",
            obj=round_,
            summary=round_.title,
            before=before,
            after=_round_state(round_),
        )
    return round_


def close_round(*, actor, round_: Round) -> None:
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if not round_.is_open:
            return
        round_.state = Round.State.CLOSED
        round_.save(update_fields=["state"])
        audit.record(actor=actor, action="round.close", obj=round_, summary=round_.title)


def close_consequences(round_: Round) -> list[str]:
    """What closing does, in the words the confirmation page shows (with this round's counts)."""
    counts = dict(Application.objects.filter(round=round_).values_list("status").annotate(n=Count("id")).order_by())
    unsent = counts.get(Application.Status.DRAFT, 0) + counts.get(Application.Status.RETURNED, 0)
    waiting = counts.get(Application.Status.SUBMITTED, 0) + counts.get(Application.Status.RECOMMENDED, 0)
    return [
        _("Schools can no longer submit or resubmit a self-assessment in this round.")
        + " "
        + ngettext(
            "%(n)s school has started but not submitted, or was returned and has not resubmitted.",
            "%(n)s schools have started but not submitted, or were returned and have not resubmitted.",
            unsent,
        )
        % {"n": unsent},
        _("The round's dates, indicators and standards can no longer be changed, and it cannot be reopened."),
        _("Submitted self-assessments can still be reviewed and decided: %(n)s waiting.") % {"n": waiting},
    ]


def _round_state(round_: Round) -> dict:
    return {
        "kind": round_.kind,
        "title": round_.title,
        "opens_on": str(round_.opens_on),
        "closes_on": str(round_.closes_on),
        "indicators": list(round_.indicators or []),
        "thresholds": dict(round_.thresholds or {}),
    }


# --- applications ------------------------------------------------------------------------------------
def visible_rounds(scope):
    if not scope.is_coordinator:
        return Round.objects.none()
    return Round.objects.all()


def _last(application: Application, *actions) -> Decision | None:
    return application.decisions.filter(action__in=actions).order_by("-at", "-id").first()


def _record(application, actor, action, reason="", valid_until=None):
    Decision.objects.create(application=application, action=action, actor=actor, reason=reason, valid_until=valid_until)
    audit.record(
        actor=actor,
        action=f"application.{action}",
        obj=application,
        school=application.school_id,
        summary=f"{application.round.title} · {application.school.name}",
        after={"status": application.status, "reason": reason, "valid_until": str(valid_until or "")},
    )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("round", "school").get(pk=application.pk)


def may_submit(scope, application: Application) -> str | None:
    if application.school_id not in scope.school_ids:
        return _("Only the school's own coordinator submits its self-assessment.")
    if not application.round.is_open:
        return _("This round is closed.")
    today = timezone.localdate()
    if not (application.round.opens_on <= today <= application.round.closes_on):
        return _("Self-assessments are submitted between %(start)s and %(end)s.") % {
            "start": application.round.opens_on,
            "end": application.round.closes_on,
        }
    if application.status not in (Application.Status.DRAFT, Application.Status.RETURNED):
        return _("This self-assessment has already been submitted.")
    return None


def submit(*, scope, application: Application, statement: str, snapshot: dict) -> Application:
    with transaction.atomic():
        if application.pk is None:  # the school's first submission in this round
            application, _created = Application.objects.get_or_create(
                round=application.round, school=application.school
            )
        application = _locked(application)
        problem = may_submit(scope, application)
        if problem:
            raise NotAllowed(problem)
        application.statement = statement.strip()
        application.snapshot = snapshot
        application.status = Application.Status.SUBMITTED
        application.save()
        _record(application, scope.user, Decision.Action.SUBMIT, reason=application.statement[:500])
    return application


def may_review(scope, application: Application) -> str | None:
    if application.status != Application.Status.SUBMITTED:
        return _("Only a submitted self-assessment can be reviewed.")
    if not (scope.city or application.school.district_id in scope.district_ids):
        return _("The school's district reviews its self-assessment.")
    submitted = _last(application, Decision.Action.SUBMIT)
    if submitted is not None and submitted.actor_id == scope.user.pk:
        return _("You submitted this self-assessment: another coordinator reviews it.")
    return None


def review(*, scope, application: Application, recommend: bool, reason: str) -> Application:
    with transaction.atomic():
        application = _locked(application)
        problem = may_review(scope, application)
        if problem:
            raise NotAllowed(problem)
        if not recommend and not reason.strip():
            raise NotAllowed(_("Say why the self-assessment is returned, so the school can correct it."))
        application.status = Application.Status.RECOMMENDED if recommend else Application.Status.RETURNED
        application.save(update_fields=["status", "updated_at"])
        action = Decision.Action.RECOMMEND if recommend else Decision.Action.RETURN
        _record(application, scope.user, action, reason=reason.strip())
    return application


def may_decide(scope, application: Application) -> str | None:
    if application.status != Application.Status.RECOMMENDED:
        return _("Only a school the district recommended can be decided.")
    if not scope.city:
        return _("The city decides.")
    earlier = {d.actor_id for d in application.decisions.filter(action__in=["submit", "recommend"])}
    if scope.user.pk in earlier:
        return _("You submitted or recommended this school: another city coordinator decides.")
    return None


def decide(
    *, scope, application: Application, award: bool, reason: str, valid_until: datetime.date | None
) -> Application:
    with transaction.atomic():
        application = _locked(application)
        problem = may_decide(scope, application)
        if problem:
            raise NotAllowed(problem)
        reason = reason.strip()
        if not reason:
            raise NotAllowed(_("Say why: the decision is recorded with its reason."))
        if award and (valid_until is None or valid_until <= timezone.localdate()):
            raise NotAllowed(_("An award needs a valid-until date in the future."))
        application.status = Application.Status.AWARDED if award else Application.Status.REFUSED
        application.valid_until = valid_until if award else None
        application.save(update_fields=["status", "valid_until", "updated_at"])
        action = Decision.Action.AWARD if award else Decision.Action.REFUSE
        _record(application, scope.user, action, reason=reason, valid_until=application.valid_until)
    return application


def current_awards(school_ids, on: datetime.date | None = None) -> dict[int, Application]:
    """Each school's standing award (demonstration before standard, then the latest): one query."""
    on = on or timezone.localdate()
    out: dict[int, Application] = {}
    rows = (
        Application.objects.filter(
            Q(valid_until__gte=on), school_id__in=list(school_ids), status=Application.Status.AWARDED
        )
        .select_related("round")
        .order_by("school_id", "-valid_until", "-id")
    )
    for application in rows:
        held = out.get(application.school_id)
        if held is None or (
            held.round.kind == RoundKind.STANDARD and application.round.kind == RoundKind.DEMONSTRATION
        ):
            out[application.school_id] = application
    return out
