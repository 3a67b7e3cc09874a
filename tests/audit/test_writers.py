"""Every room writes to the one trail, and coordinators read it on one page (操作记录) for
their own scope: role changes made in the admin, report exports, class-log changes."""

import datetime

import pytest

from django.urls import reverse

from accounts.models import AuditEvent, CoordinatorRole, TeacherCategory
from accounts.roles import ensure_editor_group
from tests.auth import login_with_mfa
from tests.factories import CoordinatorRoleFactory, SchoolClassFactory, TermFactory, UserFactory
from tracking.delivery.services import log_activity
from tracking.models import ActivityKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, password):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    login_with_mfa(client, user)
    return user


def trail_page(client, user) -> str:
    login_with_mfa(client, user)
    return client.get(reverse("ledger:audit_log")).content.decode()


def test_granting_changing_and_removing_a_coordinator_role_is_recorded(client, admin, org, school_coordinator):
    person = UserFactory(name="赵主任")
    form = {"user": person.pk, "level": "school", "school": org["school_a1"].pk, "district": ""}
    assert client.post(reverse("coordinator_roles:add"), form).status_code == 302
    role = CoordinatorRole.objects.get(user=person)
    assert client.post(reverse("coordinator_roles:edit", args=[role.pk]), {**form, "school": org["school_a2"].pk})
    assert client.post(reverse("coordinator_roles:delete", args=[role.pk])).status_code == 302
    events = list(AuditEvent.objects.filter(action__startswith="role.").order_by("id"))
    assert [e.action for e in events] == ["role.create", "role.change", "role.delete"]
    assert all(e.actor == admin for e in events)
    assert (events[1].before["school"], events[1].after["school"]) == (org["school_a1"].pk, org["school_a2"].pk)
    assert events[0].school_id == org["school_a1"].pk  # school_a1's coordinator reads the grant
    page = trail_page(client, school_coordinator)
    assert "赵主任" in page and events[0].action_label in page and ">role.create<" not in page


def test_a_teacher_category_change_is_recorded_because_it_sets_the_target(client, admin, teacher):
    url = reverse("teachers:edit", args=[teacher.pk])
    form = {
        "user": teacher.user_id,
        "school": teacher.school_id,
        "staff_number": teacher.staff_number,
        "category": TeacherCategory.HEAD_TEACHER,
        "subject": teacher.subject,
        "is_active": "on",
    }
    assert client.post(url, form).status_code == 302
    event = AuditEvent.objects.get(action="teacher.change")
    assert (event.before["category"], event.after["category"]) == (teacher.category, TeacherCategory.HEAD_TEACHER)
    assert event.school_id == teacher.school_id


def test_making_someone_an_editor_is_recorded(client, admin):
    person = UserFactory(username="wang", name="王编辑", email="wang@example.cn")
    editors = ensure_editor_group()
    form = {
        "username": "wang",
        "email": "wang@example.cn",
        "name": "王编辑",
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "groups": [editors.pk],
    }
    response = client.post(reverse("wagtailusers_users:edit", args=[person.pk]), form)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.roles")
    assert (event.before["groups"], event.after["groups"]) == ([], [editors.name])
    assert event.actor == admin


def test_an_export_is_recorded_for_the_coordinators_of_what_it_covers(client, org, training_year):
    district_a = CoordinatorRoleFactory(level="district", district=org["district_a"]).user
    district_b = CoordinatorRoleFactory(level="district", district=org["district_b"]).user
    login_with_mfa(client, district_a)
    response = client.get(reverse("reports:export", args=["completion"]), {"format": "csv"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="report.export")
    assert (event.actor, event.district_id, event.after["format"]) == (district_a, org["district_a"].pk, "csv")
    assert event.summary in trail_page(client, district_a)
    assert event.summary not in trail_page(client, district_b)


def test_class_log_changes_show_on_the_trail_with_their_class(client, org, school_coordinator):
    term = TermFactory()
    school_class = SchoolClassFactory(school=org["school_a1"], academic_year=term.academic_year)
    log_activity(
        actor=school_coordinator,
        school_class=school_class,
        kind=ActivityKind.THEME_MEETING,
        date=term.start_date + datetime.timedelta(days=3),
        topic="珍爱生命",
    )
    event = AuditEvent.objects.get(action="delivery.create")
    assert str(school_class) in event.summary and "珍爱生命" in event.summary
    page = trail_page(client, school_coordinator)
    assert "珍爱生命" in page and ">delivery.create<" not in page
