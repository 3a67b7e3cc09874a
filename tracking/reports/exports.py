"""The export pipeline every report shares: .xlsx (openpyxl, write-only, streaming) and CSV.

Every text cell goes through `cms.core.sheets.safe_cell` (formula injection neutralised).

Layout: a title row (report name), a row with scope, filters and date, a blank row, the
Chinese header (frozen), the data rows, and a totals row. Column widths are fitted to
the header and the first rows (CJK characters count double). Rows are consumed as an
iterator, so a 50,000-row teacher list never sits in memory as openpyxl cells.
"""

from __future__ import annotations

import csv
import itertools
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from cms.core.sheets import safe_cell

from ..figures import round_percent
from .base import Column, ReportContext, fmt

WIDTH_SAMPLE = 200
HEADER_ROW = 4  # 1 title, 2 scope/filters/date, 3 blank, 4 header
Progress = Callable[[int], None]

# Exports carry teachers' data out of the platform: each one is on the audit trail.
EXPORT = "report.export"
AUDIT_ACTIONS = {EXPORT: gettext_lazy("Report exported")}


def record_export(user, report, ctx: ReportContext, fmt_: str, rows: int, job_id: str = "") -> None:
    """One audit event per export asked for, readable by the coordinators of what it covers."""
    scope = ctx.scope
    place = {}
    if ctx.school is not None:
        place["school"] = ctx.school
    elif ctx.district is not None:
        place["district"] = ctx.district
    elif not scope.city and len(scope.district_ids) == 1 and not scope.school_ids:
        place["district"] = next(iter(scope.district_ids))
    elif not scope.city and len(scope.school_ids) == 1 and not scope.district_ids:
        place["school"] = next(iter(scope.school_ids))
    after = {"report": report.key, "format": fmt_, "rows": rows, "filters": ctx.params}
    if job_id:
        after["job"] = job_id
    audit.record(
        actor=user,
        action=EXPORT,
        summary=_("Exported %(report)s (%(rows)s rows)") % {"report": report.title, "rows": rows},
        after=after,
        **place,
    )


def text_width(value) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def export_meta(report, ctx: ReportContext) -> list[str]:
    return [
        str(report.title),
        "{}：{}　{}：{}　{}：{}".format(
            _("Scope"),
            ctx.describe_scope(),
            _("Filters"),
            ctx.describe_filters(report.filter_fields),
            _("Generated"),
            ctx.generated_at(),
        ),
    ]


def _cell_value(value, kind: str):
    if value is None or value == "":
        return None
    if kind in ("int",):
        return int(value)
    if kind == "percent":
        # a fraction, shown by the cell's percentage format; rounded first by the one rule
        return float(round_percent(value) / 100)
    if kind == "hours":
        return float(Decimal(value))
    return safe_cell(str(value))


NUMBER_FORMATS = {"percent": "0.0%", "hours": "0.0"}


def _cells(ws, values: list, columns: list[Column], bold: Font | None = None) -> list:
    """One row for a write-only sheet: plain values, except percentages and hours (formatted cells)
    and every cell of a bold row."""
    out = []
    for value, column in zip(values, columns, strict=True):
        number_format = NUMBER_FORMATS.get(column.kind)
        if number_format is None and bold is None:
            out.append(value)
            continue
        cell = WriteOnlyCell(ws, value=value)
        if number_format:
            cell.number_format = number_format
        if bold is not None:
            cell.font = bold
        out.append(cell)
    return out


def write_xlsx(fileobj, report, ctx, columns: list[Column], rows: Iterable[dict], totals: dict | None, progress=None):
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(report.title)[:31])
    for index, column in enumerate(columns, start=1):
        widths = [text_width(column.label)] + [text_width(fmt(r.get(column.key), column.kind)) for r in sample]
        if totals:
            widths.append(text_width(fmt(totals.get(column.key), column.kind)))
        ws.column_dimensions[_letter(index)].width = min(60, max(widths) + 2)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    title, meta = export_meta(report, ctx)
    bold = Font(bold=True)
    title_cell = WriteOnlyCell(ws, value=safe_cell(title))
    title_cell.font = Font(bold=True, size=14)
    ws.append([title_cell])
    ws.append([safe_cell(meta)])
    ws.append([])
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=safe_cell(column.label))
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    n = 0
    for row in itertools.chain(sample, rows):
        ws.append(_cells(ws, [_cell_value(row.get(c.key), c.kind) for c in columns], columns))
        n += 1
        if progress and n % 1000 == 0:
            progress(n)
    if totals:
        ws.append(_cells(ws, [_cell_value(totals.get(c.key), c.kind) for c in columns], columns, bold))
    wb.save(fileobj)
    if progress:
        progress(n)
    return n


def write_csv(fileobj, report, ctx, columns: list[Column], rows: Iterable[dict], totals: dict | None, progress=None):
    """UTF-8 with BOM so Excel opens the Chinese text correctly. `fileobj` is a text stream."""
    fileobj.write("\ufeff")
    writer = csv.writer(fileobj)
    for line in export_meta(report, ctx):
        writer.writerow([safe_cell(line)])
    writer.writerow([safe_cell(c.label) for c in columns])
    n = 0
    for row in rows:
        writer.writerow(["" if row.get(c.key) is None else _plain(row.get(c.key), c.kind) for c in columns])
        n += 1
        if progress and n % 1000 == 0:
            progress(n)
    if totals:
        writer.writerow(["" if totals.get(c.key) is None else _plain(totals.get(c.key), c.kind) for c in columns])
    if progress:
        progress(n)
    return n


def _plain(value, kind):
    if kind == "percent":
        return str(round_percent(value))
    if kind == "hours":
        return f"{Decimal(value):.1f}"
    if kind == "int":
        return str(value)
    return safe_cell(str(value))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def export_rows(report, ctx: ReportContext, *, streaming: bool = False):
    """(columns, rows, totals, row_count) for what the screen shows, or the teacher list with detail=teachers.

    With `streaming`, teacher rows come from a server-side iterator and totals are computed
    in SQL, so memory stays flat for any number of rows.
    """
    if getattr(report, "teacher_queryset", None) and (ctx.detail == "teachers" or ctx.level == "school"):
        qs = report.teacher_queryset(ctx)
        count = qs.count()
        source = qs.iterator(chunk_size=2000) if streaming else qs
        totals = {"district": _("Total"), "name": _("%(n)s teachers") % {"n": count}, "hours": 0, "sessions": 0}

        def summed(rows):  # totals fill in as rows stream by; writers read them after the last row
            for row in rows:
                totals["hours"] += row["hours"] or 0
                totals["sessions"] += row["sessions"] or 0
                yield row

        return report.teacher_columns, summed(report.teacher_rows(ctx, source)), totals, count
    table = report.build(ctx)
    return table.columns, table.rows, table.totals, len(table.rows)


def export_filename(report, ctx: ReportContext, extension: str) -> str:
    """Report, scope, the filters that shaped it, the teacher list or the summary, the minute:
    two exports of different selections never share a name (a downloads folder keeps both)."""
    parts = [str(report.title), ctx.describe_scope()]
    fields = [f for f in report.filter_fields if f in ("year", "term", "category", "status")]
    if fields and ctx.describe_filters(fields) != str(_("No filters")):
        parts.append(ctx.describe_filters(fields).replace("；", "_"))
    if ctx.detail == "teachers" or ctx.level == "school":
        parts.append(str(_("teacher list")))
    parts.append(ctx.generated_at().replace(" ", "_").replace(":", ""))
    name = "_".join(parts)
    return f"{name}.{extension}".replace("/", "-").replace(" ", "").replace("·", "-")
