"""The blank sign-in sheet coordinators download (the columns the reader looks for first)."""

from __future__ import annotations

import io

from cms.core.sheets import safe_cell

from ..models import OfflineSession
from .sheet import COLUMNS


def build_template(session: OfflineSession | None = None, staff=None) -> bytes:
    """The downloadable sign-in sheet: a title row, the header, and an instructions sheet.

    With `staff` (teachers, already limited to the session's audience and the coordinator's
    scope) it is the pre-filled sheet to print: one row per teacher with 0 学时 and a 签名
    column; the coordinator changes 0 to the hours of those who came (or clears it: the
    session's hours). Uploaded unchanged, it imports nobody: 0 means "did not attend"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "签到表"
    headers = [aliases[0] for aliases in COLUMNS.values()] + (["签名"] if staff is not None else [])
    title = f"{session.title} 签到表" if session else "培训签到表"
    ws.append([safe_cell(title)])  # the session title is typed by a coordinator
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for teacher in staff if staff is not None else []:
        # Names are typed by people: written as text, never as formulas (read back by restore_cell).
        ws.append(
            [safe_cell(teacher.staff_number), safe_cell(teacher.user.name), safe_cell(teacher.school.name), 0, "", ""]
        )
    for letter, width in zip("ABCDEF", (14, 12, 28, 8, 14, 16), strict=True):
        ws.column_dimensions[letter].width = width
    help_ws = wb.create_sheet("填写说明")
    for line in (
        "每位教师一行；优先填写工号，没有工号时填写姓名和学校。",
        "学时可写 2、1.5 或“2学时”，须为0.5的整数倍，不超过本次培训学时；留空按本次培训学时计。",
        "日期可写 2026-03-05、2026/3/5 或 2026年3月5日；留空则不检查。",
        "同一文件可重复导入：已导入的教师不会重复计学时。",
        "预填教职工名单的签到表：学时为 0 表示未出席，不导入；"
        "出席的教师请把 0 改为实际学时（或清空，按本次培训学时计）。",
    ):
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
