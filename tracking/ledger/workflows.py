"""Ledger workflows with an audit trail: QR sign-in, claim decisions, corrections, targets.

Views call these; each writes ledger entries only through `services.record_entry` /
`services.record_correction`, so every credit stays idempotent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.models import TeacherProfile, TrainingYear
from accounts.scope import scope_for

from ..notices.models import Notification
from ..notices.services import notify
from .models import Attendance, ExternalClaim, LedgerSource, OfflineSession, TrainingTarget, validate_half_hours
from .services import record_correction, record_entry

CHECKIN_SALT = "tracking.ledger.checkin"

# The ledger's entries in the audit trail, as coordinators read them (registered in TrackingConfig.ready).
AUDIT_ACTIONS = {
    "session.create": gettext_lazy("Session created"),
    "attendance.import": gettext_lazy("Sign-in sheet imported"),
    "claim.submit": gettext_lazy("Certificate submitted"),
    "claim.approve": gettext_lazy("Certificate approved"),
    "claim.reject": gettext_lazy("Certificate rejected"),
    "ledger.correction": gettext_lazy("Hours corrected"),
    "target.change": gettext_lazy("Target changed"),
    "teacher.nudge": gettext_lazy("Teachers reminded (催办)"),
}


class WorkflowError(Exception):
    """A refusal with a message for the user (already translated)."""


# Nobody acts on their own claim, ledger or attendance; a coordinator's go to the next level up.
ESCALATE_MESSAGE = gettext_lazy(
    "You cannot act on this record: it is your own, or that of a coordinator at your level or above. "
    "A coordinator at the next level up handles it."
)


def _require_may_act(user, teacher) -> None:
    if not scope_for(user).may_act_on(teacher):
        raise WorkflowError(str(ESCALATE_MESSAGE))


# --- QR sign-in ---------------------------------------------------------------------------
def checkin_margin() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "LEDGER_CHECKIN_MARGIN_MINUTES", 30))


def checkin_token(session: OfflineSession) -> str:
    return signing.dumps({"s": session.pk}, salt=CHECKIN_SALT, compress=True)


def session_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=CHECKIN_SALT)["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def checkin_window(session: OfflineSession) -> tuple[datetime.datetime, datetime.datetime]:
    margin = checkin_margin()
    return session.starts_at - margin, session.ends_at + margin


def check_in(session: OfflineSession, teacher: TeacherProfile | None, user, now=None) -> tuple[Attendance, bool]:
    """Record a QR sign-in once; refuse outside the time window or the session's audience."""
    now = now or timezone.now()
    opens, closes = checkin_window(session)
    if not opens <= now <= closes:
        raise WorkflowError(
            _("Sign-in for this session is open only from %(opens)s to %(closes)s.")
            % {
                "opens": timezone.localtime(opens).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if teacher is None:
        raise WorkflowError(_("Only teachers can sign in to training sessions."))
    if not session.in_audience(teacher.school_id, teacher.school.district_id):
        raise WorkflowError(_("This session is not for teachers of your school."))
    return record_attendance(session, teacher, Attendance.Method.QR, user, note=str(_("QR sign-in")))


def record_attendance(session: OfflineSession, teacher, method: str, recorded_by, note: str = ""):
    """One attendance and its ledger entry, once per (session, teacher): (attendance, created)."""
    with transaction.atomic():
        attendance, created = Attendance.objects.get_or_create(
            session=session,
            teacher=teacher,
            defaults={"hours": session.hours, "method": method, "recorded_by": recorded_by},
        )
        if created:
            record_entry(
                teacher=teacher,
                training_year=session.training_year,
                hours=session.hours,
                source=LedgerSource.OFFLINE_SESSION,
                source_ref=session.source_ref,
                title=session.title,
                activity_date=session.local_dates()[0],
                recorded_by=recorded_by,
                note=note,
            )
    return attendance, created


# --- external certificates ------------------------------------------------------------------
def decide_claim(
    claim: ExternalClaim, *, approve: bool, reason: str, user, hours: Decimal | None = None
) -> ExternalClaim:
    """Approve (writes the ledger entry exactly once) or reject (needs a reason).

    `hours` approves fewer hours than claimed (a certificate for 6 学时 of which 4 count):
    0.5 steps, less than claimed, with a reason the teacher reads. The teacher gets a notice."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise WorkflowError(_("Give a reason for the rejection."))
    with transaction.atomic():
        claim = ExternalClaim.objects.select_for_update().select_related("teacher", "training_year").get(pk=claim.pk)
        if claim.status != ExternalClaim.Status.PENDING:
            raise WorkflowError(_("This claim has already been decided."))
        _require_may_act(user, claim.teacher)
        if approve and hours is not None and hours != claim.hours:
            try:
                validate_half_hours(hours)
            except ValidationError:
                raise WorkflowError(_("Approved hours must be a multiple of 0.5."))
            if not Decimal("0.5") <= hours < claim.hours:
                raise WorkflowError(
                    _("Approved hours must be between 0.5 and the %(hours)s hours claimed.") % {"hours": claim.hours}
                )
            if not reason:
                raise WorkflowError(_("Say why fewer hours are approved than claimed."))
            claim.approved_hours = hours
        if approve:
            entry, _created = record_entry(
                teacher=claim.teacher,
                training_year=claim.training_year,
                hours=claim.credited_hours,
                source=LedgerSource.EXTERNAL_CERTIFICATE,
                source_ref=claim.source_ref,
                title=f"{claim.title}（{claim.organiser}）",
                activity_date=claim.activity_date,
                recorded_by=user,
                note=reason,
            )
            claim.ledger_entry = entry
        claim.status = ExternalClaim.Status.APPROVED if approve else ExternalClaim.Status.REJECTED
        claim.decided_by = user
        claim.decided_at = timezone.now()
        claim.decision_reason = reason
        claim.save(
            update_fields=["status", "decided_by", "decided_at", "decision_reason", "ledger_entry", "approved_hours"]
        )
        audit.record(
            actor=user,
            action="claim.approve" if approve else "claim.reject",
            obj=claim,
            school=claim.teacher.school_id,
            summary=(_("Approved %(hours)s hours for %(teacher)s") if approve else _("Rejected a claim of %(teacher)s"))
            % {"hours": claim.credited_hours, "teacher": claim.teacher.user.display_name},
            after={
                "title": claim.title,
                "hours": claim.credited_hours,
                "claimed_hours": claim.hours,
                "reason": reason,
                "teacher_id": claim.teacher_id,
            },
        )
        _notify_claim_decided(claim)
    return claim


def _notify_claim_decided(claim: ExternalClaim) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        if claim.status == ExternalClaim.Status.REJECTED:
            title = _("Your certificate was not approved: %(title)s") % {"title": claim.title}
            message = _("Reason: %(reason)s. You may submit a clearer certificate again.") % {
                "reason": claim.decision_reason
            }
        elif claim.approved_hours is not None:
            title = _("Your certificate was approved: %(title)s") % {"title": claim.title}
            message = _("%(approved)s of the %(claimed)s hours claimed were credited. Reason: %(reason)s") % {
                "approved": claim.approved_hours,
                "claimed": claim.hours,
                "reason": claim.decision_reason,
            }
        else:
            title = _("Your certificate was approved: %(title)s") % {"title": claim.title}
            message = _("%(hours)s hours were credited to your %(year)s training.") % {
                "hours": claim.hours,
                "year": claim.training_year.year,
            }
    notify(
        [claim.teacher.user_id],
        kind=Notification.Kind.CLAIM_DECIDED,
        period=f"claim:{claim.pk}",
        title=title,
        message=message,
        url=reverse("ledger:my_claims"),
    )


# --- corrections and targets ------------------------------------------------------------------
def correct(
    *, teacher: TeacherProfile, training_year: TrainingYear, hours: Decimal, reason: str, add_session: bool, user
):
    if not (reason or "").strip():
        raise WorkflowError(_("A correction needs a reason."))
    _require_may_act(user, teacher)
    with transaction.atomic():
        entry = record_correction(
            teacher=teacher,
            training_year=training_year,
            hours=hours,
            reason=reason.strip(),
            recorded_by=user,
            sessions_delta=1 if add_session else 0,
        )
        audit.record(
            actor=user,
            action="ledger.correction",
            obj=entry,
            school=teacher.school_id,
            summary=_("Corrected %(teacher)s by %(hours)s hours")
            % {"teacher": teacher.user.display_name, "hours": hours},
            after={"teacher_id": teacher.pk, "year": training_year.year, "hours": hours, "reason": reason},
        )
    return entry


def own_target_category(user) -> str | None:
    """The teacher category whose target this user may not change: their own (issue 9 #4)."""
    teacher = scope_for(user).teacher_profile
    return teacher.category if teacher is not None else None


def change_target(target: TrainingTarget, *, hours, sessions, user) -> bool:
    before = {"hours": target.hours, "sessions": target.sessions}
    if before == {"hours": hours, "sessions": sessions}:
        return False
    if target.category == own_target_category(user):
        raise WorkflowError(
            _(
                "You cannot change the target of your own teacher category (%(category)s): "
                "another city coordinator or an administrator does."
            )
            % {"category": target.get_category_display()}
        )
    target.hours, target.sessions = hours, sessions
    target.full_clean()
    with transaction.atomic():
        target.save(update_fields=["hours", "sessions"])
        audit.record(
            actor=user,
            action="target.change",
            obj=target,
            summary=_("Changed the %(year)s target for %(category)s")
            % {"year": target.training_year.year, "category": target.get_category_display()},
            before=before,
            after={"hours": hours, "sessions": sessions},
        )
    return True


# --- 催办: a coordinator reminds the teachers behind ------------------------------------------
def expected_percent(year: TrainingYear, on: datetime.date) -> Decimal:
    """Where a teacher on an even pace would be today: the share of the training year gone by."""
    days = (year.end_date - year.start_date).days or 1
    gone = min(max((on - year.start_date).days, 0), days)
    return (Decimal(gone) * 100 / days).quantize(Decimal("0.1"))


def nudge_period(on: datetime.date) -> str:
    """The rate limit: one 催办 per teacher per ISO week, whichever coordinator sends it."""
    iso = on.isocalendar()
    return f"nudge:{iso.year}-W{iso.week:02d}"


def nudge(teachers, *, year: TrainingYear, user, on: datetime.date | None = None) -> tuple[int, int]:
    """Remind these teachers (already limited to the coordinator's scope by the caller) to keep up.

    Returns (reminded, skipped): a teacher reminded this week already is skipped, so a second
    click, another coordinator or a reload sends nothing more. Audited once per click."""
    on = on or timezone.localdate()
    rows = list(teachers.values_list("pk", "user_id", "school_id", "school__district_id"))
    if not rows:
        return 0, 0
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Reminder from your training coordinator")
        message = _(
            "Your %(year)s training is behind pace. Please plan your remaining courses and sessions; "
            "your hours are on 我的研修."
        ) % {"year": year.year}
    reminded = notify(
        [row[1] for row in rows],
        kind=Notification.Kind.NUDGE,
        period=nudge_period(on),
        title=title,
        message=message,
        url=reverse("tracking:dashboard"),
    )
    # Whose coordinators read the event: the one school, else the one district, else the city.
    schools, districts = {row[2] for row in rows}, {row[3] for row in rows}
    audit.record(
        actor=user,
        action="teacher.nudge",
        school=schools.pop() if len(schools) == 1 else None,
        district=districts.pop() if len(schools) != 1 and len(districts) == 1 else None,
        summary=_("Reminded %(n)s teachers behind their %(year)s training") % {"n": reminded, "year": year.year},
        after={"teacher_ids": [row[0] for row in rows][:500], "reminded": reminded, "skipped": len(rows) - reminded},
    )
    return reminded, len(rows) - reminded
