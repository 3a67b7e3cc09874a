import io

import pytest
from openpyxl import load_workbook

from django.core import signing
from django.urls import reverse

from tracking.models import ExportJob
from tracking.reports.views import SIGNER_SALT, download_token


def rows_of(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    return ws, [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_xlsx_has_title_scope_chinese_header_frozen_and_totals(boundary, training_year, login, city_coordinator):
    client = login(city_coordinator)
    response = client.get(reverse("reports:export", args=["completion"]), {"year": training_year.pk})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws, rows = rows_of(response.content)
    assert rows[0][0] == "培训完成情况" or rows[0][0] == "Training completion"
    assert "2026" in rows[1][0]  # scope, filters and date line
    header = rows[3]
    assert header[0] in ("县区", "District / county")
    assert ws.freeze_panes == "A5"
    body = rows[4:-1]
    assert [r[0] for r in body] == ["东湖区", "西湖区"]
    assert rows[-1][1] == 10 and rows[-1][2] == 5  # totals: teachers, met
    assert ws.column_dimensions["A"].width >= 6


@pytest.mark.django_db
def test_csv_teacher_list_has_totals_row(boundary, training_year, org, login, city_coordinator):
    client = login(city_coordinator)
    response = client.get(
        reverse("reports:export", args=["completion"]),
        {"year": training_year.pk, "school": org["school_a2"].pk, "format": "csv"},
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 3 + 2 + 1  # title, meta, header, 2 teachers, totals
    assert lines[-1].split(",")[5] == "22.0"  # 20 h + 2 h


@pytest.mark.django_db
def test_large_export_runs_as_job_and_only_requester_downloads(
    settings, boundary, training_year, login, city_coordinator, other_city_coordinator
):
    settings.REPORT_EXPORT_ASYNC_THRESHOLD = 3  # 10 teachers > 3 → a background job (eager in tests)
    client = login(city_coordinator)
    response = client.get(
        reverse("reports:export", args=["completion"]), {"year": training_year.pk, "detail": "teachers"}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    assert client.get(response["Location"]).status_code == 200
    progress = client.get(reverse("reports:export_progress", args=[job.pk])).json()
    assert progress["state"] == "done" and progress["percent"] == 100
    download = client.get(progress["download_url"])
    assert download.status_code == 200
    _ws, rows = rows_of(b"".join(download.streaming_content))
    assert len(rows) == 4 + 10 + 1
    # another coordinator, even with the exact link: 404
    other = login(other_city_coordinator)
    assert other.get(progress["download_url"]).status_code == 404
    assert other.get(reverse("reports:export_progress", args=[job.pk])).status_code == 404
    # a forged token or job id: 404
    client = login(city_coordinator)
    url = reverse("reports:export_download", args=[job.pk])
    assert client.get(url, {"token": "forged"}).status_code == 404
    forged_id = "00000000-0000-0000-0000-000000000000"
    assert (
        client.get(reverse("reports:export_download", args=[forged_id]), {"token": download_token(job)}).status_code
        == 404
    )
    # a link signed for someone else's job does not open this one
    other_token = signing.TimestampSigner(salt=SIGNER_SALT).sign(f"{job.pk}:{other_city_coordinator.pk}")
    assert client.get(url, {"token": other_token}).status_code == 404


@pytest.mark.django_db
def test_expired_link_is_refused_with_a_clear_page(settings, boundary, training_year, login, city_coordinator):
    settings.REPORT_EXPORT_ASYNC_THRESHOLD = 3
    client = login(city_coordinator)
    client.get(reverse("reports:export", args=["completion"]), {"year": training_year.pk, "detail": "teachers"})
    job = ExportJob.objects.get()
    token = download_token(job)
    settings.REPORT_EXPORT_LINK_MAX_AGE = -1
    response = client.get(reverse("reports:export_download", args=[job.pk]), {"token": token})
    assert response.status_code == 410
    assert response.context["expired"] is True


@pytest.mark.django_db
def test_export_task_is_idempotent(settings, boundary, training_year, city_coordinator):
    from tracking.tasks import build_report_export

    job = ExportJob.objects.create(
        user=city_coordinator, report="completion", params={"year": training_year.pk, "detail": "teachers"}
    )
    assert build_report_export(str(job.pk)) == "done"
    job.refresh_from_db()
    name = job.file.name
    assert build_report_export(str(job.pk)) == "done"  # retry: nothing rebuilt
    job.refresh_from_db()
    assert job.file.name == name and job.rows_done == 10


@pytest.mark.django_db
def test_repeated_click_joins_the_running_job(settings, boundary, training_year, login, city_coordinator):
    from tracking.models import ExportJob as Job

    settings.REPORT_EXPORT_ASYNC_THRESHOLD = 3
    running = Job.objects.create(
        user=city_coordinator,
        report="completion",
        params={"year": str(training_year.pk), "detail": "teachers"},
        state=Job.State.RUNNING,
    )
    client = login(city_coordinator)
    response = client.get(
        reverse("reports:export", args=["completion"]), {"year": training_year.pk, "detail": "teachers"}
    )
    assert response["Location"].endswith(f"/exports/{running.pk}/")
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_old_export_files_are_purged(settings, boundary, training_year, city_coordinator):
    import datetime

    from django.utils import timezone

    from tracking.tasks import build_report_export, purge_old_exports

    job = ExportJob.objects.create(user=city_coordinator, report="completion", params={"year": training_year.pk})
    build_report_export(str(job.pk))
    job.refresh_from_db()
    path = job.file.path
    fresh = ExportJob.objects.create(user=city_coordinator, report="completion", params={})
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    assert purge_old_exports() == 1
    assert not ExportJob.objects.filter(pk=job.pk).exists() and ExportJob.objects.filter(pk=fresh.pk).exists()
    import os

    assert not os.path.exists(path)


@pytest.mark.django_db
def test_rates_are_percentage_cells_and_file_names_differ_by_selection(
    boundary, training_year, org, login, city_coordinator
):
    """Issue 12: 达标率 opens in Excel as 50.0 %, and two different exports never share a name."""
    from urllib.parse import unquote

    client = login(city_coordinator)
    url = reverse("reports:export", args=["completion"])
    summary = client.get(url, {"year": training_year.pk})
    ws, rows = rows_of(summary.content)
    header = rows[3]
    rate = next(i for i, label in enumerate(header) if label in ("达标率", "Rate met", "Met rate", "Completion rate"))
    cell = ws.cell(row=len(rows), column=rate + 1)
    assert cell.number_format == "0.0%" and 0 <= cell.value <= 1
    teachers = client.get(url, {"year": training_year.pk, "detail": "teachers"})
    met_only = client.get(url, {"year": training_year.pk, "status": "met"})
    names = {unquote(r["Content-Disposition"]) for r in (summary, teachers, met_only)}
    assert len(names) == 3, names


@pytest.mark.django_db
def test_empty_filters_say_what_they_mean(boundary, training_year, login, city_coordinator):
    page = login(city_coordinator).get(reverse("reports:completion"), {"year": training_year.pk})
    assert "---------" not in page.text
    assert "全部县区" in page.text
