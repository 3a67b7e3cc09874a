"""Attendance import: sign-in sheets (.xlsx or .csv) → preview → atomic confirm.

Real sheets are messy: a title row or two above the header, merged cells, blank rows,
full-width digits and spaces, dates written four ways, hours written as "2学时". Every
cell goes through NFKC normalisation; the header row is found by its column names.

Speed: the whole file is matched with a handful of bulk queries (teachers by staff
number, by name, existing attendance) and confirmed with bulk_create — never a query per
row — so a 10,000-row sheet stays well inside the 10 s budget (see `bench/`).

The three steps live apart: `sheet` reads the file, `rows` validates each row, `entries`
writes what the coordinator confirms (`template` is the blank sheet to download).
"""

from .entries import (
    AlreadyConfirmed,
    NotReady,
    confirm_import,
    discard_upload,
    fail_queued,
    parse_queued,
    preview_import,
    queue_import,
)
from .rows import parse_date, parse_hours, validate_rows
from .sheet import MAX_UPLOAD_BYTES, ImportFileError, parse_sheet
from .template import build_template

__all__ = [
    "MAX_UPLOAD_BYTES",
    "AlreadyConfirmed",
    "NotReady",
    "ImportFileError",
    "build_template",
    "confirm_import",
    "discard_upload",
    "fail_queued",
    "parse_queued",
    "queue_import",
    "parse_date",
    "parse_hours",
    "parse_sheet",
    "preview_import",
    "validate_rows",
]
