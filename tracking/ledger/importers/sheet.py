"""Reading a sign-in sheet: the uploaded bytes (.xlsx or .csv, decided by content) → the header
row found by its column names → the data rows as raw cell values. Nothing here knows about
teachers or sessions; `rows.py` validates what this returns.

Real sheets are messy: a title row or two above the header, merged cells, blank rows,
full-width digits and spaces. Every cell goes through NFKC normalisation. An upload that
cannot be read at all raises `ImportFileError` with a message for the user.

Hostile sheets are refused before they cost memory or time (issue 9, item 5; measured in
`bench/hostile_sheets.py`):

- an .xlsx is a zip: every member is inflated once through a counting stream before openpyxl
  sees it, so the limit is on bytes actually inflated, not on the sizes the archive declares
  (a zip bomb stops at the limit, having cost a few hundred milliseconds);
- macro-enabled workbooks (a VBA project inside) are refused;
- the first worksheet is streamed row by row (openpyxl's read-only parser) through a stream
  that counts row, cell and merged-range tags as the XML goes by, so a row of 16,384 cells or a
  million rows stops at the limit instead of being read first;
- merged ranges are clipped to the rows read and the columns allowed, and their number capped;
- a CSV must be UTF-8 or GBK text with no control characters and no line longer than
  `MAX_LINE_CHARS`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from cms.core.sheets import restore_cell

MB = 1024 * 1024
MAX_UPLOAD_BYTES = getattr(settings, "LEDGER_IMPORT_MAX_BYTES", 10 * MB)
MAX_ROWS = getattr(settings, "LEDGER_IMPORT_MAX_ROWS", 20000)
MAX_COLUMNS = getattr(settings, "LEDGER_IMPORT_MAX_COLUMNS", 50)
# Bytes inflated from all the members of an .xlsx together (a 20,000-row sheet inflates to ~6 MB).
MAX_INFLATED_BYTES = getattr(settings, "LEDGER_IMPORT_MAX_INFLATED_BYTES", 50 * MB)
# Any member but a worksheet (shared strings, styles, workbook…) is parsed whole by openpyxl: kept small.
MAX_PART_BYTES = 8 * MB
MAX_MEMBERS = 500
MAX_MERGED_RANGES = 2000
# Row elements (blank ones included) and cell elements per row the stream lets through.
MAX_ROW_ELEMENTS = 2 * MAX_ROWS + 1000
MAX_CELLS_PER_ROW = 1024
# Distinct texts in the shared-strings part: a sign-in row has about two (name, staff number).
MAX_SHARED_STRINGS = 2 * MAX_ROWS + 1000
MAX_LINE_CHARS = 10_000
HEADER_SCAN_ROWS = 20
CHUNK = 64 * 1024

Progress = Callable[[float], None]  # fraction of the file read, 0.0 … 1.0

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
def _too_big_unpacked() -> ImportFileError:
    return ImportFileError(
        _(
            "The Excel file is too large once unpacked (over %(mb)s MB); it may be a zip bomb. "
            "Keep only the sign-in sheet and upload again."
        )
        % {"mb": MAX_INFLATED_BYTES // MB}
    )


def _too_many_rows() -> ImportFileError:
    return ImportFileError(_("The sheet has more than %(n)s rows; split it into smaller files.") % {"n": MAX_ROWS})


def _too_many_columns() -> ImportFileError:
    return ImportFileError(
        _("The sheet has more than %(n)s columns; keep only the sign-in columns and upload again.") % {"n": MAX_COLUMNS}
    )


def _too_many_merges() -> ImportFileError:
    return ImportFileError(_("The sheet has too many merged cells; unmerge them and upload again."))


def _not_xlsx() -> ImportFileError:
    return ImportFileError(_("The file is not a valid Excel (.xlsx) workbook."))


def _damaged() -> ImportFileError:
    return ImportFileError(_("The Excel file could not be read; it may be damaged."))


def sniff_kind(data: bytes) -> str:
    """'xlsx' or 'csv', decided by content, never by the file name."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(_("Old Excel (.xls) files are not supported; save the sheet as .xlsx and upload again."))
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("The file is neither an Excel (.xlsx) workbook nor a CSV text file."))
    return "csv"


