"""Hostile sign-in sheets (issue 9, item 5): each is refused with a clear Chinese message and
nothing stored changes. The files are generated at test time by `bench/hostile_sheets.py` (small
on disk); how fast and how lean the refusals are is measured there (`make bench`), not here."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.scope import scope_for
from bench import hostile_sheets as hostile
from tests.factories import CoordinatorRoleFactory
from tracking.ledger import importers
from tracking.ledger.importers import sheet
from tracking.ledger.tasks import parse_attendance_import, purge_import_rows
from tracking.models import Attendance, ImportBatch, LedgerEntry

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

TOO_BIG_UNPACKED = "该 Excel 文件解压后过大（超过 50 MB），可能是“压缩炸弹”。请只保留签到表后重新上传。"
TOO_MANY_ROWS = "表格超过 20000 行，请拆分为多个文件。"
TOO_MANY_COLUMNS = "表格超过 50 列，请只保留签到所需的列后重新上传。"
TOO_MANY_MERGES = "表格中的合并单元格过多，请取消合并后重新上传。"
DAMAGED = "无法读取该 Excel 文件，文件可能已损坏。"
MACROS = "不接受含宏的工作簿（.xlsm），请另存为不含宏的 .xlsx 文件后重新上传。"
NOT_A_SHEET = "该文件既不是 Excel（.xlsx）工作簿，也不是 CSV 文本文件。"
TOO_LARGE = "文件过大（上限 10 MB）。"
LONG_LINE = "CSV 文件中有一行超过 10000 个字符，不是签到表。"

CASES = {
    "bomb 1.2 MB → 1.2 GB": (hostile.bomb, TOO_BIG_UNPACKED),
    "zip bomb disguised as xlsx, sizes lie": (hostile.bomb_lying_sizes, DAMAGED),
    "1,000,000 rows": (hostile.million_rows, TOO_MANY_ROWS),
    "300 rows × 16,384 cells": (hostile.wide_rows, TOO_BIG_UNPACKED),
    "20 rows × 16,384 cells": (lambda: hostile.wide_rows(20), TOO_MANY_COLUMNS),
    "values in column XFD": (hostile.far_columns, TOO_MANY_COLUMNS),
    "10 merged ranges A2:XFD3001": (hostile.merged_ranges, TOO_MANY_MERGES),
    "100,000 merged ranges": (hostile.many_merges, TOO_MANY_MERGES),
    "490,000 shared strings (22 KB)": (
        hostile.many_shared_strings,
        "工作簿中的不同文本超过 41000 项，请只保留签到表后重新上传。",
    ),
    "xlsm with macros": (hostile.xlsm_with_macros, MACROS),
    "billion laughs": (hostile.billion_laughs, DAMAGED),
    "non-zip .xlsx": (hostile.not_a_zip, NOT_A_SHEET),
    "CSV with a 50 MB line": (hostile.csv_long_line, TOO_LARGE),
    "CSV with a 5 MB line": (lambda: hostile.csv_long_line(5), LONG_LINE),
}


def test_the_generator_writes_real_workbooks():
    """The refusals below are for what the files hold, not for how they are written."""
    parsed = sheet.parse_sheet(hostile.benign())
    assert [number for number, _values in parsed.rows] == [2, 3, 4]
    assert parsed.rows[0][1] == {"staff_number": 1002, "name": None, "hours": 2}


def test_the_files_are_small_on_disk():
    assert len(hostile.bomb()) < 1.3 * hostile.MB
    assert len(hostile.million_rows()) < 300 * 1024
    assert len(hostile.merged_ranges()) < 3 * 1024


@pytest.mark.parametrize("make, message", CASES.values(), ids=CASES.keys())
def test_hostile_file_is_refused_with_a_clear_message(make, message):
    with pytest.raises(importers.ImportFileError) as refused:
        sheet.parse_sheet(make())
    assert str(refused.value) == message


def _stored():
    return (
        ImportBatch.objects.count(),
        Attendance.objects.count(),
        LedgerEntry.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    "name",
    [
        "bomb 1.2 MB → 1.2 GB",
        "1,000,000 rows",
        "10 merged ranges A2:XFD3001",
        "xlsm with macros",
        "CSV with a 50 MB line",
    ],
)
def test_upload_of_a_hostile_file_changes_nothing(client, session, people, school_coordinator, name):
    """Through the upload form: small files are read in the request, big ones (the bomb) by the
    eager task; either way the coordinator is sent back with the message and nothing is kept."""
    make, message = CASES[name]
    before = _stored()
    client.force_login(school_coordinator)
    upload = SimpleUploadedFile("签到表.xlsx", make())
    response = client.post(reverse("ledger:session_import", args=[session.pk]), {"file": upload})
    if len(upload) > settings.REQUEST_MAX_BYTES:
        # Bigger than any request the site reads: the 413 page answers before the body is read.
        assert response.status_code == 413 and "上传的内容过大" in response.content.decode()
    else:
        assert response["Location"] == reverse("ledger:session_detail", args=[session.pk])
        assert [str(m) for m in get_messages(response.wsgi_request)] == [message]
    assert _stored() == before


# --- the streaming limits, one by one ----------------------------------------------------------
def test_rows_are_counted_as_they_stream(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 5)
    rows = [[str(1000 + i), "", "", 2, ""] for i in range(30)]
    with pytest.raises(importers.ImportFileError, match="^表格超过 5 行"):
        sheet.parse_sheet(xlsx_bytes(rows))
    with pytest.raises(importers.ImportFileError, match="^表格超过 5 行"):
        sheet.parse_sheet(csv_bytes(rows))


def test_blank_row_elements_are_capped_too(monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROW_ELEMENTS", 50)
    blank = b"".join(f'<row r="{r}"/>'.encode() for r in range(2, 200))
    data = hostile.xlsx_from_sheet(hostile.SHEET_OPEN + hostile.HEADER_ROW + blank + b"</sheetData></worksheet>")
    with pytest.raises(importers.ImportFileError, match="^表格超过 20000 行"):
        sheet.parse_sheet(data)


def test_empty_cells_past_the_limit_are_ignored_but_values_refused():
    wide = [["1001", "王伟", "", 2, ""] + [None] * 60]
    assert len(sheet.parse_sheet(xlsx_bytes(wide)).rows) == 1
    with pytest.raises(importers.ImportFileError) as refused:
        sheet.parse_sheet(csv_bytes([["1001", "王伟", "", 2, ""] + ["x"] * 60]))
    assert str(refused.value) == TOO_MANY_COLUMNS


def test_merged_cells_still_spread_within_the_limits():
    data = xlsx_bytes(
        [["1001", "", "第一小学", 3, ""], ["1002", "", None, 3, ""]],
        title_rows=[["签到表"]],
        merges=["C3:C4", "A1:XFD1"],
    )
    parsed = sheet.parse_sheet(data)
    assert [values["school"] for _number, values in parsed.rows] == ["第一小学", "第一小学"]


def test_a_tag_split_between_two_reads_is_still_counted():
    counter = sheet.TagCounter()
    counter.feed(b"<row r='1'><c r='A1'/><")
    counter.feed(b"c r='B1'/></row><ro")
    counter.feed(b"w r='2'></row>")
    counter.feed(b"")
    assert (counter.rows, counter.cells_in_row) == (2, 0)


def test_a_long_quoted_field_is_a_malformed_csv():
    field = '"' + ("a" * 100 + "\n") * 1400 + '"'
    data = ("工号,姓名\n1001," + field + "\n").encode()
    with pytest.raises(importers.ImportFileError, match=r"^CSV 文件第 1299 行附近格式有误"):
        sheet.parse_sheet(data)


def test_control_characters_anywhere_in_a_csv_are_refused():
    data = csv_bytes([["1001", "王伟", "", 2, ""]] * 3000) + b"1002,\x07,x\n"
    with pytest.raises(importers.ImportFileError) as refused:
        sheet.parse_sheet(data)
    assert str(refused.value) == NOT_A_SHEET


def test_truncated_workbook_is_damaged():
    data = xlsx_bytes([["1001", "", "", 2, ""]])
    with pytest.raises(importers.ImportFileError) as refused:
        sheet.parse_sheet(data[: len(data) // 2])
    assert str(refused.value) in (DAMAGED, "该文件不是有效的 Excel（.xlsx）工作簿。")


# --- big files: read by a Celery task, with a progress bar --------------------------------------
def _big_sheet(people):
    padding = [["", "", "", "", ""]] * 10
    return xlsx_bytes([["1001", "", "", 3, ""], ["2001", "", "", 3, ""], *padding])


def test_big_file_is_read_by_the_task_and_previewed(client, session, people, school_coordinator, settings):
    settings.LEDGER_IMPORT_ASYNC_BYTES = 1000
    client.force_login(school_coordinator)
    upload = SimpleUploadedFile("签到表.xlsx", _big_sheet(people))
    response = client.post(reverse("ledger:session_import", args=[session.pk]), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("ledger:import_preview", args=[batch.pk])
    assert (batch.state, batch.progress, batch.upload.name) == (ImportBatch.State.READY, 100, "")
    assert batch.counts() == {"ok": 1, "exists": 0, "error": 1}
    progress = client.get(reverse("ledger:import_progress", args=[batch.pk])).json()
    assert progress == {"state": "ready", "progress": 100, "error": ""}
    client.post(reverse("ledger:import_preview", args=[batch.pk]))
    assert Attendance.objects.count() == 1


def test_a_file_being_read_shows_a_progress_bar_and_cannot_be_confirmed(client, session, people, school_coordinator):
    batch = importers.queue_import(
        data=_big_sheet(people), filename="大表.xlsx", session=session, user=school_coordinator
    )
    client.force_login(school_coordinator)
    page = client.get(reverse("ledger:import_preview", args=[batch.pk]))
    assert b"<progress" in page.content and b"js/imports.js" in page.content
    assert "文件较大，正在后台读取。" in page.content.decode()
    with pytest.raises(importers.NotReady):
        importers.confirm_import(batch, school_coordinator)
    response = client.post(reverse("ledger:import_preview", args=[batch.pk]))
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["该文件未能成功读取，未添加任何记录。"]
    assert Attendance.objects.count() == 0
    # The worker picks it up: the stored file is read, then deleted.
    stored = batch.upload.name
    assert parse_attendance_import(batch.pk) == "ready"
    batch.refresh_from_db()
    assert batch.counts()["ok"] == 1 and not batch.upload
    assert not batch.upload.storage.exists(stored)
    assert parse_attendance_import(batch.pk) == "ready"  # a redelivered task changes nothing


def test_a_refused_big_file_says_why_on_the_preview_page(client, session, school_coordinator):
    batch = importers.queue_import(
        data=hostile.merged_ranges(), filename="x.xlsx", session=session, user=school_coordinator
    )
    assert parse_attendance_import(batch.pk) == "failed"
    client.force_login(school_coordinator)
    page = client.get(reverse("ledger:import_preview", args=[batch.pk])).content.decode()
    assert "文件未被接受：" in page and TOO_MANY_MERGES in page
    client.post(reverse("ledger:import_preview", args=[batch.pk]))
    assert Attendance.objects.count() == 0


def test_the_time_limit_refuses_the_file_with_a_message(session, school_coordinator):
    batch = importers.queue_import(data=b"x", filename="x.csv", session=session, user=school_coordinator)
    with mock.patch.object(importers, "parse_queued", side_effect=SoftTimeLimitExceeded):
        assert parse_attendance_import(batch.pk) == "failed"
    batch.refresh_from_db()
    assert batch.error == "读取文件耗时过长，请拆分为较小的文件后重新上传。"
    assert not batch.upload
    assert parse_attendance_import(0) == "missing"


def test_the_time_limit_mid_parse_is_not_mistaken_for_a_damaged_file(session, school_coordinator):
    batch = importers.queue_import(data=hostile.benign(), filename="x.xlsx", session=session, user=school_coordinator)
    with mock.patch.object(sheet.GuardedSheetStream, "read", side_effect=SoftTimeLimitExceeded):
        assert parse_attendance_import(batch.pk) == "failed"
    batch.refresh_from_db()
    assert batch.error == "读取文件耗时过长，请拆分为较小的文件后重新上传。"


def test_start_page_counts_only_imports_ready_to_confirm(session, people, school_coordinator):
    from cms.core.start import coordinator_todos

    importers.queue_import(data=b"x", filename="x.csv", session=session, user=school_coordinator)
    scope = scope_for(school_coordinator)
    assert coordinator_todos(scope, None).unconfirmed_imports == 0
    importers.preview_import(
        data=csv_bytes([["1001", "", "", 3, ""]]),
        filename="a.csv",
        session=session,
        scope=scope,
        user=school_coordinator,
    )
    assert coordinator_todos(scope, None).unconfirmed_imports == 1


def test_progress_is_only_for_the_coordinators_of_the_session(client, session, org, school_coordinator):
    batch = importers.queue_import(data=b"x", filename="x.csv", session=session, user=school_coordinator)
    other = CoordinatorRoleFactory(level="school", school=org["school_b1"]).user
    client.force_login(other)
    assert client.get(reverse("ledger:import_progress", args=[batch.pk])).status_code == 404


def test_progress_is_reported_while_the_sheet_streams():
    seen = []
    rows = [[str(1000 + i), "", "", 2, ""] for i in range(3000)]
    sheet.parse_sheet(xlsx_bytes(rows), seen.append)
    assert seen[-1] == 1.0 and len(seen) > 3 and seen == sorted(seen)
    seen.clear()
    sheet.parse_sheet(csv_bytes(rows * 2), seen.append)
    assert seen and all(0 < f <= 1 for f in seen)


# --- item 10: the imported rows are purged after confirmation + N days -------------------------
def test_rows_are_purged_after_confirmation_plus_keep_days(client, session, people, school_coordinator, settings):
    settings.LEDGER_IMPORT_KEEP_DAYS = 30
    scope = scope_for(school_coordinator)
    data = xlsx_bytes([["1001", "王伟", "", 3, ""], ["9999", "", "", 3, ""]])
    old = importers.preview_import(data=data, filename="a.xlsx", session=session, scope=scope, user=school_coordinator)
    importers.confirm_import(old, school_coordinator)
    recent = importers.preview_import(
        data=data, filename="b.xlsx", session=session, scope=scope, user=school_coordinator
    )
    importers.confirm_import(recent, school_coordinator)
    abandoned = importers.preview_import(
        data=data, filename="c.xlsx", session=session, scope=scope, user=school_coordinator
    )
    long_ago = timezone.now() - datetime.timedelta(days=31)
    ImportBatch.objects.filter(pk=old.pk).update(confirmed_at=long_ago)
    ImportBatch.objects.filter(pk=abandoned.pk).update(created_at=long_ago)

    assert purge_import_rows() == 2
    old.refresh_from_db()
    assert old.rows == [] and old.rows_purged_at is not None
    assert old.counts() == {"ok": 1, "exists": 0, "error": 1}
    assert ImportBatch.objects.get(pk=recent.pk).rows != []
    assert not ImportBatch.objects.filter(pk=abandoned.pk).exists()
    assert Attendance.objects.count() == 1 and LedgerEntry.objects.count() == 1
    assert purge_import_rows() == 0  # idempotent

    client.force_login(school_coordinator)
    page = client.get(reverse("ledger:import_preview", args=[old.pk])).content.decode()
    assert "签到表明细已于" in page and "王伟" not in page
    with pytest.raises(importers.AlreadyConfirmed):
        importers.confirm_import(old, school_coordinator)


def test_the_purge_runs_daily_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["tracking-purge-import-rows"]
    assert entry["task"] == purge_import_rows.name
