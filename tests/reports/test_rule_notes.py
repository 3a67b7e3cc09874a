"""The rules behind the figures, stated where the figures are read (issue 11, parts 4 and 6):
each 计算口径 line appears on its pages and, word for word, in docs/reports.md; status
tables count 教师数 / 班级数 / 学校数, not 人数, for classes and schools."""

from pathlib import Path

import pytest

from django.urls import reverse
from django.utils import translation

from tests.factories import TeacherProfileFactory
from tracking.reports.rule_notes import RULES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def zh(key: str) -> str:
    with translation.override("zh-hans"):
        return str(RULES[key])


@pytest.mark.parametrize("key", sorted(RULES))
def test_every_rule_is_in_the_docs_word_for_word(key):
    text = zh(key)
    with translation.override("en"):
        assert text != str(RULES[key]), "translated"
    assert text in DOCS.read_text(encoding="utf-8")


def test_the_floor_rule_says_a_19_week_semester_owes_9():
    from tracking.delivery.rules import lessons_for_weeks

    assert "19 个教学周的学期应上 9 节" in zh("lessons")
    assert lessons_for_weeks(19) == 9


def distribution_header(html: str) -> str:
    table = html[html.index('class="distribution"') :]
    return table[table.index("<th") : table.index("</tr>")]


@pytest.mark.django_db
def test_completion_report_states_target_session_year_and_percent_rules(
    boundary, training_year, client, city_coordinator
):
    client.force_login(city_coordinator)
    html = client.get(reverse("reports:completion"), {"year": training_year.pk}, **ZH).content.decode()
    assert "计算口径" in html
    for key in ("target", "session", "year_school", "percent"):
        assert zh(key) in html, key
    assert "教师数" in distribution_header(html)


@pytest.mark.django_db
def test_delivery_report_and_class_pages_state_the_lesson_rule(delivery, client, city_coordinator):
    client.force_login(city_coordinator)
    term = {"term": delivery["term"].pk}
    html = client.get(reverse("reports:delivery"), term, **ZH).content.decode()
    assert zh("lessons") in html and zh("class_status") in html
    header = distribution_header(html)
    assert "班级数" in header and "人数" not in header
    classes = client.get(reverse("delivery:manage_classes"), term, **ZH).content.decode()
    assert zh("lessons") in classes
    page = client.get(reverse("delivery:manage_class", args=[delivery["c_met"].pk]), term, **ZH).content.decode()
    assert zh("lessons") in page and zh("class_status") in page


@pytest.mark.django_db
def test_a_teachers_class_page_states_the_lesson_rule(delivery, client):
    teacher = TeacherProfileFactory(school=delivery["c_met"].school)
    delivery["c_met"].psychology_teacher = teacher
    delivery["c_met"].save()
    client.force_login(teacher.user)
    html = client.get(reverse("delivery:my_classes"), **ZH).content.decode()
    assert zh("lessons") in html


@pytest.mark.django_db
def test_staffing_pages_state_the_staffing_rule_and_count_schools(org, client, city_coordinator):
    client.force_login(city_coordinator)
    html = client.get(reverse("reports:staffing"), **ZH).content.decode()
    assert zh("staffing") in html and zh("percent") in html
    header = distribution_header(html)
    assert "学校数" in header and "人数" not in header
    assert zh("staffing") in client.get(reverse("delivery:manage_schools"), **ZH).content.decode()


@pytest.mark.django_db
def test_my_training_states_target_and_session_rules(org, training_year, client):
    from tracking.ledger.targets import ensure_targets

    ensure_targets(training_year)
    teacher = TeacherProfileFactory(school=org["school_a1"])
    client.force_login(teacher.user)
    html = client.get(reverse("tracking:dashboard"), **ZH).content.decode()
    assert zh("target") in html and zh("session") in html