def check_archive(data: bytes) -> tuple[dict[str, int], dict[str, ImportFileError]]:
    """Inflate every member once, counting the bytes that actually come out; refuse a bomb.

    The sizes a zip declares are the attacker's to write, so they only serve as a first,
    free check: the limit holds on what zlib really produces, read 64 KB at a time, and the
    reading stops as soon as it is passed. Worksheets are also counted in rows, cells and merged
    ranges on the way (`TagCounter`), so a million rows is refused here, before any parsing.
    Returns ({member name: inflated size}, {worksheet name: the refusal its tags earned}).
    """
    refused: dict[str, ImportFileError] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError):
        raise _not_xlsx()
    with zf:
        infos = zf.infolist()
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise _not_xlsx()
        if len(infos) > MAX_MEMBERS:
            raise _damaged()
        if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in _read_small(
            zf, "[Content_Types].xml"
        ):
            raise ImportFileError(
                _(
                    "Workbooks with macros (.xlsm) are not accepted; save the sheet as .xlsx without macros "
                    "and upload again."
                )
            )
        if sum(info.file_size for info in infos) > MAX_INFLATED_BYTES:
            raise _too_big_unpacked()
        sizes, total = {}, 0
        for info in infos:
            worksheet = _is_worksheet(info.filename)
            part_limit = MAX_INFLATED_BYTES if worksheet else MAX_PART_BYTES
            counter = TagCounter(worksheet)
            size = 0
            try:
                with zf.open(info) as member:
                    while chunk := member.read(CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if total > MAX_INFLATED_BYTES or size > part_limit:
                            raise _too_big_unpacked()
                        if counter is not None:
                            try:
                                counter.feed(chunk)
                            except ImportFileError as exc:
                                if not worksheet:
                                    raise
                                # Only the first sheet is read; which one that is, workbook.xml says.
                                refused[info.filename], counter = exc, None
            except ImportFileError:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError):
                # CRC mismatch, truncated data, an unknown compression method, encryption…
                raise _damaged()
            sizes[info.filename] = size
    return sizes, refused


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        with zf.open(name) as member:
            return member.read(MAX_PART_BYTES)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError):
        raise _damaged()


_SHEET_TAGS = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(row|c|mergeCell)[\s/>]")
_STRING_TAGS = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(si)[\s/>]")


class TagCounter:
    """Counts tags of XML fed to it in pieces, raising `ImportFileError` as soon as a limit is
    crossed: in a worksheet rows, cells per row and merged ranges (the XML parser builds a whole
    <row> before openpyxl sees it, so a row of 16,384 cells must be stopped here, in the bytes);
    in any other part shared strings (<si>), which openpyxl reads whole and slowly — 480,000 of
    them, 8 MB inflated from 22 KB, took 54 s). A tag split across two pieces is carried over."""

    def __init__(self, worksheet: bool = True):
        self.pattern = _SHEET_TAGS if worksheet else _STRING_TAGS
        self.rows = self.cells_in_row = self.merges = self.strings = 0
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        text = self.carry + chunk
        cut = text.rfind(b"<") if chunk else len(text)
        if cut < 0 or len(text) - cut > 4096:
            cut = len(text)
        scanned, self.carry = text[:cut], text[cut:]
        for match in self.pattern.finditer(scanned):
            tag = match.group(1)
            if tag == b"c":
                self.cells_in_row += 1
                if self.cells_in_row > MAX_CELLS_PER_ROW:
                    raise _too_many_columns()
            elif tag == b"row":
                self.rows += 1
                self.cells_in_row = 0
                if self.rows > MAX_ROW_ELEMENTS:
                    raise _too_many_rows()
            elif tag == b"mergeCell":
                self.merges += 1
                if self.merges > MAX_MERGED_RANGES:
                    raise _too_many_merges()
            else:
                self.strings += 1
                if self.strings > MAX_SHARED_STRINGS:
                    raise ImportFileError(
                        _(
                            "The workbook holds more than %(n)s different texts; "
                            "keep only the sign-in sheet and upload again."
                        )
                        % {"n": MAX_SHARED_STRINGS}
                    )


