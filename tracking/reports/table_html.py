"""The report table's body and totals row as HTML, written out in Python.

The same markup the report template wrote with a `{% for %}` per row and per cell (and an
`{% if %}` per cell): a district page of the delivery report has 100 schools × 18 columns,
and the template loop cost more than the query that fetched the numbers (issue 17). Every
text and URL is escaped here (`html.escape`, as Django's `escape`); the template only places
the result.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .base import ReportTable, escape_text, fmt


def _cells(values: list[tuple[str, str, bool]], url: str = "") -> list[str]:
    """`values`: (column key, text, numeric) per column; the first is the row's header cell.
    Column keys are the reports' own identifiers; texts and URLs are escaped."""
    out = []
    for i, (key, text, num) in enumerate(values):
        if i == 0:
            if url:
                out.append(
                    f'<th scope="row" class="col-{key}"><a href="{escape_text(url)}">{escape_text(text)}</a></th>'
                )
            else:
                out.append(f'<th scope="row" class="col-{key}">{escape_text(text)}</th>')
        else:
            out.append(f'<td class="col-{key}{" num" if num else ""}">{escape_text(text)}</td>')
    return out


def _row(columns: list[tuple[str, str, str, bool]], row: dict) -> str:
    """One row's cells after the header cell: each column's opening tag is made once per table
    (`columns`: key, kind, "<td ...>", whether `fmt` writes an int as its digits), and such an
    integer cell (most of a delivery district page's 100 × 17) is written as its digits, which
    need no escaping; the rest as `_cells` writes them."""
    out = []
    for key, kind, opening, digits in columns:
        value = row.get(key)
        if digits and type(value) is int:  # noqa: E721 (not bool, not a subclass with its own str)
            out.append(f"{opening}{value}</td>")
        else:
            out.append(f"{opening}{escape_text(fmt(value, kind))}</td>")
    return "".join(out)


def table_body(table: ReportTable) -> tuple[SafeString, SafeString, bool]:
    """(the <tbody> rows, the totals row or "", whether a details column is shown)."""
    columns = [(c.key, c.kind, c.kind != "text") for c in table.columns]
    rows = table.rows if isinstance(table.rows, list) else list(table.rows)
    has_details = any(row.get("_detail_url") for row in rows)
    details = _("Details")
    lines = []
    (first_key, first_kind, _num), rest = columns[0], columns[1:]  # the first column heads the row
    openings = [
        (key, kind, f'<td class="col-{key}{" num" if num else ""}">', kind not in ("percent", "hours"))
        for key, kind, num in rest
    ]
    for row in rows:
        head = _cells([(first_key, fmt(row.get(first_key), first_kind), False)], row.get("_url", ""))[0]
        cells = [head, _row(openings, row)]
        if has_details:
            detail_url = row.get("_detail_url", "")
            link = format_html('<a href="{}">{}</a>', detail_url, details) if detail_url else ""
            cells.append(f"<td>{link}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    if not lines:
        empty = _("Nothing matches these filters in your scope.")
        lines.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), empty))
    totals = ""
    if table.totals:
        cells = _cells([(key, fmt(table.totals.get(key), kind), num) for key, kind, num in columns])
        if has_details:
            cells.append("<td></td>")
        totals = "<tr>" + "".join(cells) + "</tr>"
    # Every part above went through format_html (escaped) or is a literal.
    return mark_safe("\n".join(lines)), mark_safe(totals), has_details  # noqa: S308
