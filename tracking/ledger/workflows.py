"""Ledger workflows with an audit trail: QR sign-in, claim decisions, corrections, targets.

Views call these; each writes ledger entries only through `services.record_entry` /
`services.record_correction`, so every credit stays idempotent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.models import TeacherProfile, TrainingYear
from accounts.scope import scope_for

from .models import Attendance, ExternalClaim, LedgerSource, OfflineSession, TrainingTarget
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
def decide_claim(claim: ExternalClaim, *, approve: bool, reason: str, user) -> ExternalClaim:
    """Approve (writes the ledger entry exactly once) or reject (needs a reason)."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise WorkflowError(_("Give a reason for the rejection."))
    with transaction.atomic():
        claim = ExternalClaim.objects.select_for_update().select_related("teacher", "training_year").get(pk=claim.pk)
        if claim.status != ExternalClaim.Status.PENDING:
            raise WorkflowError(_("This claim has already been decided."))
        _require_may_act(user, claim.teacher)
        if approve:
            entry, _created = record_entry(
                teacher=claim.teacher,
                training_year=claim.training_year,
                hours=claim.hours,
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
        claim.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "ledger_entry"])
        audit.record(
            actor=user,
            action="claim.approve" if approve else "claim.reject",
            obj=claim,
            school=claim.teacher.school_id,
            summary=(_("Approved %(hours)s hours for %(teacher)s") if approve else _("Rejected a claim of %(teacher)s"))
            % {"hours": claim.hours, "teacher": claim.teacher.user.display_name},
            after={"title": claim.title, "hours": claim.hours, "reason": reason, "teacher_id": claim.teacher_id},
        )
    return claim


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