class GuardedSheetStream(io.RawIOBase):
    """The worksheet XML as openpyxl reads it: counted in bytes (for the progress bar) and in tags."""

    def __init__(self, raw, total: int, progress: Progress | None = None):
        self.raw, self.total, self.progress = raw, max(total, 1), progress
        self.counter = TagCounter()
        self.done = 0
        self.reported = 0.0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(CHUNK if size is None or size < 0 else size)
        self.done += len(chunk)
        self.counter.feed(chunk)
        if self.progress and (self.done / self.total - self.reported >= 0.02 or not chunk):
            self.reported = self.done / self.total
            self.progress(min(1.0, self.reported))
        return chunk

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self.raw.close()
        super().close()


Grid = list[tuple[int, list]]  # (1-based row number in the sheet, cell values of columns 1…MAX_COLUMNS)


# What openpyxl, zipfile and the XML parser raise for a corrupt workbook (defusedxml's refusals are
# ValueErrors, XML syntax errors SyntaxErrors). Named, not `Exception`, so that a worker's time
# limit (celery's SoftTimeLimitExceeded) raised mid-parse is not mistaken for a damaged file.
_CORRUPT = (
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,
    OSError,
    EOFError,
    StopIteration,
    NotImplementedError,
    RecursionError,
    zlib.error,
    zipfile.BadZipFile,
)


