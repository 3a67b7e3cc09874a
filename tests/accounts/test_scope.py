"""The scope predicate: who sees which schools, teachers and classes."""

import pytest

from django.contrib.auth.models import AnonymousUser

from accounts.scope import scope_for
from tests.factories import (
    CoordinatorRoleFactory,
    ParentProfileFactory,
    SchoolClassFactory,
    TeacherProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org):
    t_a1 = TeacherProfileFactory(school=org["school_a1"])
    t_a2 = TeacherProfileFactory(school=org["school_a2"])
    t_b1 = TeacherProfileFactory(school=org["school_b1"])
    c_a1 = SchoolClassFactory(school=org["school_a1"], head_teacher=t_a1)
    c_a1_other = SchoolClassFactory(school=org["school_a1"])
    c_b1 = SchoolClassFactory(school=org["school_b1"], psychology_teacher=t_b1)
    return {"t_a1": t_a1, "t_a2": t_a2, "t_b1": t_b1, "c_a1": c_a1, "c_a1_other": c_a1_other, "c_b1": c_b1}


def test_city_coordinator_sees_everything(org, people, city_coordinator):
    scope = scope_for(city_coordinator)
    assert scope.level == "city"
    assert scope.schools().count() == 3
    assert scope.districts().count() == 2
    assert scope.teachers().count() == 3
    assert scope.classes().count() == 3


def test_district_coordinator_sees_only_their_district(org, people, district_coordinator):
    scope = scope_for(district_coordinator)
    assert scope.level == "district"
    assert set(scope.schools()) == {org["school_a1"], org["school_a2"]}
    assert list(scope.districts()) == [org["district_a"]]
    assert set(scope.teachers()) == {people["t_a1"], people["t_a2"]}
    assert set(scope.classes()) == {people["c_a1"], people["c_a1_other"]}
    assert not scope.can_see_school(org["school_b1"])
    assert not scope.can_see_teacher(people["t_b1"])
    assert not scope.can_see_class(people["c_b1"])
    assert not scope.can_see_district(org["district_b"])


def test_school_coordinator_sees_only_their_school(org, people, school_coordinator):
    scope = scope_for(school_coordinator)
    assert scope.level == "school"
    assert list(scope.schools()) == [org["school_a1"]]
    assert list(scope.districts()) == [org["district_a"]]
    assert list(scope.teachers()) == [people["t_a1"]]
    assert set(scope.classes()) == {people["c_a1"], people["c_a1_other"]}
    assert not scope.can_see_school(org["school_a2"])
    assert not scope.can_see_teacher(people["t_a2"].pk)


def test_roles_add_up(org, people):
    user = UserFactory()
    CoordinatorRoleFactory(user=user, level="school", school=org["school_a1"])
    CoordinatorRoleFactory(user=user, level="district", district=org["district_b"])
    scope = scope_for(user)
    assert set(scope.schools()) == {org["school_a1"], org["school_b1"]}
    assert set(scope.teachers()) == {people["t_a1"], people["t_b1"]}


def test_teacher_sees_self_and_own_classes_only(org, people):
    scope = scope_for(people["t_a1"].user)
    assert not scope.is_coordinator
    assert scope.schools().count() == 0
    assert list(scope.teachers()) == [people["t_a1"]]
    assert list(scope.classes()) == [people["c_a1"]]
    assert not scope.can_see_class(people["c_a1_other"])
    assert not scope.can_see_teacher(people["t_a2"])


def test_parent_and_anonymous_see_nothing(org, people):
    parent = ParentProfileFactory(school=org["school_a1"]).user
    for user in (parent, AnonymousUser(), None):
        scope = scope_for(user)
        assert not scope.is_coordinator
        assert scope.schools().count() == 0
        assert scope.teachers().count() == 0
        assert scope.classes().count() == 0
        assert scope.districts().count() == 0


def test_inactive_coordinator_sees_nothing(org, people):
    role = CoordinatorRoleFactory(level="city")
    role.user.is_active = False
    role.user.save()
    assert scope_for(role.user).teachers().count() == 0


def test_teacher_who_moves_school_moves_between_scopes(org, people, school_coordinator):
    other_school_coord = CoordinatorRoleFactory(level="school", school=org["school_b1"]).user
    district_b_coord = CoordinatorRoleFactory(level="district", district=org["district_b"]).user
    mover = people["t_a1"]
    assert scope_for(school_coordinator).can_see_teacher(mover)
    assert not scope_for(other_school_coord).can_see_teacher(mover)

    mover.school = org["school_b1"]
    mover.save()

    assert not scope_for(school_coordinator).can_see_teacher(mover)
    assert scope_for(other_school_coord).can_see_teacher(mover)
    assert scope_for(district_b_coord).can_see_teacher(mover)
    # the mover no longer teaches classes of the old school
    assert list(scope_for(mover.user).classes()) == []


def test_school_filter_reaches_related_models(org, people, district_coordinator):
    from accounts.models import SchoolClass

    q = scope_for(district_coordinator).school_filter("school")
    assert set(SchoolClass.objects.filter(q)) == {people["c_a1"], people["c_a1_other"]}
    teacher_scope = scope_for(people["t_a1"].user)
    assert SchoolClass.objects.filter(teacher_scope.school_filter("school")).count() == 0
