"""`load_demo`: the demo city loads, logins work, and loading twice changes nothing."""

from io import StringIO

import pytest

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from accounts.models import User
from tests.auth import login_with_mfa

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_load_demo_is_idempotent_and_prints_the_logins(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = row_counts()
    call_command("load_demo", stdout=StringIO())
    assert row_counts() == first

    printed = out.getvalue()
    for username, _description in DEMO_LOGINS:
        assert username in printed
    assert DEMO_PASSWORD in printed

    assert first["accounts.District"] == 12
    assert 10 <= first["accounts.School"] <= 15
    assert 90 <= first["accounts.TeacherProfile"] <= 120
    assert first["accounts.ParentProfile"] >= 3
    assert first["accounts.CoordinatorRole"] >= 3


def test_demo_districts_are_nanchangs(client):
    call_command("load_demo", stdout=StringIO())
    from accounts.models import District

    names = set(District.objects.values_list("name", flat=True))
    assert {
        "东湖区",
        "西湖区",
        "青云谱区",
        "青山湖区",
        "新建区",
        "红谷滩区",
        "南昌县",
        "进贤县",
        "安义县",
        "南昌经济技术开发区",
        "南昌高新技术产业开发区",
        "湾里管理局",
    } == names


def test_every_demo_login_works(client):
    """Through the real login page; the demo's managers type the code `demo_totp` prints."""
    call_command("load_demo", stdout=StringIO())
    needs_code = {"admin", "editor", "district_editor", "city_coord", "donghu_coord", "school_coord"}
    for username, _description in DEMO_LOGINS:
        response = client.post(reverse("account_login"), {"login": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        if username in needs_code:
            assert response["Location"] == reverse("mfa_authenticate"), username
            out = StringIO()
            call_command("demo_totp", stdout=out)
            response = client.post(reverse("mfa_authenticate"), {"code": out.getvalue().split()[0]})
            assert response.status_code == 302, username
        assert client.get(reverse("start")).status_code == 200, username
        client.logout()


def test_demo_totp_lists_recovery_codes():
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("demo_totp", "--recovery-codes", "city_coord", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and all(line.isdigit() for line in lines[1:])


def test_demo_coordinators_have_one_scope_each(client):
    call_command("load_demo", stdout=StringIO())
    from accounts.models import User
    from accounts.scope import scope_for

    assert scope_for(User.objects.get(username="city_coord")).level == "city"
    district = scope_for(User.objects.get(username="donghu_coord"))
    assert district.level == "district"
    assert {s.district.name for s in district.schools()} == {"东湖区"}
    school = scope_for(User.objects.get(username="school_coord"))
    assert [s.name for s in school.schools()] == ["东湖区滨江实验小学"]


def test_demo_editor_can_open_the_admin(client):
    call_command("load_demo", stdout=StringIO())
    login_with_mfa(client, User.objects.get(username="editor"))
    assert client.get("/admin/").status_code == 200
