"""Reading a sign-in sheet: the uploaded bytes (.xlsx or .csv, decided by content) → the header
row found by its column names → the data rows as raw cell values. Nothing here knows about
teachers or sessions; `rows.py` validates what this returns.

Real sheets are messy: a title row or two above the header, merged cells, blank rows,
full-width digits and spaces. Every cell goes through NFKC normalisation. An upload that
cannot be read at all raises `ImportFileError` with a message for the user.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = getattr(settings, "LEDGER_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "LEDGER_IMPORT_MAX_ROWS", 20000)
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
    # Lines that are not attendance: totals, signatures, notes (1-based row number, their text).
    skipped: list[tuple[int, str]] = field(default_factory=list)


# A line whose first filled cell starts with one of these is a totals / signature / note line
# written under the data ("合计 | 14人", "签到负责人：", "备注：…"), never a teacher.
FOOTER = re.compile(
    r"^(合计|总计|小计|共计|总人数|人数|签字|签名|签到负责人|负责人|经办人|制表|填表|审核|备注|说明|注[:：])"
)


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
    rows, skipped = [], []
    for i, row in enumerate(grid[header_index + 1 :], start=header_index + 2):
        values = {name: (row[col] if col < len(row) else None) for name, col in mapping.items()}
        if all(norm_text(v) == "" for v in values.values()):
            continue  # blank (or merged-title) row
        first = next((norm_compact(cell) for cell in row if norm_text(cell)), "")
        if FOOTER.match(first):
            skipped.append((i, " ".join(norm_text(cell) for cell in row if norm_text(cell))[:100]))
            continue
        rows.append((i, values))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("The sheet has more than %(n)s rows; split it into smaller files.") % {"n": MAX_ROWS})
    return ParsedSheet(rows=rows, columns=list(mapping), skipped=skipped)
