"""The scorecard exports: one school as a printable PDF (the city's layout: indicator,
standard, figure, evidence, verdict), all schools of a district as .xlsx.

The PDF embeds the CJK font the certificates use (`courses.certificates.font_path`, Noto Sans
SC from npm, a Debian font as fallback). Every text cell of the sheet goes through
`cms.core.sheets.safe_cell`, so a school or note that starts with "=" stays text.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cms.core.sheets import safe_cell
from courses.certificates import font_path

from .compute import Scorecard, Verdict

logging.getLogger("fontTools").setLevel(logging.WARNING)

GREEN, RED, AMBER, GREY = (31, 111, 92), (176, 42, 32), (160, 100, 0), (90, 90, 90)
VERDICT_COLOURS = {
    Verdict.MET: GREEN,
    Verdict.NOT_MET: RED,
    Verdict.PENDING: AMBER,
    Verdict.NOT_APPLICABLE: GREY,
    Verdict.REFERENCE: GREY,
}


def evidence_text(row, base_url: str = "") -> str:
    parts = [row.figure.note] if row.figure.note else []
    if row.figure.source_url:
        url = row.figure.source_url
        parts.append(base_url + url if url.startswith("/") else url)
    return "\n".join(parts)


def pdf_lines(card: Scorecard) -> list[str]:
    """The header lines of the PDF (also what the test looks for)."""
    school = card.school
    lines = [
        _("Mental-health education evaluation scorecard"),
        f"{school['district__name']} · {school['name']}",
        _("Period: %(period)s · Students: %(students)s · Generated: %(at)s")
        % {
            "period": card.period,
            "students": school["student_count"],
            "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    ]
    if card.status is not None and card.status.label:
        status = card.status.label
        if card.status.valid_until:
            status += _(" (valid until %(date)s)") % {"date": card.status.valid_until.isoformat()}
        if card.status.flagged:
            status += " · " + _("Flagged: %(reason)s") % {"reason": card.status.flag_reason or _("below the standard")}
        lines.append(_("Status: %(status)s") % {"status": status})
    counts = "；".join(f"{Verdict.LABELS[v]} {card.counts[v]}" for v in Verdict.ORDER if card.counts.get(v))
    lines.append(counts)
    return [str(line) for line in lines]


def scorecard_pdf(card: Scorecard, base_url: str = "") -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_font("cjk", "", str(font_path()), collection_font_number=0)
    pdf.set_title(pdf_lines(card)[0] + " " + card.school["name"])
    pdf.add_page()
    header, *info = pdf_lines(card)
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 9, header, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", size=10)
    for line in info:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(2)
    pdf.set_font("cjk", size=8.5)
    headings = [_("Group"), _("Indicator"), _("Standard"), _("Figure"), _("Evidence"), _("Verdict")]
    heading_style = FontFace(emphasis="", fill_color=(228, 240, 236))
    with pdf.table(
        col_widths=(18, 38, 78, 42, 76, 25),
        headings_style=heading_style,
        line_height=4.6,
        text_align=("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "CENTER"),
        first_row_as_headings=True,
    ) as table:
        table.row([str(h) for h in headings])
        for group, rows in card.groups():
            for row in rows:
                cells = table.row()
                cells.cell(group)
                cells.cell(str(row.indicator.label))
                cells.cell(row.standard)
                cells.cell(row.figure_text)
                cells.cell(evidence_text(row, base_url))
                cells.cell(row.verdict_label, style=FontFace(color=VERDICT_COLOURS[row.verdict]))
    pdf.ln(3)
    pdf.set_font("cjk", size=8)
    pdf.multi_cell(
        0,
        4,
        _(
            "Figures are computed from the platform's records (reports of the same period); facilities and "
            "organisation come from entries approved by the district. “In progress”: not met yet, the period is "
            "still running."
        ),
    )
    return bytes(pdf.output())


def district_xlsx(stream, district, period, cards: list[Scorecard], base_url: str = "") -> None:
    """Sheet 1: one row per school with its verdict counts; sheet 2: one row per school and
    indicator (indicator, standard, figure, evidence, verdict)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = pgettext("sheet name", "Schools")[:31]  # "Schools" alone is a count column (学校数)
    bold = Font(bold=True)
    summary.append([safe_cell(str(_("Evaluation scorecards"))), safe_cell(district.name), safe_cell(str(period))])
    summary.append([safe_cell(str(_("Generated at"))), safe_cell(timezone.localtime().strftime("%Y-%m-%d %H:%M"))])
    summary.append([])
    header = [_("School code"), _("School"), _("Students"), _("Status")] + [Verdict.LABELS[v] for v in Verdict.ORDER]
    summary.append([safe_cell(str(h)) for h in header])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for card in cards:
        status = card.status.label if card.status is not None else ""
        if card.status is not None and card.status.flagged:
            status = f"{status}（{_('flagged')}）"
        summary.append(
            [
                safe_cell(card.school["code"]),
                safe_cell(card.school["name"]),
                card.school["student_count"],
                safe_cell(status),
                *[card.counts[v] for v in Verdict.ORDER],
            ]
        )
    summary.column_dimensions["B"].width = 30

    detail = workbook.create_sheet(str(_("Indicators"))[:31])
    detail_header = [
        _("School code"),
        _("School"),
        _("Group"),
        _("Indicator"),
        _("Standard"),
        _("Figure"),
        _("Evidence"),
        _("Verdict"),
    ]
    detail.append([safe_cell(str(h)) for h in detail_header])
    for cell in detail[1]:
        cell.font = bold
    for card in cards:
        for group, rows in card.groups():
            for row in rows:
                detail.append(
                    [
                        safe_cell(card.school["code"]),
                        safe_cell(card.school["name"]),
                        safe_cell(group),
                        safe_cell(str(row.indicator.label)),
                        safe_cell(row.standard),
                        safe_cell(row.figure_text),
                        safe_cell(evidence_text(row, base_url)),
                        safe_cell(row.verdict_label),
                    ]
                )
    for column, width in zip("ABCDEFGH", (12, 28, 14, 26, 50, 22, 50, 10), strict=True):
        detail.column_dimensions[column].width = width
    for cells in detail.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(stream)
