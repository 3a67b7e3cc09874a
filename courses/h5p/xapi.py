"""xAPI statements from the H5P player: validated, stored once, and turned into lesson progress.

Rules (xAPI 1.0.3 "Statement" resource, as far as a single-activity endpoint needs them):

1. The statement is a JSON object with an `id` (UUID) given by the client: the id makes a
   retry harmless. Same id, same statement → nothing changes (204); same id with other
   content → 409 Conflict.
2. The actor is the signed-in learner: `mbox` is the pseudonymous address the player was given
   (`actor_mbox`); no name or e-mail of the learner ever leaves the server.
3. The verb is one of VERBS (ADL vocabulary H5P uses).
4. The object is this content's activity IRI, or one of its sub-contents (`?subContentId=`).
5. Only a top-level `answered` / `completed` / `passed` / `failed` with a score moves
   progress: its scaled score (raw / max, computed here, never the client's `scaled`) is
   compared with the block's pass mark. Content without a score (pass mark 0) is met by a
   top-level `completed`, `answered` or `experienced`.
6. A result is stored per (enrolment, lesson, content) by one upsert (its row lock orders
   concurrent posts); a first pass finishes the lesson only through
   `courses.services.complete_lesson_if_met`, which reaches the ledger through course
   completion (`record_entry`), so many posts at once credit hours once.
7. A POST may carry one statement (an object) or a batch (an array of up to MAX_BATCH, as the
   xAPI spec allows): a batch is checked whole and stored whole — one invalid statement or one
   id clash refuses all of it (400 / 409), as the spec says; duplicate ids inside a batch are
   refused.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .. import services
from ..models import Enrolment, H5PResult, H5PStatement, LessonPage, LessonProgress

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = frozenset(
    [
        "answered",
        "attempted",
        "completed",
        "experienced",
        "failed",
        "interacted",
        "passed",
        "progressed",
        "scored",
        "suspended",
        "resumed",
    ]
)
SCORING_VERBS = frozenset({"answered", "completed", "passed", "failed"})
UNSCORED_DONE_VERBS = frozenset({"answered", "completed", "experienced"})
MAX_STATEMENT_BYTES = 64 * 1024
MAX_BATCH = 50
MAX_BATCH_BYTES = 256 * 1024
# Properties the LRS sets or that may differ between two sendings of the same statement.
NOT_COMPARED = ("stored", "authority", "version")


class Invalid(Exception):
    """The statement is refused (400); the message says why."""


class Conflict(Exception):
    """A statement with this id but other content is already stored (409)."""


@dataclass
class Outcome:
    created: bool
    passed: bool = False
    lesson_done: bool = False
    course_completed: bool = False


def actor_mbox(user) -> str:
    """The learner's pseudonymous xAPI mailbox: stable, unique, and no personal data."""
    return mbox_for(user.pk)


def mbox_for(user_id: int) -> str:
    return f"mailto:learner-{user_id}@xinyu.invalid"


