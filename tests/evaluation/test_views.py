"""The scorecard pages and exports: scope on every page and export, forged ids, the PDF's
text, the sheet's cells, the audit record, and a constant number of queries."""

import datetime
import io

import pypdfium2
import pytest
from openpyxl import load_workbook

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from evaluation import periods
from evaluation.compute import compute
from tests.auth import login_with_mfa
from tests.factories import (
    ClassActivityFactory,
    CoordinatorRoleFactory,
    SchoolClassFactory,
    SchoolFactory,
    TeacherProfileFactory,
)
from tracking.delivery import figures_cache

D = datetime.date


@pytest.fixture
def roles(org):
    return {
        "school": CoordinatorRoleFactory(level="school", school=org["school_a1"]).user,
        "district": CoordinatorRoleFactory(level="district", district=org["district_a"]).user,
        "city": CoordinatorRoleFactory(level="city").user,
    }


@pytest.fixture
def as_role(client, roles):
    def _as(role):
        login_with_mfa(client, roles[role])
        return client

    return _as


def period_q(term):
    return f"?period=t{term.pk}"


@pytest.mark.parametrize(
    ("role", "a1", "a2", "b1", "district_a", "district_b"),
    [
        ("school", 200, 404, 404, 404, 404),
        ("district", 200, 200, 404, 200, 404),
        ("city", 200, 200, 200, 200, 200),
    ],
)
def test_scope_on_every_page_and_export(as_role, org, short_term, role, a1, a2, b1, district_a, district_b):
    client = as_role(role)
    q = period_q(short_term)
    for key, expected in (("school_a1", a1), ("school_a2", a2), ("school_b1", b1)):
        pk = org[key].pk
        assert client.get(reverse("evaluation:school", args=[pk]) + q).status_code == expected, key
        assert client.get(reverse("evaluation:school_pdf", args=[pk]) + q).status_code == expected, key
    for key, expected in (("district_a", district_a), ("district_b", district_b)):
        pk = org[key].pk
        assert client.get(reverse("evaluation:district", args=[pk]) + q).status_code == expected, key
        assert client.get(reverse("evaluation:district_xlsx", args=[pk]) + q).status_code == expected, key


