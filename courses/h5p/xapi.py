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
import functools
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cms.core.prepared import prepared_cursor

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


# The statement row's columns, in the order every INSERT below lists them.
COLUMNS = (
    "statement_id",
    "user",
    "content",
    "lesson",
    "verb",
    "sub_content",
    "score_raw",
    "score_max",
    "scaled",
    "digest",
    "statement",
    "stored_at",
)


@functools.cache
def _fields() -> tuple:
    meta = H5PStatement._meta
    return tuple(meta.get_field(name) for name in COLUMNS)


@functools.cache
def _insert_sql(vendor: str, rows: int, relaxed: bool = False) -> str:
    """INSERT … ON CONFLICT (statement_id) DO NOTHING RETURNING statement_id for `rows` rows
    (PostgreSQL and SQLite ≥ 3.35). Identifiers come from the model's meta; every value is a
    parameter.

    `relaxed` (PostgreSQL): the statement's own transaction commits without waiting for the WAL
    flush (`synchronous_commit` off for that transaction only, set as the row is returned, so
    still one round trip). Only for statements that count toward nothing (decision 0043): if
    PostgreSQL itself crashes in the next ~0.6 s such a statement may be lost, never half-stored,
    and no result, progress or hour ever depends on it."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in _fields())
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    table = quote(H5PStatement._meta.db_table)
    return (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * rows)} "  # noqa: S608
        f"ON CONFLICT ({quote('statement_id')}) DO NOTHING RETURNING {quote('statement_id')}"
        + (", set_config('synchronous_commit', 'off', true)" if relaxed and vendor == "postgresql" else "")
    )


@functools.cache
def _upsert_sql(source: str) -> str:
    """The learner's result for the block counts the statement, in one INSERT … ON CONFLICT DO
    UPDATE (the conflicting row is locked, so concurrent posts queue on it); `source` supplies the
    row (VALUES or a SELECT). RETURNING the pass time kept."""
    meta = H5PResult._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    best, count, passed, updated = (
        quote(meta.get_field(n).column) for n in ("best_scaled", "statements", "passed_at", "updated_at")
    )
    keys = ", ".join(quote(meta.get_field(n).column) for n in ("enrolment", "lesson", "content"))
    return (
        f"INSERT INTO {table} ({keys}, {best}, {count}, {passed}, {updated}) {source} "  # noqa: S608
        f"ON CONFLICT ({keys}) DO UPDATE SET "
        f"{count} = {table}.{count} + 1, "
        f"{best} = CASE WHEN excluded.{best} IS NOT NULL "
        f"AND ({table}.{best} IS NULL OR excluded.{best} > {table}.{best}) "
        f"THEN excluded.{best} ELSE {table}.{best} END, "
        f"{passed} = COALESCE({table}.{passed}, excluded.{passed}), "
        f"{updated} = excluded.{updated} "
        f"RETURNING {passed}"
    )


@functools.cache
def _insert_and_count_sql(rows: int) -> str:
    """PostgreSQL: the statements' INSERT, the counted statement's result upsert (only when that
    statement is new) and the lesson's done flag, in one SQL statement — atomic on its own, one
    round trip. Returns (new statement ids, counted is new, pass time kept, lesson done)."""
    quote = connection.ops.quote_name
    progress = LessonProgress._meta
    done = (
        f"SELECT 1 FROM {quote(progress.db_table)} WHERE {quote(progress.get_field('enrolment').column)} = %s "  # noqa: S608
        f"AND {quote(progress.get_field('lesson').column)} = %s AND {quote(progress.get_field('completed_at').column)} "
        "IS NOT NULL"
    )
    sid = quote("statement_id")
    upsert = _upsert_sql(f"SELECT %s, %s, %s, %s, 1, %s, %s WHERE EXISTS (SELECT 1 FROM s WHERE s.{sid} = %s)")  # noqa: S608
    passed = quote(H5PResult._meta.get_field("passed_at").column)
    return (
        f"WITH s AS ({_insert_sql('postgresql', rows)}), r AS ({upsert}) "  # noqa: S608
        f"SELECT ARRAY(SELECT {sid} FROM s), EXISTS (SELECT 1 FROM r), (SELECT {passed} FROM r), EXISTS ({done})"
    )


def _row_params(items: list[tuple[Checked, dict]], user_id: int, content_id: int, lesson_id: int | None, now):
    rows = []
    for checked, statement in items:
        rows.append(
            (
                checked.statement_id,
                user_id,
                content_id,
                lesson_id,
                checked.verb,
                checked.sub_content,
                checked.score_raw,
                checked.score_max,
                checked.scaled,
                digest(statement),
                statement,
                now,
            )
        )
    return rows


def _params(rows: list[tuple]) -> list:
    """The rows' values as the database driver takes them. PostgreSQL takes them as they are
    (UUID, int, str, bool, float, aware datetime), the statement as JSON: what the fields'
    get_db_prep_save would return, without its cost per field (a tenth of the request's CPU).
    Elsewhere (SQLite) through the fields."""
    if connection.vendor == "postgresql":
        adapt = connection.ops.adapt_json_value
        return [value for row in rows for value in (*row[:10], adapt(row[10], None), row[11])]
    fields = _fields()
    return [field.get_db_prep_save(value, connection) for row in rows for field, value in zip(fields, row, strict=True)]


def _ids(values) -> set[uuid.UUID]:
    field = _fields()[0]
    return {field.to_python(value) for value in values}


def _insert_many(rows: list[tuple], *, relaxed: bool = False) -> set[uuid.UUID]:
    """One INSERT … ON CONFLICT DO NOTHING for every row, in one round trip; the ids of the rows
    that are new. No savepoint: the hot path of a deadline rush. `relaxed`: see `_insert_sql`."""
    with prepared_cursor(connection) as cursor:
        cursor.execute(_insert_sql(connection.vendor, len(rows), relaxed), _params(rows))
        return _ids(row[0] for row in cursor.fetchall())


def _refuse_clash(rows: list[tuple], new: set[uuid.UUID], user_id: int) -> None:
    """Rows that were not new must be the very statements stored before (same digest, same
    learner): a retry. Anything else is a Conflict (409)."""
    old = [row for row in rows if row[0] not in new]
    if not old:
        return
    existing = {
        e["statement_id"]: e
        for e in H5PStatement.objects.filter(statement_id__in=[row[0] for row in old]).values(
            "statement_id", "digest", "user_id"
        )
    }
    for row in old:
        found = existing.get(row[0])
        if not found or found["digest"] != row[9] or found["user_id"] != user_id:
            raise Conflict


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
    """Count the statement into the learner's result. Returns (passed now or before, passed by
    this statement)."""
    meta = H5PResult._meta
    passed_at = meta.get_field("passed_at").get_db_prep_save(now if verdict else None, connection)
    stamp = meta.get_field("updated_at").get_db_prep_save(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql("VALUES (%s, %s, %s, %s, 1, %s, %s)"),
            [enrolment_id, lesson_id, content_id, scaled, passed_at, stamp],
        )
        (stored,) = cursor.fetchone()
    return _passed(stored, verdict, now)


def _passed(stored, verdict: bool, now) -> tuple[bool, bool]:
    # The time this statement offered became `passed_at` only if no earlier pass was kept.
    return stored is not None, bool(verdict and _aware(stored) == now)


def _aware(value):
    """A timestamp as the database returned it (PostgreSQL: aware; SQLite: naive UTC, or text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _settle(outcome: Outcome, enrolment_id: int, lesson_id: int, has_passed: bool, just_passed: bool, done) -> None:
    """A first pass finishes the lesson if its other requirements (study time) hold too, only
    through complete_lesson_if_met (which locks the enrolment and reaches the ledger once).
    `done`: the lesson's done flag as read with the result, or None to read it now."""
    if not has_passed:
        return
    outcome.passed = True
    if just_passed:
        outcome.course_completed |= services.complete_lesson_if_met(
            Enrolment.objects.get(pk=enrolment_id), LessonPage.objects.get(pk=lesson_id)
        )
        done = None
    if done is None:
        done = LessonProgress.objects.filter(
            enrolment_id=enrolment_id, lesson_id=lesson_id, completed_at__isnull=False
        ).exists()
    outcome.lesson_done |= bool(done)


def record_h5p_result(
    enrolment_id: int, lesson_id: int, content_id: int, checked: Checked, pass_percent: int
) -> Outcome:
    """Keep the learner's best result for this block; a first pass finishes the lesson if its
    other requirements (study time) hold too. Two passes at once pass once (the upsert's row
    lock; only the statement whose time became `passed_at` passed it); completion locks the
    enrolment itself."""
    outcome = Outcome(created=True)
    verdict = _counts(checked, pass_percent)
    if verdict is None:
        return outcome
    now = timezone.now()
    has_passed, just_passed = _upsert_result(enrolment_id, lesson_id, content_id, checked.scaled, verdict, now)
    _settle(outcome, enrolment_id, lesson_id, has_passed, just_passed, None)
    return outcome


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
    transaction). On PostgreSQL a statement that may pass is one SQL statement with its
    result (a CTE: atomic without a transaction); a batch is stored whole in a transaction, so
    a refused batch leaves nothing. A statement is never stored without its effect on the result.
    """
    statements = parse_many(body)
    items = [(check_for(statement, user_id, activity_iri), statement) for statement in statements]
    if len({checked.statement_id for checked, _statement in items}) != len(items):
        raise Invalid(_("Two statements in the batch have the same id."))
    tracked = lesson_id is not None and enrolment_id is not None
    verdicts = [_counts(checked, pass_percent) if tracked else None for checked, _statement in items]
    counted = [i for i, verdict in enumerate(verdicts) if verdict is not None]
    now = timezone.now()
    rows = _row_params(items, user_id, content_id, lesson_id, now)
    if len(items) == 1 and not counted:
        # Counts toward nothing, and alone: its own transaction may commit without the WAL flush.
        new = _insert_many(rows, relaxed=not connection.in_atomic_block)
        _refuse_clash(rows, new, user_id)
        return Outcome(created=bool(new))
    if connection.vendor == "postgresql" and len(counted) == 1:
        args = (items[counted[0]][0], verdicts[counted[0]], rows, now, user_id, enrolment_id, lesson_id, content_id)
        if len(items) == 1:
            return _store_and_count(*args)
        with transaction.atomic():
            return _store_and_count(*args)
    outcome = Outcome(created=False)
    with transaction.atomic():
        new = _insert_many(rows)
        _refuse_clash(rows, new, user_id)
        outcome.created = bool(new)
        for i in counted:
            if items[i][0].statement_id not in new:
                continue
            result = record_h5p_result(enrolment_id, lesson_id, content_id, items[i][0], pass_percent)
            outcome.passed |= result.passed
            outcome.lesson_done |= result.lesson_done
            outcome.course_completed |= result.course_completed
    return outcome


def _store_and_count(
    checked: Checked,
    verdict: bool,
    rows: list[tuple],
    now,
    user_id: int,
    enrolment_id: int,
    lesson_id: int,
    content_id: int,
) -> Outcome:
    """PostgreSQL, one counted statement (alone, or the top-level one a batch ends with): one
    round trip stores the rows and counts it."""
    meta = H5PResult._meta
    params = _params(rows) + [
        enrolment_id,
        lesson_id,
        content_id,
        checked.scaled,
        meta.get_field("passed_at").get_db_prep_save(now if verdict else None, connection),
        meta.get_field("updated_at").get_db_prep_save(now, connection),
        _fields()[0].get_db_prep_save(checked.statement_id, connection),
        enrolment_id,
        lesson_id,
    ]
    with prepared_cursor(connection) as cursor:
        cursor.execute(_insert_and_count_sql(len(rows)), params)
        new_ids, counted, stored, done = cursor.fetchone()
    new = _ids(new_ids)
    _refuse_clash(rows, new, user_id)
    outcome = Outcome(created=bool(new))
    if counted:
        has_passed, just_passed = _passed(stored, verdict, now)
        _settle(outcome, enrolment_id, lesson_id, has_passed, just_passed, done)
    return outcome