def digest(statement: dict) -> str:
    kept = {k: v for k, v in statement.items() if k not in NOT_COMPARED}
    canonical = json.dumps(kept, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse(body: bytes) -> dict:
    if len(body) > MAX_STATEMENT_BYTES:
        raise Invalid(_("The statement is too large."))
    try:
        statement = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Invalid(_("The statement is not valid JSON.")) from None
    if not isinstance(statement, dict):
        raise Invalid(_("The statement must be a JSON object."))
    return statement


def parse_many(body: bytes) -> list[dict]:
    """One statement (a JSON object) or a batch (an array of 1..MAX_BATCH objects)."""
    if len(body) > MAX_BATCH_BYTES:
        raise Invalid(_("The statement is too large."))
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Invalid(_("The statement is not valid JSON.")) from None
    if isinstance(data, dict):
        if len(body) > MAX_STATEMENT_BYTES:
            raise Invalid(_("The statement is too large."))
        return [data]
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        raise Invalid(_("The statement must be a JSON object."))
    if len(data) > MAX_BATCH:
        raise Invalid(_("Too many statements in one request (at most %(n)d).") % {"n": MAX_BATCH})
    return data


@dataclass
class Checked:
    statement_id: uuid.UUID
    verb: str
    sub_content: bool
    score_raw: float | None
    score_max: float | None
    scaled: float | None


def _score(result: dict) -> tuple[float | None, float | None, float | None]:
    score = result.get("score") if isinstance(result, dict) else None
    if not isinstance(score, dict):
        return None, None, None
    try:
        raw = float(score["raw"])
        top = float(score["max"])
    except (KeyError, TypeError, ValueError):
        return None, None, None
    if top <= 0 or raw < 0 or raw > top:
        raise Invalid(_("The score is out of range."))
    return raw, top, raw / top


def check(statement: dict, user, activity_iri: str) -> Checked:
    return check_for(statement, user.pk, activity_iri)


def check_for(statement: dict, user_id: int, activity_iri: str) -> Checked:
    try:
        statement_id = uuid.UUID(str(statement.get("id", "")))
    except ValueError:
        raise Invalid(_("The statement needs an id (a UUID).")) from None
    actor = statement.get("actor")
    if not isinstance(actor, dict) or actor.get("mbox") != mbox_for(user_id):
        raise Invalid(_("The statement's actor is not you."))
    verb_id = str((statement.get("verb") or {}).get("id", "")) if isinstance(statement.get("verb"), dict) else ""
    verb = verb_id.removeprefix(ADL)
    if not verb_id.startswith(ADL) or verb not in VERBS:
        raise Invalid(_("The verb %(verb)s is not accepted.") % {"verb": verb_id[:80] or "?"})
    target = statement.get("object")
    object_id = str(target.get("id", "")) if isinstance(target, dict) else ""
    sub_content = object_id.startswith(activity_iri + "?subContentId=")
    if object_id != activity_iri and not sub_content:
        raise Invalid(_("The statement is about another activity."))
    raw, top, scaled = _score(statement.get("result") or {})
    return Checked(statement_id, verb, sub_content, raw, top, scaled)


def _insert_many(rows: list[dict]) -> set[uuid.UUID]:
    """One INSERT … ON CONFLICT (statement_id) DO NOTHING for every row, in one round trip; the
    ids of the rows that are new. No savepoint: the hot path of a deadline rush (PostgreSQL and
    SQLite ≥ 3.35)."""
    meta = H5PStatement._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in rows[0]]
    columns = ", ".join(quote(f.column) for f in fields)
    params = [f.get_db_prep_save(row[f.name], connection) for row in rows for f in fields]
    # Identifiers come from the model's meta; every value is a parameter.
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([one] * len(rows))} "  # noqa: S608
    sql += f"ON CONFLICT ({quote('statement_id')}) DO NOTHING RETURNING {quote('statement_id')}"
    field = meta.get_field("statement_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {field.to_python(row[0]) for row in cursor.fetchall()}


def _store_many(items: list[tuple[Checked, dict]], user_id: int, content_id: int, lesson_id: int | None) -> list[bool]:
    """Store the statements; per statement False when the same one was already stored. Conflict
    when an id is taken by a different statement (or by another learner)."""
    now = timezone.now()
    rows = [
        {
            "statement_id": checked.statement_id,
            "user": user_id,
            "content": content_id,
            "lesson": lesson_id,
            "verb": checked.verb,
            "sub_content": checked.sub_content,
            "score_raw": checked.score_raw,
            "score_max": checked.score_max,
            "scaled": checked.scaled,
            "digest": digest(statement),
            "statement": statement,
            "stored_at": now,
        }
        for checked, statement in items
    ]
    new = _insert_many(rows)
    old = [row for row in rows if row["statement_id"] not in new]
    if old:
        existing = {
            e["statement_id"]: e
            for e in H5PStatement.objects.filter(statement_id__in=[r["statement_id"] for r in old]).values(
                "statement_id", "digest", "user_id"
            )
        }
        for row in old:
            found = existing.get(row["statement_id"])
            if not found or found["digest"] != row["digest"] or found["user_id"] != user_id:
                raise Conflict
    return [row["statement_id"] in new for row in rows]


def _counts(checked: Checked, pass_percent: int) -> bool | None:
    """True/False when this statement decides a pass; None when it says nothing about one."""
    if checked.sub_content:
        return None
    if pass_percent <= 0:
        return True if checked.verb in UNSCORED_DONE_VERBS else None
    if checked.verb not in SCORING_VERBS or checked.scaled is None:
        return None
    return checked.scaled * 100 >= pass_percent


def _upsert_result(enrolment_id: int, lesson_id: int, content_id: int, scaled, verdict: bool, now) -> tuple[bool, bool]:
    """Count the statement into the learner's result for this block in one statement (INSERT …
    ON CONFLICT DO UPDATE: the conflicting row is locked, so concurrent posts queue on it).
    Returns (passed now or before, passed by this statement)."""
    meta = H5PResult._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    passed_at = meta.get_field("passed_at").get_db_prep_save(now if verdict else None, connection)
    stamp = meta.get_field("updated_at").get_db_prep_save(now, connection)
    best, count, passed, updated = (
        quote(meta.get_field(n).column) for n in ("best_scaled", "statements", "passed_at", "updated_at")
    )
    keys = ", ".join(quote(meta.get_field(n).column) for n in ("enrolment", "lesson", "content"))
    # Identifiers come from the model's meta; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({keys}, {best}, {count}, {passed}, {updated}) VALUES (%s, %s, %s, %s, 1, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({keys}) DO UPDATE SET "
        f"{count} = {table}.{count} + 1, "
        f"{best} = CASE WHEN excluded.{best} IS NOT NULL "
        f"AND ({table}.{best} IS NULL OR excluded.{best} > {table}.{best}) "
        f"THEN excluded.{best} ELSE {table}.{best} END, "
        f"{passed} = COALESCE({table}.{passed}, excluded.{passed}), "
        f"{updated} = excluded.{updated} "
        f"RETURNING {passed}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [enrolment_id, lesson_id, content_id, scaled, passed_at, stamp])
        (stored,) = cursor.fetchone()
    # The time this statement offered became `passed_at` only if no earlier pass was kept.
    return stored is not None, bool(verdict and _aware(stored) == now)


def _aware(value):
    """A timestamp as the database returned it (PostgreSQL: aware; SQLite: naive UTC, or text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def record_h5p_result(
    enrolment_id: int, lesson_id: int, content_id: int, checked: Checked, pass_percent: int
) -> Outcome:
    """Keep the learner's best result for this block; a first pass finishes the lesson if its
    other requirements (study time) hold too. Two passes at once pass once (the upsert's row
    lock; only the statement whose time became `passed_at` passed it); completion locks the
    enrolment itself."""
    verdict = _counts(checked, pass_percent)
    if verdict is None:
        return Outcome(created=True)
    has_passed, just_passed = _upsert_result(
        enrolment_id, lesson_id, content_id, checked.scaled, verdict, timezone.now()
    )
    if not has_passed:
        return Outcome(created=True)
    completed = False
    if just_passed:
        completed = services.complete_lesson_if_met(
            Enrolment.objects.get(pk=enrolment_id), LessonPage.objects.get(pk=lesson_id)
        )
    done = LessonProgress.objects.filter(
        enrolment_id=enrolment_id, lesson_id=lesson_id, completed_at__isnull=False
    ).exists()
    return Outcome(created=True, passed=True, lesson_done=done, course_completed=completed)


def receive(
    body: bytes,
    user,
    content_id: int,
    activity_iri: str,
    lesson_id: int | None = None,
    enrolment_id: int | None = None,
    pass_percent: int = 0,
) -> Outcome:
    """Validate, store (once) and apply one statement or a batch. Raises Invalid or Conflict."""
    return receive_for(body, user.pk, content_id, activity_iri, lesson_id, enrolment_id, pass_percent)


def receive_for(
    body: bytes,
    user_id: int,
    content_id: int,
    activity_iri: str,
    lesson_id: int | None = None,
    enrolment_id: int | None = None,
    pass_percent: int = 0,
) -> Outcome:
    """Statements that say nothing about a pass are one INSERT (a single one needs no
    transaction); a batch, or one that may pass, shares a transaction with its result, so a
    statement is never stored without its effect on progress and a refused batch leaves nothing.
    """
    statements = parse_many(body)
    items = [(check_for(statement, user_id, activity_iri), statement) for statement in statements]
    if len({checked.statement_id for checked, _statement in items}) != len(items):
        raise Invalid(_("Two statements in the batch have the same id."))
    tracked = lesson_id is not None and enrolment_id is not None
    counting = [tracked and _counts(checked, pass_percent) is not None for checked, _statement in items]
    if len(items) == 1 and not counting[0]:
        return Outcome(created=_store_many(items, user_id, content_id, lesson_id)[0])
    outcome = Outcome(created=False)
    with transaction.atomic():
        created = _store_many(items, user_id, content_id, lesson_id)
        for (checked, _statement), new, counts in zip(items, created, counting, strict=True):
            outcome.created |= new
            if not (new and counts):
                continue
            result = record_h5p_result(enrolment_id, lesson_id, content_id, checked, pass_percent)
            outcome.passed |= result.passed
            outcome.lesson_done |= result.lesson_done
            outcome.course_completed |= result.course_completed
    return outcome
