"""The account menu leads each kind of user to their own pages (editors had to type /admin/)."""

import pytest

from django.urls import reverse
from django.utils.translation import gettext as _

from tests.auth import login_with_mfa
from tests.factories import EnrolmentFactory, ParentProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_editors_find_the_site_admin_in_the_menu(client, db):
    from accounts.roles import ensure_editor_group

    editor = UserFactory()
    editor.groups.add(ensure_editor_group())
    login_with_mfa(client, editor)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_teachers_get_no_site_admin_link(client, teacher):
    client.force_login(teacher.user)
    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_admin_dashboard_shows_no_upgrade_banner(client, db):
    """The English upgrade banner calls releases.wagtail.io from a closed network; it stays off."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    login_with_mfa(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "w-upgrade" not in response.content.decode()


def test_parents_reach_their_courses_from_the_menu(client, db):
    """Parents had no menu entry for the parent-school courses they enrolled in."""
    parent = ParentProfileFactory()
    enrolment = EnrolmentFactory(user=parent.user)
    client.force_login(parent.user)
    assert f'href="{reverse("tracking:dashboard")}"' in client.get("/").content.decode()
    body = client.get(reverse("tracking:dashboard")).content.decode()
    assert enrolment.course.title in body
    assert _("Training hours are recorded for teachers. Your account has no teacher profile.") not in body
    assert f"<h1>{_('My courses')}</h1>" in body
