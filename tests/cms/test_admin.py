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


def test_the_add_page_form_does_not_autosave_but_the_edit_form_does(client, editor):
    """Autosave on the add page races 发布 into two pages (cms/core/page_create.py); once the page
    exists, its edit page autosaves as Wagtail does."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    from cms.core.models import StandardPage
    from cms.home.models import HomePage

    login_with_mfa(client, editor)
    home = HomePage.objects.get()
    add = client.get(reverse("wagtailadmin_pages:add", args=["core", "standardpage", home.pk]))
    assert add.status_code == 200
    assert 'name="title"' in add.content.decode()
    body = "".join(add.content.decode().split())
    assert "w-autosave#save" not in body and "w-autosave-indicator" not in body

    data = nested_form_data(
        {
            "title": "心理健康周",
            "slug": "mental-health-week",
            "introduction": rich_text(""),
            "body": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:add", args=["core", "standardpage", home.pk]), data)
    assert response.status_code == 302
    page = StandardPage.objects.get(slug="mental-health-week")
    assert page.live
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert "w-unsaved:add->w-autosave#save" in "".join(edit.content.decode().split())


def test_teacher_cannot_reach_the_add_page_form(client, teacher, password):
    from cms.home.models import HomePage

    client.login(username=teacher.user.username, password=password)
    home = HomePage.objects.get()
    response = client.get(reverse("wagtailadmin_pages:add", args=["core", "standardpage", home.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


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
