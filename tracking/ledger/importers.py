"""Attendance import: sign-in sheets (.xlsx or .csv) → preview → atomic confirm.

Real sheets are messy: a title row or two above the header, merged cells, blank rows,
full-width digits and spaces, dates written four ways, hours written as "2学时". Every
cell goes through NFKC normalisation; the header row is found by its column names.

Speed: the whole file is matched with a handful of bulk queries (teachers by staff
number, by name, existing attendance) and confirmed with bulk_create — never a query per
row — so a 10,000-row sheet stays well inside the 10 s budget (see `bench/`).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import TeacherProfile

from . import totals
from .models import Attendance, ImportBatch, LedgerEntry, LedgerSource, OfflineSession

MAX_UPLOAD_BYTES = getattr(settings, "LEDGER_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "LEDGER_IMPORT_MAX_ROWS", 20000)
CHUNK = 5000  # ids per IN (...) query; well under SQLite's and PostgreSQL's parameter limits
HEADER_SCAN_ROWS = 20

# Template column titles (the first name of each field is what the template writes).
COLUMNS = {
    "staff_number": ("工号", "教师工号", "职工号", "教工号", "工作证号"),
    "name": ("姓名", "教师姓名", "名字"),
    "school": ("学校", "所在学校", "学校名称", "单位", "工作单位", "所在单位"),
    "hours": ("学时", "学时数", "培训学时", "时长"),
    "date": ("日期", "签到日期", "培训日期", "签到时间"),
}
_HEADER_LOOKUP = {alias: field for field, aliases in COLUMNS.items() for alias in aliases}


class ImportFileError(Exception):
    """The upload cannot be read at all (wrong type, too big, no header row …)."""


@dataclass
class ParsedSheet:
    rows: list[tuple[int, dict]]  # (1-based row number in the sheet, {field: raw value})
    columns: list[str]


# --- cell normalisation -------------------------------------------------------------------
_WS = re.compile(r"\s+")
_PAREN = re.compile(r"[(（\[【].*?[)）\]】]")


def norm_text(value) -> str:
    """NFKC (full-width → half-width, U+3000 → space), trimmed, inner whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _WS.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


def norm_compact(value) -> str:
    """Text with every space removed: names ("王  伟"), staff numbers, school names."""
    return norm_text(value).replace(" ", "")


def norm_header(value) -> str:
    text = _PAREN.sub("", norm_compact(value))
    return text.strip("*:：")


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


# --- reading files ------------------------------------------------------------------------
def sniff_kind(data: bytes) -> str:
    """'xlsx' or 'csv', decided by content, never by the file name."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "[Content_Types].xml" in zf.namelist():
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(_("Old Excel (.xls) files are not supported; save the sheet as .xlsx and upload again."))
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("The file is neither an Excel (.xlsx) workbook nor a CSV text file."))
    return "csv"


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GBK/GB18030 as saved by Chinese Excel."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK encoded."))


def read_grid(data: bytes) -> list[list]:
    kind = sniff_kind(data)
    if kind == "xlsx":
        return _read_xlsx(data)
    text = decode_csv(data)
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text[:4096]):
        raise ImportFileError(_("The file is neither an Excel (.xlsx) workbook nor a CSV text file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')


def _read_xlsx(data: bytes) -> list[list]:
    """Read the first sheet in openpyxl's fast read-only mode, then spread merged cells.

    Read-only mode does not expose merged ranges, so they are read from the sheet XML
    (<mergeCell ref="A1:E1"/>): the top-left value is copied into the whole range, so a
    school name merged down several rows applies to each of them.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.cell import coordinate_to_tuple

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            merges = _MERGE_REF.findall(zf.read(ws._worksheet_path))
        wb.close()
    except Exception:  # openpyxl raises many types for corrupt files
        raise ImportFileError(_("The Excel file could not be read; it may be damaged."))
    for first, last in merges:
        top, left = coordinate_to_tuple(first.decode())
        bottom, right = coordinate_to_tuple(last.decode())
        if top > len(grid):
            continue
        source = grid[top - 1]
        value = source[left - 1] if left <= len(source) else None
        for r in range(top - 1, min(bottom, len(grid))):
            row = grid[r]
            if len(row) < right:
                row.extend([None] * (right - len(row)))
            for c in range(left - 1, right):
                row[c] = value
    return grid


