"""Attendance import: real .xlsx / .csv files, messy sheets, every error reason, idempotence, atomicity."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest

from accounts.models import AuditEvent
from accounts.scope import scope_for
from tests.factories import AttendanceFactory, TeacherProfileFactory
from tracking.ledger import importers
from tracking.ledger.services import teacher_status
from tracking.models import Attendance, LedgerEntry, LedgerSource

from .conftest import HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def preview(data, session, user):
    return importers.preview_import(
        data=data, filename="签到表.xlsx", session=session, scope=scope_for(user), user=user
    )


def by_row(batch):
    return {r["row"]: r for r in batch.rows}


def test_clean_sheet_previews_then_confirms(session, people, school_coordinator):
    data = xlsx_bytes([["1001", "王伟", "甲一小学", 3, "2026-03-05"], ["1002", "李娜", "甲一小学", "1.5", ""]])
    batch = preview(data, session, school_coordinator)
    assert [(r["row"], r["status"]) for r in batch.rows] == [(2, "ok"), (3, "ok")]
    assert Attendance.objects.count() == 0  # preview writes nothing

    assert importers.confirm_import(batch, school_coordinator) == 2
    entry = LedgerEntry.objects.get(teacher=people["li"])
    assert (entry.hours, entry.source, entry.source_ref) == (
        Decimal("1.5"),
        LedgerSource.OFFLINE_SESSION,
        session.source_ref,
    )
    assert entry.school_id == people["li"].school_id
    assert teacher_status(people["wang"], session.training_year).hours == Decimal("3")
    event = AuditEvent.objects.get(action="attendance.import")
    assert event.actor == school_coordinator
    assert event.after["imported"] == 2 and event.after["sha256"] == batch.sha256


def test_messy_sheet_title_rows_merged_cells_blank_rows_fullwidth(session, people, school_coordinator):
    data = xlsx_bytes(
        [
            ["１００１", "王　伟", "甲一小学", "２学时", "2026年3月5日"],
            [None, None, None, None, None],
            ["", "李娜", "甲一小学", "１．５", datetime.datetime(2026, 3, 5, 9, 30)],
            ["", "刘洋", None, "1.5 小时", "2026/3/5"],  # school comes from the merged cell above
        ],
        title_rows=[["2026年全市心理健康教育面授培训签到表"], ["培训地点：市教育局报告厅"]],
        merges=["A1:E1", "A2:E2", "C6:C7"],
        header=["工 号", "姓名", "学校（全称）", "学时", "签到日期"],
    )
    batch = preview(data, session, school_coordinator)
    rows = by_row(batch)
    assert sorted(rows) == [4, 6, 7]  # header on row 3, blank row 5 skipped
    assert rows[4]["status"] == "ok" and rows[4]["teacher_id"] == people["wang"].pk
    assert rows[4]["credit_hours"] == "2"
    assert rows[6]["teacher_id"] == people["li"].pk and rows[6]["credit_hours"] == "1.5"
    assert rows[7]["status"] == "ok" and rows[7]["teacher_id"] == people["liu_a1"].pk


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_bom_and_gbk(session, people, school_coordinator, encoding):
    data = csv_bytes(
        [["1001", "王伟", "甲一小学", "2学时", "2026/3/5"], ["", "李娜", "甲一小学", "", ""]], encoding=encoding
    )
    batch = preview(data, session, school_coordinator)
    assert [r["status"] for r in batch.rows] == ["ok", "ok"]
    assert batch.rows[1]["credit_hours"] == "3"  # empty hours → the session's hours


def test_excel_serial_dates(session, people, school_coordinator):
    serial = (datetime.date(2026, 3, 5) - datetime.date(1899, 12, 30)).days
    data = xlsx_bytes([["1001", "", "", 3, serial], ["1002", "", "", 3, str(serial + 1)]])
    rows = by_row(preview(data, session, school_coordinator))
    assert rows[2]["status"] == "ok"
    assert rows[3]["code"] == "date_outside"


def test_every_error_reason(session, people, school_coordinator):
    AttendanceFactory(session=session, teacher=people["li"])
    data = xlsx_bytes(
        [
            ["9999", "", "", 3, ""],  # 2 unknown staff number
            ["", "赵六", "甲一小学", 3, ""],  # 3 unknown name
            ["", "张敏", "", 3, ""],  # 4 a name found only outside the scope
            ["1001", "", "", 3, ""],  # 5 ok
            ["1001", "", "", 3, ""],  # 6 duplicate of row 5
            ["1003", "", "", 4, ""],  # 7 more hours than the session
            ["1003", "", "", 0, ""],  # 8 zero hours: did not attend (the pre-filled staff sheet)
            ["1003", "", "", "1.3", ""],  # 9 not a half-hour step
            ["1003", "", "", "两小时", ""],  # 10 not a number
            ["1003", "", "", 3, "2026-03-06"],  # 11 date outside the session
            ["3001", "", "", 3, ""],  # 12 another district's teacher
            ["1002", "", "", 3, ""],  # 13 already recorded
            ["1001", "李娜", "", 3, ""],  # 14 staff number and name disagree
            ["", "", "甲一小学", 3, ""],  # 15 no teacher at all
        ]
    )
    rows = by_row(preview(data, session, school_coordinator))
    codes = {n: (r["status"], r["code"]) for n, r in rows.items()}
    assert codes == {
        2: ("error", "not_found"),
        3: ("error", "not_found"),
        4: ("error", "not_found"),
        5: ("ok", ""),
        6: ("error", "duplicate_row"),
        7: ("error", "hours_out_of_range"),
        8: ("absent", "absent"),
        9: ("error", "hours_step"),
        10: ("error", "bad_hours"),
        11: ("error", "date_outside"),
        12: ("error", "not_found"),
        13: ("exists", "already_imported"),
        14: ("error", "name_mismatch"),
        15: ("error", "no_teacher"),
    }
    assert rows[6]["reason"] == "重复行：与第 5 行为同一教师。"
    assert rows[2]["reason"] == "查无此人：您的管理范围内没有工号为 9999 的教师。"
    # Another district's staff number gets the very same answer as a number nobody has (issue 9 #7).
    assert rows[12]["reason"] == "查无此人：您的管理范围内没有工号为 3001 的教师。"
    assert rows[4]["reason"] == rows[3]["reason"].replace("赵六", "张敏").replace("甲一小学", "任何学校")
    assert "甲二中学" not in rows[12]["reason"] and "teacher_name" not in rows[12]  # nothing leaks
    assert all(r["reason"] for r in rows.values() if r["status"] != "ok")


def test_ambiguous_name_resolved_by_school(session, people, district_coordinator):
    rows = preview(
        xlsx_bytes([["", "刘洋", "", 3, ""], ["", "刘洋", "甲一小学", 3, ""]]), session, district_coordinator
    ).rows
    assert rows[0]["code"] == "ambiguous_name"
    assert rows[0]["reason"] == "姓名重复：有 2 名教师叫刘洋，请填写工号。"
    assert rows[1]["status"] == "ok" and rows[1]["teacher_id"] == people["liu_a1"].pk


def test_namesake_outside_scope_neither_blocks_nor_leaks(session, people, school_coordinator):
    rows = preview(xlsx_bytes([["", "刘洋", "", 3, ""]]), session, school_coordinator).rows
    assert rows[0]["status"] == "ok" and rows[0]["teacher_id"] == people["liu_a1"].pk


def test_school_coordinator_cannot_import_other_schools_teachers(session, people, school_coordinator):
    rows = preview(xlsx_bytes([["2001", "", "", 3, ""]]), session, school_coordinator).rows
    assert rows[0]["code"] == "not_found" and "teacher_id" not in rows[0]


def test_teacher_in_scope_but_outside_audience(session, people, district_coordinator):
    rows = preview(xlsx_bytes([["2001", "", "", 3, ""]]), session, district_coordinator).rows
    assert rows[0]["code"] == "outside_audience"


def test_reimport_adds_nothing_and_corrected_file_adds_only_missing(session, people, school_coordinator):
    first = xlsx_bytes([["1001", "", "", 3, ""], ["1002x", "", "", 3, ""]])
    batch = preview(first, session, school_coordinator)
    assert importers.confirm_import(batch, school_coordinator) == 1

    again = preview(first, session, school_coordinator)
    assert [r["status"] for r in again.rows] == ["exists", "error"]
    assert importers.confirm_import(again, school_coordinator) == 0

    corrected = preview(xlsx_bytes([["1001", "", "", 3, ""], ["1002", "", "", 3, ""]]), session, school_coordinator)
    assert importers.confirm_import(corrected, school_coordinator) == 1
    assert LedgerEntry.objects.count() == 2
    assert Attendance.objects.count() == 2

    with pytest.raises(importers.AlreadyConfirmed):
        importers.confirm_import(corrected, school_coordinator)
    assert LedgerEntry.objects.count() == 2


def test_confirm_skips_rows_recorded_after_the_preview(session, people, school_coordinator):
    batch = preview(xlsx_bytes([["1001", "", "", 3, ""], ["1002", "", "", 3, ""]]), session, school_coordinator)
    AttendanceFactory(session=session, teacher=people["wang"])  # e.g. a QR scan in between
    assert importers.confirm_import(batch, school_coordinator) == 1
    assert Attendance.objects.filter(session=session).count() == 2


def test_failure_mid_confirm_leaves_nothing(session, people, school_coordinator):
    batch = preview(xlsx_bytes([["1001", "", "", 3, ""], ["1002", "", "", 3, ""]]), session, school_coordinator)
    with (
        mock.patch.object(LedgerEntry.objects, "bulk_create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        importers.confirm_import(batch, school_coordinator)
    assert Attendance.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    assert AuditEvent.objects.filter(action="attendance.import").count() == 0
    batch.refresh_from_db()
    assert batch.confirmed_at is None
    assert importers.confirm_import(batch, school_coordinator) == 2  # the retry works


def test_query_count_does_not_grow_with_rows(session, org, school_coordinator, django_assert_max_num_queries):
    teachers = [TeacherProfileFactory(school=org["school_a1"], staff_number=f"N{i:04d}") for i in range(60)]
    data = xlsx_bytes(
        [[t.staff_number, "", "", 3, ""] for t in teachers] + [["", t.user.name, "", 3, ""] for t in teachers[:5]]
    )
    sheet = importers.parse_sheet(data)
    scope = scope_for(school_coordinator)
    scope.schools  # noqa: B018
    with django_assert_max_num_queries(6):
        rows = importers.validate_rows(sheet, session, scope)
    assert sum(r["status"] == "ok" for r in rows) == 60
    batch = importers.preview_import(
        data=data, filename="x.xlsx", session=session, scope=scope, user=school_coordinator
    )
    # incl. locking and upserting the report totals, the confirmer's scope and who they may act on,
    # and the teachers' notices (users read once, one insert)
    with django_assert_max_num_queries(15):
        assert importers.confirm_import(batch, school_coordinator) == 60


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空。"),
        (b"PK\x03\x04not really a zip", "该文件不是有效的 Excel（.xlsx）工作簿。"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 后重新上传。",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "该文件既不是 Excel（.xlsx）工作簿，也不是 CSV 文本文件。"),
        ("工号,姓名\n1001,王伟\n".encode("utf-16"), "该文件既不是 Excel（.xlsx）工作簿，也不是 CSV 文本文件。"),
        (
            csv_bytes([["1001"]], header=["编号说明", "备注"]),
            "未找到表头行。表格须有一行列标题：工号或姓名（以及学校、学时、日期）。",
        ),
    ],
    ids=["empty", "broken-xlsx", "old-xls", "png", "utf-16", "no-header"],
)
def test_unreadable_files_get_a_clear_message(session, school_coordinator, data, message):
    with pytest.raises(importers.ImportFileError) as refused:
        preview(data, session, school_coordinator)
    assert str(refused.value) == message


def test_too_large_file_is_refused(session, school_coordinator, monkeypatch):
    monkeypatch.setattr(importers.sheet, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(importers.ImportFileError, match="^文件过大（上限 "):
        preview(xlsx_bytes([["1001", "", "", 3, ""]]), session, school_coordinator)


def test_template_round_trips(session, people, school_coordinator):
    import io

    from openpyxl import load_workbook

    template = importers.build_template(session)
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[2]] == HEADER
    ws.append(["1001", "王伟", "甲一小学", 3, "2026-03-05"])
    out = io.BytesIO()
    wb.save(out)
    assert [r["status"] for r in preview(out.getvalue(), session, school_coordinator).rows] == ["ok"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2学时", Decimal("2")), ("1.5", Decimal("1.5")), ("１．５", Decimal("1.5")), (2, Decimal("2")), ("", None)],
)
def test_parse_hours(raw, expected):
    assert importers.parse_hours(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["2026年3月5日", "2026/3/5", "2026-03-05", "２０２６－０３－０５", 46086, datetime.datetime(2026, 3, 5, 14, 0)],
)
def test_parse_date(raw):
    assert importers.parse_date(raw) == datetime.date(2026, 3, 5)


def test_import_keeps_the_report_totals_equal_to_the_ledger(session, people, school_coordinator):
    """The reports read per-teacher totals; a bulk import must move them as much as the ledger."""
    from tracking.ledger.services import annotate_status_from_totals, record_entry
    from tracking.models import TeacherYearTotal

    year = session.training_year
    record_entry(
        teacher=people["wang"],
        training_year=year,
        hours=Decimal("2"),
        source=LedgerSource.ONLINE_COURSE,
        source_ref="course:1:1",
        title="线上课程",
        activity_date=datetime.date(2026, 3, 1),
    )
    data = xlsx_bytes([["1001", "", "", 3, ""], ["1002", "", "", "1.5", ""]])
    importers.confirm_import(preview(data, session, school_coordinator), school_coordinator)
    again = preview(data, session, school_coordinator)  # re-import: nothing changes
    importers.confirm_import(again, school_coordinator)

    totals = {t.teacher_id: (t.hours, t.sessions) for t in TeacherYearTotal.objects.filter(training_year=year)}
    assert totals[people["wang"].pk] == (Decimal("5"), 2)
    assert totals[people["li"].pk] == (Decimal("1.5"), 1)
    from accounts.models import TeacherProfile

    ids = [people["wang"].pk, people["li"].pk]
    from_totals = {t.pk: t.hours for t in annotate_status_from_totals(TeacherProfile.objects.filter(pk__in=ids), year)}
    assert from_totals == {people["wang"].pk: Decimal("5"), people["li"].pk: Decimal("1.5")}


# --- schools as people write them (issue 12, item 7) ---------------------------------------------
@pytest.fixture
def binjiang(org):
    """东湖区滨江实验小学, written 滨江实验小学 (short) or 滨江实小 (alias) on sheets."""
    school = org["school_a1"]
    school.name, school.aliases = "东湖区滨江实验小学", "滨江实小\n滨江小学"
    school.save()
    return school


def test_school_matched_by_short_name_and_alias(session, people, binjiang, school_coordinator):
    rows = preview(
        xlsx_bytes(
            [
                ["", "刘洋", "滨江实验小学", 3, ""],  # without the district prefix
                ["", "王伟", "滨江实小", 3, ""],  # a configured alias
                ["", "李娜", "东湖区滨江实验小学", 3, ""],  # the full name
            ]
        ),
        session,
        school_coordinator,
    ).rows
    assert [(r["status"], r.get("teacher_id")) for r in rows] == [
        ("ok", people["liu_a1"].pk),
        ("ok", people["wang"].pk),
        ("ok", people["li"].pk),
    ]


def test_short_name_shared_by_two_schools_names_the_candidates(session, people, binjiang, org, district_coordinator):
    other = org["school_a2"]
    other.aliases = "滨江实小"
    other.save()
    rows = preview(xlsx_bytes([["", "刘洋", "滨江实小", 3, ""]]), session, district_coordinator).rows
    assert rows[0]["code"] == "ambiguous_school"
    assert rows[0]["reason"] == "学校名称有歧义：“滨江实小”可能是东湖区滨江实验小学、甲二中学，请填写学校全称。"


def test_alias_of_a_school_outside_the_scope_matches_nothing(session, people, org, school_coordinator):
    other = org["school_a2"]
    other.aliases = "甲二"
    other.save()
    rows = preview(xlsx_bytes([["", "张敏", "甲二", 3, ""]]), session, school_coordinator).rows
    assert rows[0]["code"] == "not_found" and "teacher_id" not in rows[0]
