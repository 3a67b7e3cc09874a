"""The Wagtail admin: editors get in and can publish; organisation data is managed there."""

import pytest

from django.urls import reverse

from accounts.roles import ensure_editor_group
from tests.auth import login_with_mfa
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor1")
    user.groups.add(ensure_editor_group())
    return user


def test_editor_reaches_the_admin_and_can_add_pages(client, editor, password):
    login_with_mfa(client, editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    from cms.home.models import HomePage

    home = HomePage.objects.get()
    choices = client.get(reverse("wagtailadmin_pages:add_subpage", args=[home.pk]))
    assert choices.status_code == 200
    add = client.get(reverse("wagtailadmin_pages:add", args=["core", "standardpage", home.pk]))
    assert add.status_code == 200
    assert 'name="title"' in add.content.decode()


def test_teacher_is_kept_out_of_the_admin(client, teacher, password):
    client.login(username=teacher.user.username, password=password)
    response = client.get("/admin/")
    assert response.status_code == 302


def test_superuser_manages_schools_with_chinese_labels(client, password):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    SchoolFactory(name="青山湖区湖滨高级中学")
    login_with_mfa(client, root)
    response = client.get("/admin/schools/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "青山湖区湖滨高级中学" in body
    assert "学校" in body
    menu = client.get("/admin/").content.decode()
    assert "组织机构" in menu.encode().decode("unicode_escape", errors="ignore") or "组织机构" in menu


def test_user_admin_form_has_the_chinese_full_name(client, password):
    login_with_mfa(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(reverse("wagtailusers_users:add"))
    assert response.status_code == 200
    assert 'name="name"' in response.content.decode()
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "liming",
            "email": "liming@example.cn",
            "name": "李明",
            "password1": "Xy-pass-2026!",
            "password2": "Xy-pass-2026!",
        },
    )
    from accounts.models import User

    assert User.objects.get(username="liming").name == "李明"
