"""The round end to end through the pages: open → self-assess → review → decide → status on the
scorecard → the school falls below the standard → flagged."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from evaluation import periods
from evaluation.compute import compute
from evaluation.rounds.models import Application, Decision, FacilityEntry, Round

from .conftest import pdf


def _facility(client, item, present=True, school=None, **extra):
    from accounts.models import School

    school = school or School.objects.get(code="R-A1")
    data = {
        "school": school.pk,
        "item": item,
        "present": "on" if present else "",
        "note": "",
        "evidence": pdf(),
        **extra,
    }
    if not present:
        data.pop("present")
    return client.post(reverse("evaluation_rounds:facilities"), data)


def _approve_all(client):
    for entry in FacilityEntry.objects.filter(status="pending"):
        response = client.post(reverse("evaluation_rounds:facility", args=[entry.pk]), {"decision": "approve"})
        assert response.status_code == 302


def test_round_from_opening_to_a_flagged_demonstration_school(world, as_user):
    today = timezone.localdate()
    school, district, city, city2 = (as_user(u) for u in (world.school, world.district, world.city, world.city2))

    # The school enters its organisation with evidence; the district approves.
    response = _facility(school, "leading_group")
    assert response.status_code == 302, response.context["form"].errors
    assert _facility(school, "crisis_group").status_code == 302
    _approve_all(district)
    assert FacilityEntry.objects.filter(status="approved").count() == 2

    # The city opens a demonstration round on the two organisation indicators.
    response = city.post(
        reverse("evaluation_rounds:round_create"),
        {
            "kind": "demonstration",
            "title": "2026年示范校评估",
            "opens_on": today - datetime.timedelta(days=1),
            "closes_on": today + datetime.timedelta(days=30),
            "indicators": ["leading_group", "crisis_group"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = Round.objects.get()
    page = reverse("evaluation_rounds:application", args=[round_.pk, world.a1.pk])

    # The school sees its scorecard with the round's standards and submits.
    body = school.get(page).content.decode()
    assert "领导小组" in body or "Leading group" in body
    assert school.post(page, {"step": "submit", "statement": "我校已成立领导小组。"}).status_code == 302
    application = Application.objects.get()
    assert application.status == "submitted"
    assert application.snapshot["leading_group"]["verdict"] == "met"

    # The district recommends (a return without a reason is refused first).
    district.post(page, {"step": "review", "decision": "return", "reason": ""})
    assert Application.objects.get().status == "submitted"
    assert district.post(page, {"step": "review", "decision": "recommend", "reason": "材料齐全"}).status_code == 302

    # The city awards with a valid-until date.
    until = today + datetime.timedelta(days=730)
    response = city.post(page, {"step": "decide", "decision": "award", "reason": "评审通过", "valid_until": until})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.valid_until) == ("awarded", until)
    actions = list(Decision.objects.values_list("action", "actor__username"))
    assert actions == [("submit", "r_school"), ("recommend", "r_district"), ("award", "r_city")]
    assert AuditEvent.objects.filter(action__startswith="application.").count() == 3

    # The status shows on the scorecard, not flagged.
    card = compute([world.a1.pk], periods.current())[0]
    assert card.status.status == "demonstration"
    assert card.status.valid_until == until
    assert not card.status.flagged

    # The crisis group is dissolved (a new entry, approved): the school falls below the standard.
    _facility(school, "crisis_group", present=False)
    _approve_all(district)
    card = compute([world.a1.pk], periods.current())[0]
    assert card.status.flagged
    assert "危机干预" in card.status.flag_reason or "Crisis" in card.status.flag_reason
    del city2


def test_nobody_decides_their_own_step(world, as_user):
    today = timezone.localdate()
    city = as_user(world.city)
    city.post(
        reverse("evaluation_rounds:round_create"),
        {
            "kind": "standard",
            "title": "达标评估",
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=10),
            "indicators": ["leading_group"],
        },
    )
    round_ = Round.objects.get()
    application = Application.objects.create(round=round_, school=world.a1, status="recommended")
    Decision.objects.create(application=application, action="recommend", actor=world.city)
    page = reverse("evaluation_rounds:application", args=[round_.pk, world.a1.pk])
    city.post(
        page, {"step": "decide", "decision": "award", "reason": "x", "valid_until": today.replace(year=today.year + 2)}
    )
    assert Application.objects.get().status == "recommended"
    as_user(world.city2).post(page, {"step": "decide", "decision": "refuse", "reason": "材料不全"})
    assert Application.objects.get().status == "refused"


def test_a_district_coordinator_does_not_approve_their_own_entry(world, as_user):
    from accounts.models import CoordinatorRole

    CoordinatorRole.objects.create(user=world.district, level="school", school=world.a1)
    district = as_user(world.district)
    response = _facility(district, "budget", amount="20000")
    assert response.status_code == 302, response.content.decode()[-3000:]
    entry = FacilityEntry.objects.get()
    district.post(reverse("evaluation_rounds:facility", args=[entry.pk]), {"decision": "approve"})
    assert FacilityEntry.objects.get().status == "pending"
    as_user(world.city).post(reverse("evaluation_rounds:facility", args=[entry.pk]), {"decision": "approve"})
    assert FacilityEntry.objects.get().status == "approved"


def test_a_round_reads_training_for_the_training_year_it_opens_in(db):
    """A round opened in December 2026 judges the 2026 training year, the one teachers are
    finishing, not 2027 (the year its academic year ends in, not begun: everyone at 0 h)."""
    from accounts.models import TeacherCategory
    from evaluation.rounds.views import round_period, round_scorecard
    from tests.factories import (
        AcademicYearFactory,
        SchoolFactory,
        TeacherProfileFactory,
        TermFactory,
        TrainingYearFactory,
        UserFactory,
    )

    year = AcademicYearFactory(
        name="2026—2027学年", start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 8, 31)
    )
    TermFactory(academic_year=year, number=1, start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 1, 20))
    TermFactory(
        academic_year=year, number=2, start_date=datetime.date(2027, 2, 20), end_date=datetime.date(2027, 7, 10)
    )
    TrainingYearFactory(year=2026)
    TrainingYearFactory(year=2027)
    user = UserFactory()

    def opened(day):
        return Round(
            kind="standard",
            title=str(day),
            opens_on=day,
            closes_on=day + datetime.timedelta(days=30),
            indicators=["training_full_time"],
            created_by=user,
        )

    autumn, spring = opened(datetime.date(2026, 12, 1)), opened(datetime.date(2027, 3, 1))
    assert round_period(autumn).training_year.year == 2026
    assert round_period(spring).training_year.year == 2027
    assert round_period(autumn).academic_year == year
    school = SchoolFactory()
    TeacherProfileFactory(school=school, category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    _card, [row] = round_scorecard(autumn, school)
    assert "2026" in row.figure.note  # what the school and the reviewers read beside the figure


def test_an_update_starts_from_the_latest_entry(world, as_user):
    """ "Submit an update" opens with the school's latest areas and amount already filled in: the
    coordinator changes what changed instead of ticking the room's areas again."""
    import re

    school = as_user(world.school)
    assert _facility(school, "counselling_room", room_parts=["individual", "group"]).status_code == 302
    assert _facility(school, "budget", amount="25000").status_code == 302
    page = school.get(reverse("evaluation_rounds:facilities")).content.decode()
    room = page.split('id="item-counselling_room"')[1].split("</section>")[0]
    checked = re.findall(r'<input type="checkbox" name="room_parts" value="(\w+)"[^>]*checked', room)
    assert checked == ["individual", "group"]
    budget = page.split('id="item-budget"')[1].split("</section>")[0]
    assert re.search(r'name="amount" value="25000(\.00)?"', budget)
