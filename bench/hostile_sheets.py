"""Hostile sign-in sheets (issue 9, item 5): each must be refused in < 2 s with server memory
growth < 100 MB. The files are generated here, small on disk, and shared with the tests
(`tests/ledger/test_hostile_sheets.py`), which assert the refusal and its message; the time and
memory figures are measured only here (tracemalloc peak and RSS growth) and written to
docs/benchmarks.md — never asserted in tests.

The 1.2 GB bomb is not compressed at run time (8 s): one 1 MB block of spaces is deflated once,
ending in a full flush so that the next identical block deflates to the same bytes, and the
block is repeated, as a bomb maker would.
"""

from __future__ import annotations

import gc
import resource
import struct
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from bench import record

MB = 1024 * 1024
BUDGET_SECONDS = 2.0
BUDGET_MB = 100.0


# --- a minimal zip writer: members given as plain bytes or as an already deflated stream ------
@dataclass
class Deflated:
    data: bytes  # raw deflate stream
    crc: int
    size: int  # inflated size (what the archive declares, unless `declared` says otherwise)
    declared: int | None = None


def zip_bytes(members: list[tuple[str, bytes | Deflated]]) -> bytes:
    out, central = bytearray(), bytearray()
    for name, member in members:
        if isinstance(member, bytes):
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            member = Deflated(c.compress(member) + c.flush(), zlib.crc32(member), len(member))
        declared = member.size if member.declared is None else member.declared
        encoded = name.encode("utf-8")
        offset = len(out)
        fields = (20, 0x0800, 8, 0, 0x21, member.crc, len(member.data), declared, len(encoded))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + member.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


@cache
def _spaces(megabytes: int) -> Deflated:
    block = b" " * MB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    return Deflated(piece * megabytes + c.flush(), crc, megabytes * MB)


def _deflated(prefix: bytes, body: Deflated, suffix: bytes) -> Deflated:
    """prefix + body + suffix as one deflate stream (each part byte-aligned by a full flush)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    tail_c = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = tail_c.compress(suffix) + tail_c.flush()
    body_open = body.data[:-2]  # drop the empty final block; the tail's final block ends the stream
    crc = zlib.crc32(suffix, _crc_combine(zlib.crc32(prefix), body))
    return Deflated(head + body_open + tail, crc, len(prefix) + body.size + len(suffix))


def _crc_combine(crc: int, body: Deflated) -> int:
    block = b" " * MB
    for _ in range(body.size // MB):
        crc = zlib.crc32(block, crc)
    return crc


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _content_types(main=MAIN_TYPE, extra="") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        f"{extra}</Types>"
    ).encode()


PACKAGE_RELS = (
    f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
WORKBOOK = (
    f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="签到表" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
).encode()
SHEET_OPEN = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'.encode()
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>学时</t></is></c></row>'
).encode()


def xlsx_from_sheet(sheet: bytes | Deflated, *, main=MAIN_TYPE, extra_types="", extra=()) -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", _content_types(main, extra_types)),
            ("_rels/.rels", PACKAGE_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet),
            *extra,
        ]
    )


def _data_rows(n: int, first: int = 2) -> bytes:
    return b"".join(
        f'<row r="{r}"><c r="A{r}"><v>{1000 + r}</v></c><c r="C{r}"><v>2</v></c></row>'.encode()
        for r in range(first, first + n)
    )


# --- the files -------------------------------------------------------------------------------
def benign() -> bytes:
    """A small, honest sheet from the same writer: proves the refusals below are not for the writer's sake."""
    return xlsx_from_sheet(SHEET_OPEN + HEADER_ROW + _data_rows(3) + b"</sheetData></worksheet>")


@cache
def bomb() -> bytes:
    """≈1.2 MB on disk, a worksheet inflating to ≈1.2 GB (the sizes declared honestly)."""
    return xlsx_from_sheet(_deflated(SHEET_OPEN + HEADER_ROW, _spaces(1200), b"</sheetData></worksheet>"))


@cache
def bomb_lying_sizes() -> bytes:
    """A zip bomb disguised as .xlsx: an extra member claims 1 KB and inflates to 1 GB."""
    big = _spaces(1024)
    media = Deflated(big.data, big.crc, big.size, declared=1024)
    return xlsx_from_sheet(
        SHEET_OPEN + HEADER_ROW + _data_rows(3) + b"</sheetData></worksheet>", extra=[("xl/media/image1.png", media)]
    )


def million_rows() -> bytes:
    """1,000,000 rows with a value each, a few hundred KB on disk."""
    row = b"<row><c><v>1001</v></c><c><v>2</v></c></row>"
    return xlsx_from_sheet(SHEET_OPEN + HEADER_ROW + row * 1_000_000 + b"</sheetData></worksheet>")


def wide_rows(rows: int = 300, cells: int = 16_384) -> bytes:
    """`rows` rows × `cells` filled cells (300 × 16,384 inflates past the limit; 20 × 16,384 does not)."""
    row = b"<row>" + b"<c><v>1</v></c>" * cells + b"</row>"
    return xlsx_from_sheet(SHEET_OPEN + HEADER_ROW + row * rows + b"</sheetData></worksheet>")


def far_columns() -> bytes:
    """Few cells, but with values far to the right (column XFD)."""
    rows = b"".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>1</v></c></row>'.encode() for r in (2, 3))
    return xlsx_from_sheet(SHEET_OPEN + HEADER_ROW + rows + b"</sheetData></worksheet>")


def merged_ranges() -> bytes:
    """10 merged ranges A2:XFD3001 over a short sheet: ≈2.6 KB on disk."""
    merges = b'<mergeCells count="10">' + b'<mergeCell ref="A2:XFD3001"/>' * 10 + b"</mergeCells>"
    return xlsx_from_sheet(SHEET_OPEN + HEADER_ROW + _data_rows(3) + b"</sheetData>" + merges + b"</worksheet>")


