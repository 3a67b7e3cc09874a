"""Cells that leave the platform in a spreadsheet (.xlsx or CSV): formula injection neutralised.

A teacher's name, a school's name or a session title is typed by people; written as is, a
value such as `=HYPERLINK("http://…","点我")` becomes a live formula when the export is opened
in Excel or WPS (and `+`, `-`, `@`, a leading tab or carriage return are read as formulas too,
OWASP "CSV injection"). Every writer of a sheet passes its text cells through `safe_cell`, the
one place the rule lives: such text gets a leading apostrophe and is kept as text. Numbers are
left alone (a −1.5 h correction stays a number).
"""

from __future__ import annotations

from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; numbers, dates
    and None pass unchanged. Lazy translations count as text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if hasattr(value, "isoformat"):  # date, datetime, time
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def restore_cell(value):
    """The inverse, for our own sheets coming back (the pre-filled sign-in sheet): a text that
    `safe_cell` protected reads as it was typed, so "'=王伟" matches the teacher named "=王伟"."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