def _read_xlsx(data: bytes, progress: Progress | None = None) -> Grid:
    """Stream the first worksheet row by row with openpyxl's parser, then spread merged cells.

    `load_workbook(read_only=True)` would read every worksheet once to size it when the sheet
    declares no dimension (that pass alone took 93 s on a million rows), and its `iter_rows` pads
    each row to the declared width. So the workbook parts (content types, shared strings,
    workbook, styles for date formats) are read with openpyxl's `ExcelReader` steps, and the rows
    come straight from the `WorkSheetParser` its read-only worksheet uses, through the guarded
    stream, each cell with its column number: values past `MAX_COLUMNS` refuse the sheet. The
    merged ranges (which read-only mode does not apply) come from the same parser at the end.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    sizes, refused = check_archive(data)
    grid: Grid = []
    merges = []
    data_rows = 0
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        with reader.archive:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            path = next(rel.target for _sheet, rel in reader.parser.find_sheets())
            if path in refused:
                raise refused[path]
            wb = reader.wb
            raw = reader.archive.open(path)
            with GuardedSheetStream(raw, sizes.get(path, 0), progress) as source:
                parser = WorkSheetParser(
                    source,
                    reader.shared_strings,
                    data_only=True,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
                for number, cells in parser.parse():
                    values = [None] * MAX_COLUMNS
                    filled = False
                    for cell in cells:
                        value = cell["value"]
                        if value is None or value == "":
                            continue
                        if cell["column"] > MAX_COLUMNS:
                            raise _too_many_columns()
                        values[cell["column"] - 1] = value
                        filled = True
                    if filled:
                        data_rows += 1
                        if data_rows > MAX_ROWS + HEADER_SCAN_ROWS:
                            raise _too_many_rows()
                    grid.append((number, values))
                if parser.merged_cells is not None:
                    merges = [m.ref for m in parser.merged_cells.mergeCell]
    except _CORRUPT:
        raise _damaged()
    _spread_merges(grid, merges)
    return grid


MAX_MERGED_CELLS = 500_000


def _spread_merges(grid: Grid, refs: list[str]) -> None:
    """Copy each merged range's top-left value into the range, so a school name merged down
    several rows applies to each of them. Ranges are clipped to `MAX_COLUMNS`, and the cells they
    cover (as declared) are capped, so ten ranges A2:XFD3001 cost nothing but a refusal."""
    from bisect import bisect_left, bisect_right

    from openpyxl.utils.cell import range_boundaries

    boxes, area = [], 0
    for ref in refs:
        try:
            left, top, right, bottom = range_boundaries(str(ref))
        except (TypeError, ValueError):
            raise _damaged()
        right = min(right, MAX_COLUMNS)
        if left > right:
            continue
        area += (bottom - top + 1) * (right - left + 1)
        if area > MAX_MERGED_CELLS:
            raise _too_many_merges()
        boxes.append((left, top, right, bottom))
    numbers = [number for number, _values in grid]
    index = {number: i for i, number in enumerate(numbers)}
    for left, top, right, bottom in boxes:
        if top not in index:
            continue
        value = grid[index[top]][1][left - 1]
        for i in range(bisect_left(numbers, top), bisect_right(numbers, bottom)):
            row = grid[i][1]
            for c in range(left - 1, right):
                row[c] = value


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GBK/GB18030 as saved by Chinese Excel."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK encoded."))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _read_csv(data: bytes, progress: Progress | None = None) -> Grid:
    text = decode_csv(data)
    if _CONTROL.search(text):
        raise ImportFileError(_("The file is neither an Excel (.xlsx) workbook nor a CSV text file."))
    if any(len(line.rstrip("\r\n")) > MAX_LINE_CHARS for line in io.StringIO(text)):
        raise ImportFileError(
            _("A line of the CSV file is longer than %(n)s characters; this is not a sign-in sheet.")
            % {"n": MAX_LINE_CHARS}
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    grid: Grid = []
    data_rows = 0
    buffer = io.StringIO(text)
    reader = csv.reader(buffer, dialect)
    try:
        for number, row in enumerate(reader, start=1):
            if len(row) > MAX_COLUMNS:
                if any(cell.strip() for cell in row[MAX_COLUMNS:]):
                    raise _too_many_columns()
                row = row[:MAX_COLUMNS]
            if any(cell.strip() for cell in row):
                data_rows += 1
                if data_rows > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise _too_many_rows()
            grid.append((number, row))
            if progress and number % 2000 == 0:
                progress(buffer.tell() / max(1, len(text)))
    except csv.Error:
        raise ImportFileError(
            _("The CSV file is malformed near line %(n)s; save it again from Excel and upload it.")
            % {"n": reader.line_num}
        )
    return grid


def read_grid(data: bytes, progress: Progress | None = None) -> Grid:
    if sniff_kind(data) == "xlsx":
        return _read_xlsx(data, progress)
    return _read_csv(data, progress)


def parse_sheet(data: bytes, progress: Progress | None = None) -> ParsedSheet:
    """Find the header row, map its columns, return the non-blank rows below it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("The file is too large (limit %(mb)s MB).") % {"mb": MAX_UPLOAD_BYTES // MB})
    if not data:
        raise ImportFileError(_("The file is empty."))
    grid = read_grid(data, progress)
    header_index, mapping = None, {}
    for i, (_number, row) in enumerate(grid[:HEADER_SCAN_ROWS]):
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
    for number, row in grid[header_index + 1 :]:
        values = {name: restore_cell(row[col] if col < len(row) else None) for name, col in mapping.items()}
        if all(norm_text(v) == "" for v in values.values()):
            continue  # blank (or merged-title) row
        first = next((norm_compact(cell) for cell in row if norm_text(cell)), "")
        if FOOTER.match(first):
            skipped.append((number, " ".join(norm_text(cell) for cell in row if norm_text(cell))[:100]))
            continue
        rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise _too_many_rows()
    return ParsedSheet(rows=rows, columns=list(mapping), skipped=skipped)
