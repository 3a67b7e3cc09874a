"""Excel / CSV exports of the delivery and parent-school reports: title, scope, header, totals."""

import io

import pytest
from openpyxl import load_workbook

from django.urls import reverse

from tracking.models import ExportJob


def xlsx_rows(content):
    ws = load_workbook(io.BytesIO(content)).active
    return ws, [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_delivery_xlsx_layout_and_totals(delivery, login, city_coordinator):
    client = login(city_coordinator)
    response = client.get(reverse("reports:export", args=["delivery"]), {"term": delivery["term"].pk})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    ws, rows = xlsx_rows(response.content)
    assert rows[0][0] in ("课程落实情况", "Class delivery compliance")
    assert "全市" in rows[1][0] or "Whole city" in rows[1][0]  # scope
    assert str(delivery["term"].academic_year) in rows[1][0]  # the semester filter
    header = rows[3]
    assert header[0] in ("县区", "District / county") and len(header) == 18
    assert ws.freeze_panes == "A5"
    assert [r[0] for r in rows[4:-1]] == ["东湖区", "西湖区"]
    totals = dict(zip(header, rows[-1], strict=True))
    classes_label = header[1]
    assert totals[classes_label] == 6
    assert rows[-1][-1] == 4 and rows[-1][-3] == 2  # behind, met


@pytest.mark.django_db
def test_delivery_csv_for_one_school_lists_classes(delivery, org, login, district_coordinator):
    client = login(district_coordinator)
    response = client.get(
        reverse("reports:export", args=["delivery"]),
        {"term": delivery["term"].pk, "school": org["school_a1"].pk, "format": "csv"},
    )
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] in ("课程落实情况", "Class delivery compliance")
    assert "甲一小学" in lines[1]  # scope in the title rows
    assert len(lines) == 3 + 3 + 1  # title, meta, header, three classes, totals
    assert lines[-1].split(",")[2] == "7"  # lessons delivered: 4 + 3 + 0


@pytest.mark.django_db
def test_parents_xlsx_scope_and_totals(parents, org, login, district_coordinator):
    client = login(district_coordinator)
    response = client.get(reverse("reports:export", args=["parents"]), {"district": org["district_a"].pk})
    ws, rows = xlsx_rows(response.content)
    assert rows[0][0] in ("家长学校参与情况", "Parent-school participation")
    assert "东湖区" in rows[1][0]
    assert rows[3][0] in ("学校", "School")
    assert sorted(r[0] for r in rows[4:-1]) == sorted(["甲一小学", "甲二中学"])
    assert rows[-1][1:5] == [3, 2, 1, 1]  # parents, enrolments, completed, in progress
    assert rows[-1][5] == 0.5  # 50 %: a fraction in a percentage-formatted cell (issue 12)
    assert ws.cell(row=len(rows), column=6).number_format == "0.0%"


@pytest.mark.django_db
def test_large_delivery_export_runs_as_a_job(settings, delivery, org, login, city_coordinator):
    settings.REPORT_EXPORT_ASYNC_THRESHOLD = 2  # three classes > 2 → background job (eager in tests)
    client = login(city_coordinator)
    response = client.get(
        reverse("reports:export", args=["delivery"]), {"term": delivery["term"].pk, "school": org["school_a1"].pk}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.report == "delivery"
    assert job.params["term"] == str(delivery["term"].pk)
    progress = client.get(reverse("reports:export_progress", args=[job.pk])).json()
    assert progress["state"] == "done"
    _ws, rows = xlsx_rows(b"".join(client.get(progress["download_url"]).streaming_content))
    assert len(rows) == 4 + 3 + 1