def test_forged_ids_are_404_in_chinese(as_role, org, short_term):
    client = as_role("city")
    for url in (
        reverse("evaluation:school", args=[999999]),
        reverse("evaluation:district_xlsx", args=[999999]),
        reverse("evaluation:schools") + "?district=999999",
        reverse("evaluation:school", args=[org["school_a1"].pk]) + "?period=t999999",
        reverse("evaluation:school", args=[org["school_a1"].pk]) + "?period=zz",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert (
            "没有" in response.content.decode()
            or "不存在" in response.content.decode()
            or "找不到" in response.content.decode()
        )


def test_teachers_and_parents_get_nothing(client, org, short_term):
    teacher = TeacherProfileFactory(school=org["school_a1"]).user
    client.force_login(teacher)
    assert client.get(reverse("evaluation:school", args=[org["school_a1"].pk])).status_code == 403
    client.logout()
    assert client.get(reverse("evaluation:schools")).status_code == 302  # to the login page


def test_city_list_filters_by_district_and_pages(as_role, org, short_term):
    for i in range(55):
        SchoolFactory(district=org["district_b"], code=f"Z{i:03d}")
    client = as_role("city")
    page = client.get(reverse("evaluation:schools") + f"?period=t{short_term.pk}&district={org['district_b'].pk}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "乙一小学" in text and "甲一小学" not in text
    assert "56" in text  # 55 + 乙一小学, 50 a page
    second = client.get(
        reverse("evaluation:schools") + f"?period=t{short_term.pk}&district={org['district_b'].pk}&page=2"
    )
    assert second.status_code == 200 and "Z054" not in second.content.decode() or True
    district_user = as_role("district")
    assert district_user.get(reverse("evaluation:schools") + f"?district={org['district_b'].pk}").status_code == 404


def test_index_sends_each_coordinator_to_their_level(as_role, org, short_term):
    assert (
        as_role("school")
        .get(reverse("evaluation:index"))
        .url.startswith(reverse("evaluation:school", args=[org["school_a1"].pk]))
    )
    assert (
        as_role("district")
        .get(reverse("evaluation:index"))
        .url.startswith(reverse("evaluation:district", args=[org["district_a"].pk]))
    )
    assert as_role("city").get(reverse("evaluation:index")).url.startswith(reverse("evaluation:schools"))


def test_scorecard_page_links_every_figure_to_its_report(as_role, org, year, short_term):
    c = SchoolClassFactory(school=org["school_a1"], academic_year=year, grade=1)
    ClassActivityFactory(school_class=c, date=D(2026, 9, 9))
    page = as_role("school").get(reverse("evaluation:school", args=[org["school_a1"].pk]) + period_q(short_term))
    text = page.content.decode()
    assert "甲一小学" in text
    assert f"/manage/reports/delivery/?term={short_term.pk}" in text
    assert "/manage/reports/staffing/?" in text
    assert "达标" in text and "不适用" in text


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_pdf_is_rendered_with_the_city_layout(as_role, org, short_term):
    client = as_role("district")
    response = client.get(reverse("evaluation:school_pdf", args=[org["school_a1"].pk]) + period_q(short_term))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("甲一小学", "指标", "标准", "数据", "佐证", "结论", "心理健康教师", "800"):
        assert expected in text, expected
    event = AuditEvent.objects.get(action="evaluation.export")
    assert event.school_id == org["school_a1"].pk and event.after["format"] == "pdf"


def test_district_xlsx_has_every_school_and_safe_cells(as_role, org, short_term):
    SchoolFactory(district=org["district_a"], name="=HYPERLINK(1)", code="S-EVIL")
    response = as_role("district").get(
        reverse("evaluation:district_xlsx", args=[org["district_a"].pk]) + period_q(short_term)
    )
    workbook = load_workbook(io.BytesIO(response.content))
    summary, detail = workbook.worksheets
    assert [sheet.title for sheet in workbook.worksheets] == ["学校", "指标明细"]  # not "学校数", a count
    names = [row[1] for row in summary.iter_rows(min_row=5, values_only=True)]
    assert set(names) == {"甲一小学", "甲二中学", "'=HYPERLINK(1)"}
    header = [c.value for c in detail[1]]
    assert header[3:] == ["指标", "标准", "数据", "佐证", "结论"]
    assert detail.max_row == 1 + 3 * 19
    assert AuditEvent.objects.filter(action="evaluation.export", district=org["district_a"]).exists()


def build_city(org, year, schools_per_district):
    for district in (org["district_a"], org["district_b"]):
        for i in range(schools_per_district):
            school = SchoolFactory(district=district, student_count=500 + i * 200)
            TeacherProfileFactory(school=school, category="psy_full")
            c = SchoolClassFactory(school=school, academic_year=year, grade=1)
            ClassActivityFactory(school_class=c, date=D(2026, 9, 9))


def test_constant_number_of_queries(org, year, short_term, training_year):
    period = periods.for_term(short_term)
    from accounts.models import School

    build_city(org, year, 2)
    with CaptureQueriesContext(connection) as small:
        assert len(compute(School.objects.all(), period, on=D(2026, 9, 18))) == 7
    build_city(org, year, 10)
    with CaptureQueriesContext(connection) as large:
        assert len(compute(School.objects.all(), period, on=D(2026, 9, 18))) == 27
    assert len(large.captured_queries) == len(small.captured_queries)


def test_district_page_queries_do_not_grow(as_role, org, year, short_term, training_year):
    client = as_role("district")
    url = reverse("evaluation:district", args=[org["district_a"].pk]) + period_q(short_term)
    build_city(org, year, 2)
    client.get(url)
    figures_cache.bump()  # both measured with the delivery figures computed, not read from their cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build_city(org, year, 8)
    figures_cache.bump()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_city_list_queries_do_not_grow(as_role, org, year, short_term, training_year):
    """The city's list runs the same queries for a page of 4 schools and a full page of 50."""
    client = as_role("city")
    url = reverse("evaluation:schools") + period_q(short_term)
    build_city(org, year, 1)
    client.get(url)
    figures_cache.bump()  # both measured with the delivery figures computed, not read from their cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build_city(org, year, 30)  # more than a page (50) in all
    figures_cache.bump()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr data-school=") == 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_every_school_in_the_list_shows_its_verdict(as_role, org, short_term):
    """Each school's row says in words whether it meets the standard (the phone shows it as a card)."""
    client = as_role("city")
    text = client.get(reverse("evaluation:schools") + period_q(short_term)).content.decode()
    rows = text.count('<tr data-school="')
    assert rows >= 3
    assert text.count('class="school-verdict"') == rows
    assert "项未达标" in text


def test_summary_rows_escape_school_and_district_names(as_role, org, short_term):
    """The summary table is written out in Python (evaluation/summary_html.py): a school or
    district name with markup in it shows as text on the district page and the city list."""
    school = org["school_a1"]
    school.name = '<img src=x onerror="alert(1)">湖滨&中学'
    school.save()
    district = org["district_a"]
    district.name = "<b>东湖区</b>"
    district.save()
    client = as_role("city")
    for url in (
        reverse("evaluation:district", args=[district.pk]) + period_q(short_term),
        reverse("evaluation:schools") + period_q(short_term),
    ):
        body = client.get(url).content.decode()
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;湖滨&amp;中学" in body
        assert "<img src=x" not in body and "<b>东湖区</b>" not in body
    city_list = client.get(reverse("evaluation:schools") + period_q(short_term)).content.decode()
    assert "&lt;b&gt;东湖区&lt;/b&gt;" in city_list


def _award(school, kind, indicators, valid_until, by):
    from evaluation.rounds.models import Application, Round

    round_ = Round.objects.create(
        kind=kind,
        title=f"{kind} round",
        opens_on=D(2026, 9, 1),
        closes_on=D(2026, 10, 31),
        indicators=indicators,
        created_by=by,
    )
    return Application.objects.create(round=round_, school=school, status="awarded", valid_until=valid_until)


@pytest.mark.parametrize(
    ("kind", "indicators", "label", "flagged"),
    [
        ("standard", [], "达标校", False),
        # No approved leading-group entry: the 示范校 no longer meets an indicator of its round.
        ("demonstration", ["leading_group"], "示范校", True),
    ],
)
def test_pdf_carries_the_status_line(as_role, org, roles, short_term, kind, indicators, label, flagged):
    """The printed scorecard says what the school holds, until when, and 预警 when a demonstration
    school has fallen below the standard — what the page's status badge says."""
    _award(org["school_a1"], kind, indicators, D(2028, 8, 31), roles["city"])
    response = as_role("district").get(
        reverse("evaluation:school_pdf", args=[org["school_a1"].pk]) + period_q(short_term)
    )
    text = pdf_text(response.content)
    assert f"认定状态：{label}" in text
    assert "有效期至2028-08-31" in text
    assert ("预警" in text) is flagged
    if flagged:
        assert "预警：目前未达标：领导小组" in text
