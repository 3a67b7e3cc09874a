"""The scorecard summary table's rows (district page, city list) as HTML, written out in Python.

The same markup `_summary_table.html` wrote with a `{% for %}` per school and per verdict
column: on the largest district (100 schools) the template loop took about a fifth of the
page's CPU, as the report tables did before `tracking/reports/table_html.py` (decision 0039).
Every text and URL is escaped here; the template only places the result.
"""

from __future__ import annotations

import html

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def _e(text) -> str:
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _status_cell(status, flagged_label: str) -> str:
    if status is None or not status.label:
        return '<td class="col-status"></td>'
    badge = "badge-danger" if status.flagged else "badge-ok"
    text = _e(status.label)
    if status.valid_until:
        text += f" · {status.valid_until:%Y-%m-%d}"
    if status.flagged:
        text += f" · {_e(flagged_label)}"
    return (
        f'<td class="col-status"><span class="badge {badge} status-badge" data-status="{_e(status.status)}">'
        f"{text}</span></td>"
    )


def summary_rows(rows: list[dict], *, show_district: bool, flagged_label: str) -> SafeString:
    """`rows` as `views._summary_rows` makes them: card, url, overall (label, badge) and counts
    (verdict, label, badge, n) per verdict column."""
    lines = []
    for row in rows:
        card = row["card"]
        label, badge = row["overall"]
        cells = [
            f'<tr data-school="{int(card.school_id)}">',
            f'<th scope="row"><a href="{_e(row["url"])}">{_e(card.school["name"])}</a></th>',
        ]
        if show_district:
            cells.append(f'<td class="col-district">{_e(card.school.get("district__name") or "")}</td>')
        cells.append(_status_cell(card.status, flagged_label))
        cells.append(f'<td class="school-verdict"><span class="badge {badge}">{_e(label)}</span></td>')
        for _verdict, column, column_badge, n in row["counts"]:
            if n:
                cells.append(
                    f'<td class="num" data-label="{_e(column)}"><span class="badge {column_badge}">{int(n)}</span></td>'
                )
            else:
                cells.append(f'<td class="num is-zero" data-label="{_e(column)}">0</td>')
        cells.append("</tr>")
        lines.append("".join(cells))
    if not lines:
        lines.append(f'<tr><td colspan="9">{_e(_("No schools match these filters in your scope."))}</td></tr>')
    return mark_safe("\n".join(lines))  # noqa: S308 — every text and URL above is escaped
