"""District research activities: tracking sessions of kind "research", counted per month with
their attendance; the session form keeps them district-wide."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.scope import scope_for
from evaluation.rounds import duties
from evaluation.rounds.models import DistrictStaff
from tests.factories import AttendanceFactory, OfflineSessionFactory, TeacherProfileFactory
from tracking.ledger.forms import SessionForm
from tracking.models import OfflineSession


def _research(district, when, year, user):
    return OfflineSessionFactory(
        kind=OfflineSession.Kind.RESEARCH,
        audience="district",
        district=district,
        school=None,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        training_year=year,
        created_by=user,
    )


def test_monthly_count_and_attendance_come_from_the_ledger(world):
    from accounts.models import TrainingYear

    year = TrainingYear.objects.get()
    tz = timezone.get_current_timezone()
    # 1 March 00:30 in Shanghai is still February in UTC: it counts for March.
    march = _research(world.a, datetime.datetime(2026, 3, 1, 0, 30, tzinfo=tz), year, world.district)
    _research(world.a, datetime.datetime(2026, 3, 20, 14, 0, tzinfo=tz), year, world.district)
    _research(world.b, datetime.datetime(2026, 4, 2, 14, 0, tzinfo=tz), year, world.city)
    OfflineSessionFactory(audience="district", district=world.a, school=None, training_year=year, created_by=world.city)
    for _ in range(3):
        AttendanceFactory(session=march, teacher=TeacherProfileFactory(school=world.a1), recorded_by=world.district)
    DistrictStaff.objects.create(district=world.a, role="researcher", name="李老师", created_by=world.district)
    rows = duties.table([world.a, world.b], datetime.date(2026, 2, 1), datetime.date(2026, 4, 30))
    a, b = rows
    assert [(m.month.month, m.activities, m.attendance) for m in a.months] == [(2, 0, 0), (3, 2, 3), (4, 0, 0)]
    assert [m.met for m in b.months] == [False, False, True]
    assert a.researcher_met and not b.researcher_met
    assert not a.station_met  # no station in the directory


def test_a_research_activity_is_for_one_district(world):
    form = SessionForm(
        data={
            "title": "教研活动",
            "kind": "research",
            "starts_at": "2026-03-05T09:00",
            "ends_at": "2026-03-05T11:00",
            "hours": "2",
            "audience": "school",
            "school": world.a1.pk,
        },
        scope=scope_for(world.city),
    )
    assert not form.is_valid()
    assert "audience" in form.errors


def test_the_current_month_is_in_progress_until_it_ends(world, as_user):
    """A month without a research activity yet is not a failure while it runs: the page shows it
    amber and the "held in N of M months so far" line does not count it; once held, it counts."""
    from accounts.models import TrainingYear

    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    end = (this_month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    _research(world.b, timezone.now(), TrainingYear.objects.get(), world.city)
    a, b = duties.table([world.a, world.b], last_month, end)
    assert [(m.met, m.running) for m in a.months] == [(False, False), (False, True)]
    assert (a.months_met, a.months_due) == (0, 1)
    assert [(m.met, m.running) for m in b.months] == [(False, False), (True, False)]
    assert (b.months_met, b.months_due) == (1, 2)

    page = as_user(world.district).get(reverse("evaluation_rounds:duties")).content.decode()
    assert 'class="badge badge-warn" title="本月尚未结束。"' in page


def test_attending_a_research_activity_earns_hours_and_counts_in_its_month(world):
    """Research activities are sessions like any other: an attendance recorded the usual way
    credits the session's hours in the ledger, and the duties page counts it in the month."""
    from accounts.models import TrainingYear
    from tracking.ledger.workflows import record_attendance
    from tracking.models import LedgerEntry

    tz = timezone.get_current_timezone()
    session = _research(
        world.a, datetime.datetime(2026, 3, 10, 14, 0, tzinfo=tz), TrainingYear.objects.get(), world.district
    )
    teacher = TeacherProfileFactory(school=world.a1)
    _attendance, created = record_attendance(session, teacher, "import", world.district)
    assert created
    entry = LedgerEntry.objects.get(teacher=teacher)
    assert (entry.hours, entry.source_ref) == (session.hours, session.source_ref)
    [a] = duties.table([world.a], datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert [(m.activities, m.attendance) for m in a.months] == [(1, 1)]


def test_the_staff_page_asks_for_a_persons_name(world, as_user):
    """Station staff and researchers are people: their name is 姓名, not 名称 (a thing's name)."""
    page = as_user(world.district).get(reverse("evaluation_rounds:duty_staff", args=[world.a.pk])).content.decode()
    assert "姓名" in page and "名称" not in page


def test_record_a_research_activity_opens_the_session_form_for_one(world, as_user):
    """The duties page's "登记教研活动" opens the session form as a research activity for the
    coordinator's district, not a face-to-face session to re-pick."""
    client = as_user(world.district)
    duties_page = client.get(reverse("evaluation_rounds:duties")).content.decode()
    link = reverse("ledger:session_create") + "?kind=research"
    assert f'href="{link}"' in duties_page
    form = client.get(link).context["form"]
    assert form["kind"].value() == "research"
    assert form["audience"].value() == "district"
    assert str(form["district"].value()) == str(world.a.pk)


def _summary_row(page: str, district) -> dict[str, str]:
    """The city's summary row of one district: its cells' text by column label, and its link."""
    import re

    table = page.split('class="stack-phone duty-summary"')[1].split("</table>")[0]
    row = re.search(rf'<tr data-district="{district.pk}">(.*?)</tr>', table, re.S).group(1)
    cells = {
        label: " ".join(re.sub(r"<[^>]+>", " ", text).split())
        for label, text in re.findall(r'<td[^>]*data-label="([^"]+)">(.*?)</td>', row, re.S)
    }
    cells["link"] = re.search(r'<a href="([^"]+)">' + district.name, row).group(1)
    return cells


def test_the_city_reads_every_district_in_one_table_linking_to_its_card(world, as_user):
    """Twelve tall cards do not answer "which districts fall short?": a table above them does,
    one row per district, each linking to the district's card below."""
    from accounts.models import AcademicYear, TrainingYear

    year = AcademicYear.objects.get()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    training_year = TrainingYear.objects.get()
    ended = [m for m in duties.months_of(year.start_date, today) if m < today.replace(day=1)]
    for month in ended:  # district A: one research activity in every month that has ended
        day = max(month, year.start_date) + datetime.timedelta(days=1)
        _research(world.a, datetime.datetime.combine(day, datetime.time(14), tz), training_year, world.city)
    DistrictStaff.objects.create(district=world.a, role="researcher", name="李老师", created_by=world.city)

    page = as_user(world.city).get(reverse("evaluation_rounds:duties")).content.decode()
    assert "各县区概览" in page
    a, b = _summary_row(page, world.a), _summary_row(page, world.b)
    assert a["link"] == f"#district-{world.a.pk}" and f'id="district-{world.a.pk}"' in page
    assert b["link"] == f"#district-{world.b.pk}" and f'id="district-{world.b.pk}"' in page
    assert a == {
        "辅导站专职人员": "未达标 名录中无辅导站",
        "心理教研员": "达标 在岗 1 人",
        "本学年教研活动": f"已开展 {len(ended)} 次 · {len(ended)} 个月均已开展",
        "结论": "1 项职责未达标",
        "link": a["link"],
    }
    assert b["心理教研员"] == "未达标 在岗 0 人"
    assert b["本学年教研活动"] == f"已开展 0 次 · 缺 {len(ended)} 个月"
    assert b["结论"] == "3 项职责未达标"
    assert page.count('href="#duty-summary">返回各县区概览</a>') == 2  # each card leads back up
    # A district coordinator has one card: no table above it.
    assert "各县区概览" not in as_user(world.district).get(reverse("evaluation_rounds:duties")).content.decode()
