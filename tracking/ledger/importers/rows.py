"""Validating sign-in rows: each raw row → a teacher matched in bulk (by staff number, else by
name, the school as people write it), in the coordinator's scope, not already signed in, with
hours and a date inside the session. One result per row: ok / exists / absent (0 学时 on the
pre-filled staff sheet) / error, with a code and a reason in Chinese.

Speed: the whole sheet is matched with a handful of bulk queries, never a query per row.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from accounts.models import TeacherProfile

from ..models import Attendance, OfflineSession
from .sheet import ParsedSheet, norm_compact, norm_text

CHUNK = 5000  # ids per IN (...) query; well under SQLite's and PostgreSQL's parameter limits


_HOURS_WORDS = re.compile(r"(学时|课时|小时|个小时|hours?|hrs?|h)$", re.IGNORECASE)


def parse_hours(value) -> Decimal | None:
    """'2学时' / '1.5' / '１．５' / 2 / 1.5 → Decimal; '' → None; garbage → ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)) if value == value else None
    text = norm_compact(value).replace("。", ".")
    text = _HOURS_WORDS.sub("", text)
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text)


_DATE = re.compile(r"^(\d{4})\s*[年/\-.]\s*(\d{1,2})\s*[月/\-.]\s*(\d{1,2})\s*日?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value) -> datetime.date | None:
    """datetime / date / Excel serial / '2026年3月5日' / '2026/3/5' / '2026-03-05' → date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    text = norm_text(value)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text))
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(text)


def _from_serial(serial: float) -> datetime.date:
    if not 20000 <= serial <= 80000:  # 1954 … 2119: anything else is not a sign-in date
        raise ValueError(str(serial))
    return _EXCEL_EPOCH + datetime.timedelta(days=int(serial))


# --- matching and validation ----------------------------------------------------------------
def _chunks(values: list, size: int = CHUNK):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _load_teachers(**lookup) -> list[TeacherProfile]:
    ((key, values),) = lookup.items()
    out = []
    for part in _chunks(sorted(values)):
        out.extend(
            TeacherProfile.objects.filter(is_active=True, **{key: part})
            .select_related("school")
            .only(
                "id", "staff_number", "school_id", "school__name", "school__code", "school__district_id", "user__name"
            )
            .select_related("user")
        )
    return out


def school_names(scope) -> dict[str, list[tuple[int, str]]]:
    """Every name a school in the scope is written by → the schools it may mean: the full name,
    the name without the district prefix (滨江实验小学 for 东湖区滨江实验小学), the code and the
    configured aliases. One query; a name shared by two schools maps to both (ambiguous)."""
    names: dict[str, list[tuple[int, str]]] = {}
    schools = scope.schools().select_related("district").only("id", "name", "code", "aliases", "district__name")
    for school in schools:
        written = {school.name, school.short_name(school.district.name), school.code, *school.alias_list()}
        for text in {norm_compact(w).upper() for w in written if w}:
            names.setdefault(text, []).append((school.pk, school.name))
    return names


def validate_rows(sheet: ParsedSheet, session: OfflineSession, scope) -> list[dict]:
    """One result per data row: status ok / exists / error, with a code and a reason."""
    rows = [
        {
            "row": number,
            "staff_number": norm_compact(raw.get("staff_number")).upper(),
            "name": norm_compact(raw.get("name")),
            "school": norm_compact(raw.get("school")),
            "_hours": raw.get("hours"),
            "_date": raw.get("date"),
        }
        for number, raw in sheet.rows
    ]
    by_staff = {
        t.staff_number.upper(): t
        for t in _load_teachers(staff_number__in={r["staff_number"] for r in rows if r["staff_number"]})
    }
    names = {r["name"] for r in rows if r["name"] and not r["staff_number"]}
    by_name: dict[str, list[TeacherProfile]] = {}
    for t in _load_teachers(user__name__in=names) if names else []:
        by_name.setdefault(norm_compact(t.user.name), []).append(t)
    scope_school_ids = None if scope.city else set(scope.schools().values_list("id", flat=True))
    schools_by_name = school_names(scope) if any(r["school"] for r in rows) else {}

    def in_scope(teacher: TeacherProfile) -> bool:
        return scope_school_ids is None or teacher.school_id in scope_school_ids

    # Teachers this coordinator may see but not import for: themselves, and coordinators at their
    # level or above (issue 9 #4): one query for the whole sheet.
    matched = {t.pk for t in by_staff.values()} | {t.pk for ts in by_name.values() for t in ts}
    escalated = set(
        TeacherProfile.objects.filter(pk__in=matched).filter(scope.needs_higher_level()).values_list("pk", flat=True)
    )
    already = set(Attendance.objects.filter(session=session).values_list("teacher_id", flat=True))
    first, last = session.local_dates()
    seen: dict[int, int] = {}

    for r in rows:
        status, code, reason, teacher = "error", "", "", None
        hours_raw, date_raw = r.pop("_hours"), r.pop("_date")
        r["hours"], r["date"] = norm_text(hours_raw), norm_text(date_raw)
        try:
            hours = parse_hours(hours_raw)
            hours = session.hours if hours is None else hours
        except ValueError:
            hours = None
            code, reason = "bad_hours", _("Hours “%(v)s” are not a number.") % {"v": r["hours"]}
        try:
            day = parse_date(date_raw)
        except ValueError:
            day = None
            code, reason = code or "bad_date", reason or _("Date “%(v)s” is not a date.") % {"v": r["date"]}
        if day is not None:
            r["date"] = day.isoformat()  # the date read, not Excel's serial number (46346)

        if not code:
            if r["staff_number"]:
                teacher = by_staff.get(r["staff_number"])
                if teacher is None or not in_scope(teacher):
                    # One answer for "no such teacher" and "someone else's teacher": the preview
                    # must not tell a coordinator which staff numbers exist in other schools.
                    code, teacher = "not_found", None
                    reason = _("No teacher in your scope has staff number %(n)s.") % {"n": r["staff_number"]}
                elif r["name"] and norm_compact(teacher.user.name) != r["name"]:
                    code = "name_mismatch"
                    reason = _("Staff number %(n)s belongs to %(real)s, not %(name)s.") % {
                        "n": r["staff_number"],
                        "real": teacher.user.name,
                        "name": r["name"],
                    }
                    teacher = None
            elif r["name"]:
                candidates = by_name.get(r["name"], [])
                meant: list[tuple[int, str]] = []
                if r["school"]:
                    # The school as written (full, short or alias name, or code), among the scope's schools.
                    meant = schools_by_name.get(r["school"].upper(), [])
                    candidates = [t for t in candidates if t.school_id in {pk for pk, _name in meant}]
                # Only teachers in the coordinator's scope count: a namesake elsewhere neither
                # blocks the match nor is revealed.
                visible = [t for t in candidates if in_scope(t)]
                if len(visible) == 1:
                    teacher = visible[0]
                elif len(meant) > 1:
                    code = "ambiguous_school"
                    reason = _("Ambiguous school: “%(school)s” may mean %(candidates)s; write the full name.") % {
                        "school": r["school"],
                        "candidates": _(", ").join(name for _pk, name in sorted(meant, key=lambda m: m[1])),
                    }
                elif len(visible) > 1:
                    code = "ambiguous_name"
                    reason = _("Ambiguous name: %(count)s teachers are named %(name)s; add the staff number.") % {
                        "count": len(visible),
                        "name": r["name"],
                    }
                else:
                    # Same answer whether a namesake works elsewhere or nobody has the name.
                    code = "not_found"
                    reason = _("No teacher in your scope is named %(name)s at %(school)s.") % {
                        "name": r["name"],
                        "school": r["school"] or _("any school"),
                    }
            else:
                code, reason = "no_teacher", _("Neither staff number nor name is filled in.")

        if teacher is not None and not code:
            if teacher.pk in escalated:
                code = "needs_higher_level"
                reason = _(
                    "%(name)s is you, or a coordinator at your level or above: "
                    "a coordinator at the next level up imports this row."
                ) % {"name": teacher.user.name}
            elif hours == 0:
                # The pre-filled sheet lists the whole staff with 0 学时: 0 is "did not attend".
                status, code, reason = "absent", "absent", _("0 hours: did not attend; not imported.")
            elif not session.in_audience(teacher.school_id, teacher.school.district_id):
                code = "outside_audience"
                reason = _("%(name)s (%(school)s) is not in this session's audience.") % {
                    "name": teacher.user.name,
                    "school": teacher.school.name,
                }
            elif hours <= 0 or hours > session.hours:
                code = "hours_out_of_range"
                reason = _("Hours out of range: %(v)s (allowed 0.5 to %(max)s).") % {"v": hours, "max": session.hours}
            elif (hours * 2) % 1 != 0:
                code = "hours_step"
                reason = _("Hours out of range: %(v)s is not a multiple of 0.5.") % {"v": hours}
            elif day is not None and not (first <= day <= last):
                code = "date_outside"
                reason = _("Date %(d)s is outside the session (%(first)s).") % {"d": day, "first": first}
            elif teacher.pk in seen:
                code = "duplicate_row"
                reason = _("Duplicate row: the same teacher as row %(n)s.") % {"n": seen[teacher.pk]}
            elif teacher.pk in already:
                status, code, reason = "exists", "already_imported", _("Already recorded for this session.")
            else:
                status = "ok"
            if code not in ("duplicate_row", "absent"):
                seen.setdefault(teacher.pk, r["row"])

        r.update(status=status, code=code, reason=str(reason))
        if teacher is not None:
            r.update(
                teacher_id=teacher.pk,
                teacher_name=teacher.user.name,
                school_id=teacher.school_id,
                school_name=teacher.school.name,
                credit_hours=str(hours),
            )
    # Totals, signature and note lines under the data: listed as skipped, never as errors.
    rows += [
        {
            "row": number,
            "staff_number": "",
            "name": text,
            "school": "",
            "hours": "",
            "date": "",
            "status": "skipped",
            "code": "footer",
            "reason": str(_("Totals, signature or note line: skipped.")),
        }
        for number, text in sheet.skipped
    ]
    rows.sort(key=lambda r: r["row"])
    return rows
