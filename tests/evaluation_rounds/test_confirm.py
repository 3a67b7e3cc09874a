"""Closing a round and ending a district staff member's post ask first: the button opens a page
that says, in Chinese, what will happen, with 确认 and 取消; only the confirmed POST acts. The
scope and role checks answer the confirmation page exactly as they answer the action."""

from __future__ import annotations

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from evaluation.rounds.models import Application, DistrictStaff, Round


@pytest.fixture
def round_(world):
    today = timezone.localdate()
    round_ = Round.objects.create(
        kind="standard",
        title="2026年达标评估",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
        indicators=["leading_group"],
        created_by=world.city,
    )
    Application.objects.create(round=round_, school=world.a1, status="draft")
    Application.objects.create(round=round_, school=world.b1, status="submitted")
    return round_


def test_the_round_page_links_to_a_confirmation_instead_of_closing(world, round_, as_user):
    close = reverse("evaluation_rounds:round_close", args=[round_.pk])
    body = as_user(world.city).get(reverse("evaluation_rounds:round", args=[round_.pk])).content.decode()
    assert f'href="{close}"' in body
    assert 'name="confirm"' not in body  # no one-click form on the round's page


def test_closing_a_round_says_what_happens_and_waits_for_confirmation(world, round_, as_user):
    city = as_user(world.city)
    close = reverse("evaluation_rounds:round_close", args=[round_.pk])
    page = city.get(close)
    body = page.content.decode()
    assert page.status_code == 200
    assert "确认关闭评估轮次“2026年达标评估”？" in body
    assert "学校不能再在本轮提交或重新提交自评" in body
    assert "目前有 1 所学校已开始自评但尚未提交" in body
    assert "目前有 1 份待处理" in body
    assert "确认关闭" in body and "取消" in body
    assert f'href="{reverse("evaluation_rounds:round", args=[round_.pk])}"' in body  # 取消 goes back
    assert Round.objects.get().is_open  # looking at the page changes nothing
    assert city.post(close).url == close  # a bare POST asks again
    assert Round.objects.get().is_open
    assert city.post(close, {"confirm": "yes"}).status_code == 302
    assert not Round.objects.get().is_open
    assert AuditEvent.objects.filter(action="round.close").count() == 1
    # Closed: the confirmation is not offered again.
    assert city.get(close).url == reverse("evaluation_rounds:round", args=[round_.pk])


def test_only_the_city_sees_the_close_confirmation(world, round_, as_user):
    close = reverse("evaluation_rounds:round_close", args=[round_.pk])
    for user in (world.district, world.school, world.teacher):
        client = as_user(user)
        assert client.get(close).status_code == 403
        assert client.post(close, {"confirm": "yes"}).status_code == 403
    assert Round.objects.get().is_open
    assert as_user(world.city).get(reverse("evaluation_rounds:round_close", args=[999999])).status_code == 404


def test_ending_a_post_says_what_happens_and_waits_for_confirmation(world, as_user):
    member = DistrictStaff.objects.create(district=world.a, role="researcher", name="李老师", created_by=world.city)
    district = as_user(world.district)
    staff_page = reverse("evaluation_rounds:duty_staff", args=[world.a.pk])
    end = reverse("evaluation_rounds:duty_staff_end", args=[member.pk])
    assert f'href="{end}"' in district.get(staff_page).content.decode()
    body = district.get(end).content.decode()
    assert "确认将李老师记为离岗？" in body
    assert "自今天起，李老师不再计为甲区的" in body
    assert "此后甲区将没有在岗的" in body and "未达标" in body  # the last researcher
    assert "确认离岗" in body and "取消" in body and f'href="{staff_page}"' in body
    assert DistrictStaff.objects.get().active
    district.post(end)  # a bare POST asks again
    assert DistrictStaff.objects.get().active
    assert district.post(end, {"confirm": "yes"}).url == staff_page
    member.refresh_from_db()
    assert not member.active and member.ended_at is not None
    assert AuditEvent.objects.filter(action="district_staff.end").count() == 1


def test_a_second_researcher_is_not_warned_about_and_scope_holds(world, as_user):
    first = DistrictStaff.objects.create(district=world.a, role="researcher", name="李老师", created_by=world.city)
    DistrictStaff.objects.create(district=world.a, role="researcher", name="张老师", created_by=world.city)
    other = DistrictStaff.objects.create(district=world.b, role="researcher", name="王老师", created_by=world.city)
    district = as_user(world.district)
    body = district.get(reverse("evaluation_rounds:duty_staff_end", args=[first.pk])).content.decode()
    assert "李老师" in body and "未达标" not in body
    outside = reverse("evaluation_rounds:duty_staff_end", args=[other.pk])
    assert district.get(outside).status_code == 404
    assert district.post(outside, {"confirm": "yes"}).status_code == 404
    assert as_user(world.school).get(outside).status_code == 403
    assert as_user(world.teacher).post(outside, {"confirm": "yes"}).status_code == 403
    assert DistrictStaff.objects.filter(active=True).count() == 3
    assert as_user(world.city).get(outside).status_code == 200  # the city sees every district


def test_the_confirmations_answer_only_get_and_post(world, round_, as_user):
    city = as_user(world.city)
    close = reverse("evaluation_rounds:round_close", args=[round_.pk])
    assert city.put(close).status_code == 405 and city.delete(close).status_code == 405
    round_.refresh_from_db()
    assert round_.is_open
