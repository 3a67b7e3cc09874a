"""The report table's body and totals row as HTML, written out in Python.

The same markup the report template wrote with a `{% for %}` per row and per cell (and an
`{% if %}` per cell): a district page of the delivery report has 100 schools × 18 columns,
and the template loop cost more than the query that fetched the numbers (issue 17). Every
text and URL is escaped here (`html.escape`, as Django's `escape`); the template only places
the result.
"""

from __future__ import annotations

import html

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .base import ReportTable, fmt


def _escape(text) -> str:
    """`conditional_escape` without its lazy-string wrapper (called for every cell)."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _cells(values: list[tuple[str, str, bool]], url: str = "") -> list[str]:
    """`values`: (column key, text, numeric) per column; the first is the row's header cell.
    Column keys are the reports' own identifiers; texts and URLs are escaped."""
    out = []
    for i, (key, text, num) in enumerate(values):
        if i == 0:
            if url:
                out.append(f'<th scope="row" class="col-{key}"><a href="{_escape(url)}">{_escape(text)}</a></th>')
            else:
                out.append(f'<th scope="row" class="col-{key}">{_escape(text)}</th>')
        else:
            out.append(f'<td class="col-{key}{" num" if num else ""}">{_escape(text)}</td>')
    return out


def table_body(table: ReportTable) -> tuple[SafeString, SafeString, bool]:
    """(the <tbody> rows, the totals row or "", whether a details column is shown)."""
    columns = [(c.key, c.kind, c.kind != "text") for c in table.columns]
    rows = table.rows if isinstance(table.rows, list) else list(table.rows)
    has_details = any(row.get("_detail_url") for row in rows)
    details = _("Details")
    lines = []
    for row in rows:
        cells = _cells([(key, fmt(row.get(key), kind), num) for key, kind, num in columns], row.get("_url", ""))
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
