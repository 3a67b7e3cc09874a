"""Sign-in sheets as people fill them (issue 11, part 5): a totals line, a signature line and a
note under the data are skipped, not reported as unknown teachers; the preview shows dates
as dates, also when Excel stored a serial number."""

import datetime

import pytest

from django.urls import reverse

from accounts.scope import scope_for
from tracking.ledger import importers
from tracking.ledger.importers.sheet import FOOTER

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
SERIAL_2026_03_05 = (datetime.date(2026, 3, 5) - datetime.date(1899, 12, 30)).days  # 46086


def preview(data, session, user):
    return importers.preview_import(
        data=data, filename="签到表.xlsx", session=session, scope=scope_for(user), user=user
    )


def test_totals_signature_and_note_lines_are_skipped(session, people, school_coordinator, client):
    data = xlsx_bytes(
        [
            ["1001", "王伟", "甲一小学", 3, SERIAL_2026_03_05],
            ["1002", "李娜", "甲一小学", 3, "2026/3/5"],
            ["合计", "", "", "", "14人"],
            [None, None, None, None, None],
            ["签到负责人：张老师", None, None, None, None],
            ["", "备注：迟到半小时以上不计学时", "", "", ""],
        ]
    )
    batch = preview(data, session, school_coordinator)
    rows = {r["row"]: r for r in batch.rows}
    assert rows[2]["status"] == "ok" and rows[3]["status"] == "ok"
    assert [(n, rows[n]["status"], rows[n]["code"]) for n in (4, 6, 7)] == [
        (4, "skipped", "footer"),
        (6, "skipped", "footer"),
        (7, "skipped", "footer"),
    ]
    assert batch.counts() == {"ok": 2, "exists": 0, "error": 0, "skipped": 3}
    # the preview shows 2026-03-05, not Excel's serial number
    assert rows[2]["date"] == "2026-03-05" and rows[3]["date"] == "2026-03-05"
    client.force_login(school_coordinator)
    page = client.get(reverse("ledger:import_preview", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200, page.status_code
    assert str(SERIAL_2026_03_05) not in html and "2026-03-05" in html
    assert "合计" in html and "已跳过" in html  # listed as skipped, with a count, never as an error
    assert importers.confirm_import(batch, school_coordinator) == 2


def test_csv_totals_line_is_skipped_too(session, people, school_coordinator):
    data = csv_bytes([["1001", "王伟", "甲一小学", "3", ""], ["总计：1人", "", "", "", ""]])
    batch = preview(data, session, school_coordinator)
    assert [(r["row"], r["status"]) for r in batch.rows] == [(2, "ok"), (3, "skipped")]


@pytest.mark.parametrize(
    ("text", "footer"),
    [
        ("合计", True),
        ("小计：3人", True),
        ("签字", True),
        ("备注：……", True),
        ("注：迟到不计", True),
        ("制表人：王", True),
        ("1001", False),
        ("王伟", False),
        ("注意力训练", False),  # a word that starts like 注 is not a note
    ],
)
def test_what_counts_as_a_footer_line(text, footer):
    assert bool(FOOTER.match(text)) is footer
