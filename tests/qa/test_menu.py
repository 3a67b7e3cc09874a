"""Editors find the Wagtail admin from the site menu (they had to type /admin/)."""

import pytest

from tests.factories import (
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_editors_find_the_site_admin_in_the_menu(client, db):
    from accounts.roles import ensure_editor_group

    editor = UserFactory()
    editor.groups.add(ensure_editor_group())
    client.force_login(editor)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_teachers_get_no_site_admin_link(client, teacher):
    client.force_login(teacher.user)
    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_admin_dashboard_shows_no_upgrade_banner(client, db):
    """The English upgrade banner calls releases.wagtail.io from a closed network; it stays off."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "w-upgrade" not in response.content.decode()