def many_merges() -> bytes:
    """100,000 tiny merged ranges: each is small, their number is not."""
    merges = b"".join(f'<mergeCell ref="D{r}:E{r}"/>'.encode() for r in range(2, 100_002))
    return xlsx_from_sheet(
        SHEET_OPEN + HEADER_ROW + _data_rows(3) + b"</sheetData><mergeCells>" + merges + b"</mergeCells></worksheet>"
    )


def many_shared_strings() -> bytes:
    """Shared strings up to the 8 MB a part other than a worksheet may inflate to (≈490,000 strings),
    which openpyxl reads whole and slowly (54 s before they were counted)."""
    strings = b"<si><t>a</t></si>" * (8 * MB // 17 - 100)
    sst = f'<sst xmlns="{NS}">'.encode() + strings + b"</sst>"
    sst_type = (
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    return xlsx_from_sheet(
        SHEET_OPEN + HEADER_ROW + _data_rows(3) + b"</sheetData></worksheet>",
        extra_types=sst_type,
        extra=[("xl/sharedStrings.xml", sst)],
    )


def xlsm_with_macros() -> bytes:
    vba = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    return xlsx_from_sheet(
        SHEET_OPEN + HEADER_ROW + _data_rows(3) + b"</sheetData></worksheet>",
        main=MACRO_TYPE,
        extra_types=vba,
        extra=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Attribute VB_Name = "Module1"' * 50)],
    )


def billion_laughs() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns="{NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>'
    ).encode()
    return xlsx_from_sheet(sheet)


def not_a_zip() -> bytes:
    """A PDF renamed to .xlsx."""
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x00" + bytes(range(256)) * 8


def csv_long_line(megabytes: int = 50) -> bytes:
    return "工号,姓名,学时\n".encode() + b"1001,\xe7\x8e\x8b" + b"A" * (megabytes * MB) + b",2\n"


HOSTILE: dict[str, Callable[[], bytes]] = {
    "xlsx 1.2 MB → 1.2 GB": bomb,
    "zip bomb disguised as xlsx (sizes lie)": bomb_lying_sizes,
    "1,000,000 rows": million_rows,
    "300 rows × 16,384 cells": wide_rows,
    "20 rows × 16,384 cells": lambda: wide_rows(20),
    "values in column XFD": far_columns,
    "10 merged ranges A2:XFD3001": merged_ranges,
    "100,000 merged ranges": many_merges,
    "490,000 shared strings (22 KB)": many_shared_strings,
    "xlsm with macros": xlsm_with_macros,
    "billion laughs": billion_laughs,
    "non-zip .xlsx": not_a_zip,
    "CSV with a 50 MB line": csv_long_line,
    "CSV with a 5 MB line": lambda: csv_long_line(5),
}


def honest_xlsx(rows: int = 20_000) -> bytes:
    """The largest sheet the limits allow, for what the checks cost an honest upload."""
    return xlsx_from_sheet(SHEET_OPEN + HEADER_ROW + _data_rows(rows) + b"</sheetData></worksheet>")


def honest_csv(rows: int = 20_000) -> bytes:
    lines = [f"{1000 + r},教师{r:05d},东湖区第{r % 40:02d}小学,2,2026-03-05\n" for r in range(rows)]
    return ("工号,姓名,学校,学时,日期\n" + "".join(lines)).encode()


HONEST: dict[str, Callable[[], bytes]] = {
    "honest xlsx, 20,000 rows": honest_xlsx,
    "honest CSV, 20,000 rows": honest_csv,
}


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / MB


def _refuse(data: bytes) -> str:
    from tracking.ledger.importers import ImportFileError, parse_sheet

    try:
        parsed = parse_sheet(data)
    except ImportFileError as exc:
        return str(exc)
    return f"accepted: {len(parsed.rows):,} rows"


def measure(data: bytes) -> tuple[float, float, float, str]:
    """(seconds, tracemalloc peak MB, RSS growth MB, message) for one refusal.

    Timed on its own first (tracemalloc slows allocation-heavy code several times over), then
    run again under tracemalloc for the peak of Python allocations; RSS growth is read around
    the timed run (the process's resident size after minus before, from /proc/self/statm)."""
    gc.collect()
    rss_before = _rss_mb()
    started = time.perf_counter()
    message = _refuse(data)
    seconds = time.perf_counter() - started
    rss = _rss_mb() - rss_before
    gc.collect()
    tracemalloc.start()
    _refuse(data)
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return seconds, peak, rss, message


def run() -> list[dict]:
    from django.utils import translation

    results = []
    with translation.override("zh-hans"):
        for name, make in HOSTILE.items():
            data = make()
            seconds, peak, rss, message = measure(data)
            detail = (
                f"{len(data) / 1024:,.0f} KB on disk; tracemalloc peak {peak:.1f} MB; RSS +{rss:.1f} MB; «{message}»"
            )
            results.append(record.measure(f"{name}: refused", seconds, "s", f"<= {BUDGET_SECONDS}", detail=detail))
            results.append(record.measure(f"{name}: memory peak", max(peak, rss), "MB", f"<= {BUDGET_MB}", detail=""))
            del data
        for name, make in HONEST.items():  # the same checks on honest files: what they cost, no budget
            data = make()
            seconds, peak, rss, message = measure(data)
            detail = f"{len(data) / 1024:,.0f} KB on disk; tracemalloc peak {peak:.1f} MB; RSS +{rss:.1f} MB; {message}"
            results.append(record.measure(f"{name}: parsed", seconds, "s", None, detail=detail))
    return results
