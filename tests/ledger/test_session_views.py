"""Session pages, import via the browser, QR sign-in; scope refusals (forged ids → 404)."""

import datetime
from decimal import Decimal

import pytest

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import OfflineSessionFactory, TeacherProfileFactory
from tracking.ledger import workflows
from tracking.models import Attendance, ImportBatch, LedgerEntry, OfflineSession

from .conftest import xlsx_bytes

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_teacher_cannot_open_management_pages(client, teacher, session):
    login(client, teacher.user)
    assert client.get(reverse("ledger:session_list")).status_code == 403
    assert client.get(reverse("ledger:session_detail", args=[session.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("ledger:manage"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_school_coordinator_creates_a_session_for_their_school(client, org, training_year, school_coordinator):
    login(client, school_coordinator)
    form = {
        "title": "班主任心理健康讲座",
        "kind": "lecture",
        "starts_at": "2026-05-10T14:00",
        "ends_at": "2026-05-10T16:00",
        "hours": "2",
        "place": "报告厅",
        "organiser": "学校",
        "audience": "school",
        "school": org["school_a1"].pk,
    }
    response = client.post(reverse("ledger:session_create"), form)
    session = OfflineSession.objects.get()
    assert response.status_code == 303
    assert session.school == org["school_a1"] and session.training_year == training_year

    # Another school, a district-wide or city-wide audience are not offered to a school coordinator.
    for bad in (
        {"school": org["school_b1"].pk},
        {"audience": "district", "district": org["district_a"].pk},
        {"audience": "city"},
    ):
        response = client.post(reverse("ledger:session_create"), {**form, **bad})
        assert response.status_code == 200 and response.context["form"].errors
    assert OfflineSession.objects.count() == 1


def test_half_hour_steps_for_session_hours(client, org, training_year, school_coordinator):
    login(client, school_coordinator)
    response = client.post(
        reverse("ledger:session_create"),
        {
            "title": "x",
            "kind": "face",
            "starts_at": "2026-05-10T14:00",
            "ends_at": "2026-05-10T16:00",
            "hours": "1.2",
            "audience": "school",
            "school": org["school_a1"].pk,
        },
    )
    assert "hours" in response.context["form"].errors


def test_other_schools_session_is_404(client, org, school_coordinator):
    other = OfflineSessionFactory(school=org["school_b1"])
    login(client, school_coordinator)
    for name in ("session_detail", "session_qr", "session_template"):
        assert client.get(reverse(f"ledger:{name}", args=[other.pk])).status_code == 404
    upload = SimpleUploadedFile("a.xlsx", xlsx_bytes([["1001", "", "", 3, ""]]))
    assert client.post(reverse("ledger:session_import", args=[other.pk]), {"file": upload}).status_code == 404


def test_district_coordinator_sees_district_and_school_sessions_in_district(client, org, district_coordinator):
    own = OfflineSessionFactory(school=org["school_a2"])
    district_wide = OfflineSessionFactory(audience="district", school=None, district=org["district_a"])
    other = OfflineSessionFactory(audience="district", school=None, district=org["district_b"])
    login(client, district_coordinator)
    listed = set(client.get(reverse("ledger:session_list")).context["sessions"])
    assert listed == {own, district_wide}
    assert client.get(reverse("ledger:session_detail", args=[other.pk])).status_code == 404


def test_upload_preview_confirm_through_the_browser(client, session, people, school_coordinator):
    login(client, school_coordinator)
    detail = client.get(reverse("ledger:session_detail", args=[session.pk]))
    assert detail.status_code == 200
    template = client.get(reverse("ledger:session_template", args=[session.pk]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")

    upload = SimpleUploadedFile("签到表.xlsx", xlsx_bytes([["1001", "", "", 3, ""], ["2001", "", "", 3, ""]]))
    response = client.post(reverse("ledger:session_import", args=[session.pk]), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("ledger:import_preview", args=[batch.pk])
    page = client.get(response["Location"])
    assert page.context["counts"] == {"ok": 1, "exists": 0, "error": 1}
    assert Attendance.objects.count() == 0

    client.post(reverse("ledger:import_preview", args=[batch.pk]))
    client.post(reverse("ledger:import_preview", args=[batch.pk]))  # a replayed confirm adds nothing
    assert Attendance.objects.count() == 1
    assert LedgerEntry.objects.get().teacher == people["wang"]


def test_bad_upload_gets_a_message_and_no_batch(client, session, school_coordinator):
    login(client, school_coordinator)
    upload = SimpleUploadedFile("签到表.xlsx", b"\x89PNG\r\n\x1a\nxxxx")
    response = client.post(reverse("ledger:session_import", args=[session.pk]), {"file": upload}, follow=True)
    assert ImportBatch.objects.count() == 0
    assert any("Excel" in str(m) or "Excel" in str(m.message) for m in response.context["messages"])


def test_another_coordinators_batch_is_404(client, org, people, school_coordinator):
    from tests.factories import CoordinatorRoleFactory, ImportBatchFactory

    batch = ImportBatchFactory(session=OfflineSessionFactory(school=org["school_b1"]))
    login(client, school_coordinator)
    assert client.get(reverse("ledger:import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("ledger:import_preview", args=[batch.pk])).status_code == 404
    b_coordinator = CoordinatorRoleFactory(level="school", school=org["school_b1"]).user
    login(client, b_coordinator)
    assert client.get(reverse("ledger:import_preview", args=[batch.pk])).status_code == 200


def test_qr_code_is_a_png(client, session, school_coordinator):
    login(client, school_coordinator)
    response = client.get(reverse("ledger:session_qr", args=[session.pk]))
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def checkin_url(session):
    return reverse("ledger:checkin", args=[workflows.checkin_token(session)])


def at(session, minutes):
    return session.starts_at + datetime.timedelta(minutes=minutes)


def test_qr_sign_in_records_once_in_the_window(client, session, people, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(session, 10))
    login(client, people["wang"].user)
    url = checkin_url(session)
    assert client.get(url).status_code == 200
    client.post(url)
    client.post(url)
    assert Attendance.objects.get().method == Attendance.Method.QR
    entry = LedgerEntry.objects.get()
    assert (entry.teacher, entry.hours, entry.source_ref) == (people["wang"], Decimal("3"), session.source_ref)


@pytest.mark.parametrize("minutes", [-31, 3 * 60 + 31])
def test_qr_sign_in_outside_the_window_records_nothing(client, session, people, monkeypatch, minutes):
    monkeypatch.setattr(timezone, "now", lambda: at(session, minutes))
    login(client, people["wang"].user)
    response = client.post(checkin_url(session))
    assert response.status_code == 200 and response.context["error"]
    assert Attendance.objects.count() == 0 and LedgerEntry.objects.count() == 0


def test_qr_sign_in_margin_is_configurable(client, session, people, monkeypatch, settings):
    settings.LEDGER_CHECKIN_MARGIN_MINUTES = 60
    monkeypatch.setattr(timezone, "now", lambda: at(session, -45))
    login(client, people["wang"].user)
    client.post(checkin_url(session))
    assert Attendance.objects.count() == 1


def test_qr_sign_in_refuses_teachers_outside_the_audience_and_non_teachers(
    client, session, people, school_coordinator, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: at(session, 10))
    for user in (people["chen_b1"].user, school_coordinator):
        login(client, user)
        response = client.post(checkin_url(session))
        assert response.context["error"]
    assert Attendance.objects.count() == 0


def test_forged_or_tampered_token_is_404(client, session, people):
    login(client, people["wang"].user)
    forged = signing.dumps({"s": session.pk}, salt="another-salt")
    assert client.get(reverse("ledger:checkin", args=[forged])).status_code == 404
    token = workflows.checkin_token(session)
    assert client.get(reverse("ledger:checkin", args=[token[:-2] + "xx"])).status_code == 404


def test_city_session_accepts_any_teacher(client, org, training_year, monkeypatch):
    session = OfflineSessionFactory(audience="city", school=None, training_year=training_year)
    teacher = TeacherProfileFactory(school=org["school_b1"])
    monkeypatch.setattr(timezone, "now", lambda: at(session, 0))
    login(client, teacher.user)
    client.post(checkin_url(session))
    assert Attendance.objects.filter(teacher=teacher).exists()


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_do_not_query_per_row(client, org, session, school_coordinator):
    from tests.factories import AttendanceFactory, ExternalClaimFactory

    client.force_login(school_coordinator)
    urls = [
        reverse("ledger:session_detail", args=[session.pk]),
        reverse("ledger:manage_claims"),
        reverse("ledger:session_list"),
    ]

    def add(n):
        for _ in range(n):
            AttendanceFactory(session=session)
            ExternalClaimFactory(teacher=TeacherProfileFactory(school=org["school_a1"]))

    add(2)
    for url in urls:  # warm up per-process caches (site, settings)
        client.get(url)
    before = [_count_queries(client, url) for url in urls]
    add(8)
    assert [_count_queries(client, url) for url in urls] == before


def test_confirm_race_shows_a_message_and_writes_nothing(client, session, people, school_coordinator, monkeypatch):
    from django.db import IntegrityError

    from tracking.models import Attendance as AttendanceModel

    login(client, school_coordinator)
    upload = SimpleUploadedFile("签到表.xlsx", xlsx_bytes([["1001", "", "", 3, ""]]))
    client.post(reverse("ledger:session_import", args=[session.pk]), {"file": upload})
    batch = ImportBatch.objects.get()

    def racing_bulk_create(objs, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: attendance_once_per_session")

    monkeypatch.setattr(AttendanceModel.objects, "bulk_create", racing_bulk_create)
    response = client.post(reverse("ledger:import_preview", args=[batch.pk]), follow=True)
    assert any("未新增任何记录" in str(m) for m in response.context["messages"])
    assert LedgerEntry.objects.count() == 0
    batch.refresh_from_db()
    assert batch.confirmed_at is None


def test_sign_in_sheet_pre_filled_with_the_staff_imports_only_who_came(client, session, people, school_coordinator):
    """Issue 12, coordinator tools: print the staff list, sign, change 0 to hours for who came."""
    import io

    from openpyxl import load_workbook

    login(client, school_coordinator)
    response = client.get(reverse("ledger:session_template", args=[session.pk]) + "?staff=1")
    assert response["Content-Disposition"] == f'attachment; filename="sign-in-sheet-{session.pk}.xlsx"'
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == ["1001", "1002", "1003"]  # school A1's staff only, 0 hours each
    assert all(r[3] == 0 for r in rows) and ws.cell(2, 6).value == "签名"
    # Unchanged, it imports nobody; with 王伟's 0 changed to 3, only 王伟.
    ws.cell(3, 4).value = 3
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "签到表.xlsx"
    client.post(reverse("ledger:session_import", args=[session.pk]), {"file": out})
    batch = session.import_batches.get()
    assert batch.counts() == {"ok": 1, "exists": 0, "error": 0, "absent": 2}
    client.post(reverse("ledger:import_preview", args=[batch.pk]))
    assert list(Attendance.objects.values_list("teacher__staff_number", flat=True)) == ["1001"]


def test_projector_page_shows_the_code_full_screen_for_coordinators_only(client, session, people, school_coordinator):
    login(client, school_coordinator)
    page = client.get(reverse("ledger:session_projector", args=[session.pk]))
    assert page.status_code == 200 and reverse("ledger:session_qr", args=[session.pk]) in page.text
    assert "site-header" not in page.text  # nothing but the code, the title and the window
    client.force_login(people["wang"].user)
    assert client.get(reverse("ledger:session_projector", args=[session.pk])).status_code == 403