def parse_sheet(data: bytes) -> ParsedSheet:
    """Find the header row, map its columns, return the non-blank rows below it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is too large (limit %(mb)s MB).") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
    if not data:
        raise ImportFileError(_("The file is empty."))
    grid = read_grid(data)
    header_index, mapping = None, {}
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        found = {}
        for col, cell in enumerate(row):
            field = _HEADER_LOOKUP.get(norm_header(cell))
            if field and field not in found:
                found[field] = col
        if len(found) >= 2 and ("staff_number" in found or "name" in found):
            header_index, mapping = i, found
            break
    if header_index is None:
        raise ImportFileError(
            _("No header row found. The sheet needs a row with the column titles 工号 or 姓名 (and 学校, 学时, 日期).")
        )
    rows = []
    for i, row in enumerate(grid[header_index + 1 :], start=header_index + 2):
        values = {field: (row[col] if col < len(row) else None) for field, col in mapping.items()}
        if all(norm_text(v) == "" for v in values.values()):
            continue  # blank (or merged-title) row
        rows.append((i, values))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("The sheet has more than %(n)s rows; split it into smaller files.") % {"n": MAX_ROWS})
    return ParsedSheet(rows=rows, columns=list(mapping))


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

    def in_scope(teacher: TeacherProfile) -> bool:
        return scope_school_ids is None or teacher.school_id in scope_school_ids

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

        if not code:
            if r["staff_number"]:
                teacher = by_staff.get(r["staff_number"])
                if teacher is None:
                    code = "unknown_teacher"
                    reason = _("Unknown teacher: no teacher has staff number %(n)s.") % {"n": r["staff_number"]}
                elif not in_scope(teacher):
                    # Say nothing about who it is: other schools' staff lists are not the coordinator's to read.
                    code, teacher = "outside_scope", None
                    reason = _("The teacher with staff number %(n)s is outside your scope.") % {"n": r["staff_number"]}
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
                if r["school"]:
                    candidates = [
                        t for t in candidates if r["school"] in (norm_compact(t.school.name), t.school.code.upper())
                    ]
                # Only teachers in the coordinator's scope count: a namesake elsewhere neither
                # blocks the match nor is revealed.
                visible = [t for t in candidates if in_scope(t)]
                if len(visible) == 1:
                    teacher = visible[0]
                elif len(visible) > 1:
                    code = "ambiguous_name"
                    reason = _("Ambiguous name: %(count)s teachers are named %(name)s; add the staff number.") % {
                        "count": len(visible),
                        "name": r["name"],
                    }
                elif candidates:
                    code = "outside_scope"
                    reason = _("The teacher named %(name)s is outside your scope.") % {"name": r["name"]}
                else:
                    code = "unknown_teacher"
                    reason = _("Unknown teacher: no teacher named %(name)s at %(school)s.") % {
                        "name": r["name"],
                        "school": r["school"] or _("any school"),
                    }
            else:
                code, reason = "no_teacher", _("Neither staff number nor name is filled in.")

        if teacher is not None and not code:
            if not session.in_audience(teacher.school_id, teacher.school.district_id):
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
            if code != "duplicate_row":
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
    return rows


# --- the two steps the views call -------------------------------------------------------------
def preview_import(*, data: bytes, filename: str, session: OfflineSession, scope, user) -> ImportBatch:
    """Parse and validate; store the result server-side for confirm."""
    sheet = parse_sheet(data)
    rows = validate_rows(sheet, session, scope)
    return ImportBatch.objects.create(
        session=session,
        uploaded_by=user,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
    )


class AlreadyConfirmed(Exception):
    pass


def confirm_import(batch: ImportBatch, user) -> int:
    """Write every 'ok' row as attendance + ledger entry, all or nothing. Returns rows added.

    Rows recorded meanwhile (another sheet, a QR scan) are skipped, so a corrected file or
    a repeated confirm adds only what is missing.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("session").get(pk=batch.pk)
        if batch.confirmed_at is not None:
            raise AlreadyConfirmed
        session = batch.session
        existing = set(Attendance.objects.filter(session=session).values_list("teacher_id", flat=True))
        todo = [r for r in batch.rows if r["status"] == "ok" and r["teacher_id"] not in existing]
        now = timezone.now()
        activity_date = session.local_dates()[0]
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    teacher_id=r["teacher_id"],
                    hours=Decimal(r["credit_hours"]),
                    method=Attendance.Method.IMPORT,
                    batch=batch,
                    recorded_by=user,
                    recorded_at=now,
                )
                for r in todo
            ],
            batch_size=5000,  # PostgreSQL: ≤ 55k parameters per INSERT; SQLite caps it itself
        )
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    teacher_id=r["teacher_id"],
                    training_year_id=session.training_year_id,
                    school_id=r["school_id"],
                    hours=Decimal(r["credit_hours"]),
                    counts_as_session=True,
                    source=LedgerSource.OFFLINE_SESSION,
                    source_ref=session.source_ref,
                    title=session.title[:255],
                    activity_date=activity_date,
                    recorded_by=user,
                    note=_("Imported from %(file)s") % {"file": batch.filename},
                )
                for r in todo
            ],
            batch_size=5000,  # PostgreSQL: ≤ 55k parameters per INSERT; SQLite caps it itself
            ignore_conflicts=True,
        )
        # bulk_create sends no post_save: bring the reports' per-teacher totals up to date here.
        totals.recompute_for([r["teacher_id"] for r in todo], session.training_year_id)
        batch.confirmed_at = now
        batch.imported_count = len(todo)
        batch.save(update_fields=["confirmed_at", "imported_count"])
        counts = batch.counts()
        audit.record(
            actor=user,
            action="attendance.import",
            obj=batch,
            school=session.school_id,
            district=session.district_id,
            summary=_("Imported %(n)s attendances into %(session)s") % {"n": len(todo), "session": session.title},
            after={
                "session_id": session.pk,
                "file": batch.filename,
                "sha256": batch.sha256,
                "imported": len(todo),
                "already": counts.get("exists", 0),
                "errors": counts.get("error", 0),
            },
        )
    return len(todo)


def build_template(session: OfflineSession | None = None) -> bytes:
    """The downloadable sign-in sheet: a title row, the header, and an instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "签到表"
    headers = [aliases[0] for aliases in COLUMNS.values()]
    title = f"{session.title} 签到表" if session else "培训签到表"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (14, 12, 28, 8, 14), strict=True):
        ws.column_dimensions[letter].width = width
    help_ws = wb.create_sheet("填写说明")
    for line in (
        "每位教师一行；优先填写工号，没有工号时填写姓名和学校。",
        "学时可写 2、1.5 或“2学时”，须为0.5的整数倍，不超过本次培训学时；留空按本次培训学时计。",
        "日期可写 2026-03-05、2026/3/5 或 2026年3月5日；留空则不检查。",
        "同一文件可重复导入：已导入的教师不会重复计学时。",
    ):
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
