"""The one place that answers: which districts, schools, teachers and classes may this user see?

Every report, export and view that shows organisation data asks a `Scope`; none filters
by role on its own. Scopes are unions: a user with a school role and a district role sees
both. Teachers see themselves and the classes they teach; parents and anonymous users see
no organisation data.

Scope follows the teacher's *current* school: when a teacher moves, the old school's
coordinator stops seeing them and the new one starts. Reports of a training year ask
`teachers_in_year`, which follows the school of that year instead (membership history).

Seeing is not acting. Nobody decides on their own claim, corrects their own ledger or imports
their own attendance, and a coordinator's items go to the next level up (issue 9 #4): a school
coordinator's claim is decided by the district or the city, a district coordinator's by the
city, a city coordinator's by a superuser. `Scope.may_act_on` / `Scope.needs_higher_level`
answer that, for one teacher or as a filter over a queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet

from cms.core import versions

from .membership import with_year_school
from .models import CoordinatorRole, District, School, SchoolClass, TeacherProfile, TrainingYear, User


@dataclass
class Scope:
    user: object
    city: bool = False
    district_ids: frozenset[int] = field(default_factory=frozenset)
    school_ids: frozenset[int] = field(default_factory=frozenset)

    # --- construction -------------------------------------------------------------
    @classmethod
    def for_user(cls, user) -> Scope:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(user=None)
        if user.is_superuser:
            return cls(user=user, city=True)
        roles = list(CoordinatorRole.objects.filter(user=user).values_list("level", "district_id", "school_id"))
        return cls(
            user=user,
            city=any(level == CoordinatorRole.Level.CITY for level, _, _ in roles),
            district_ids=frozenset(d for level, d, _ in roles if level == CoordinatorRole.Level.DISTRICT),
            school_ids=frozenset(s for level, _, s in roles if level == CoordinatorRole.Level.SCHOOL),
        )

    # --- what kind of viewer ------------------------------------------------------
    @property
    def is_coordinator(self) -> bool:
        return self.city or bool(self.district_ids) or bool(self.school_ids)

    @property
    def level(self) -> str | None:
        """The widest level this user coordinates at: 'city', 'district', 'school' or None."""
        if self.city:
            return CoordinatorRole.Level.CITY
        if self.district_ids:
            return CoordinatorRole.Level.DISTRICT
        if self.school_ids:
            return CoordinatorRole.Level.SCHOOL
        return None

    @cached_property
    def teacher_profile(self) -> TeacherProfile | None:
        if self.user is None:
            return None
        return TeacherProfile.objects.filter(user=self.user, is_active=True).first()

    # --- the predicate --------------------------------------------------------------
    def school_filter(self, path: str) -> Q:
        """Q for any model that reaches a school through `path` (e.g. 'school', 'teacher__school').

        Coordinators only; everyone else gets a filter that matches nothing.
        """
        if not self.is_coordinator:
            return Q(pk__in=[])
        if self.city:
            return Q()
        q = Q(pk__in=[])
        if self.district_ids:
            q |= Q(**{f"{path}__district_id__in": self.district_ids})
        if self.school_ids:
            q |= Q(**{f"{path}_id__in": self.school_ids})
        return q

    def districts(self) -> QuerySet[District]:
        if self.city:
            return District.objects.all()
        if not self.is_coordinator:
            return District.objects.none()
        return District.objects.filter(Q(id__in=self.district_ids) | Q(schools__id__in=self.school_ids)).distinct()

    def schools(self) -> QuerySet[School]:
        if not self.is_coordinator:
            return School.objects.none()
        if self.city:
            return School.objects.all()
        return School.objects.filter(Q(district_id__in=self.district_ids) | Q(id__in=self.school_ids))

    def teachers(self) -> QuerySet[TeacherProfile]:
        if self.is_coordinator:
            return TeacherProfile.objects.filter(self.school_filter("school"))
        if self.teacher_profile is not None:
            return TeacherProfile.objects.filter(pk=self.teacher_profile.pk)
        return TeacherProfile.objects.none()

    def teachers_in_year(self, training_year: TrainingYear, *conditions: Q) -> QuerySet[TeacherProfile]:
        """Teachers by the school they belonged to in a training year (not their school now):
        a year's figures stay with the school where the teacher worked. Each row carries that
        stint as `year_membership` (accounts.membership.with_year_school); `conditions` on that
        stint's school are applied in the same filter, so it is joined once."""
        if not self.is_coordinator:
            return TeacherProfile.objects.none()
        return with_year_school(
            TeacherProfile.objects.all(), training_year, self.school_filter("year_membership__school"), *conditions
        )

    def classes(self) -> QuerySet[SchoolClass]:
        if self.is_coordinator:
            return SchoolClass.objects.filter(self.school_filter("school"))
        teacher = self.teacher_profile
        if teacher is not None:
            return SchoolClass.objects.filter(
                Q(head_teacher=teacher) | Q(psychology_teacher=teacher), school_id=teacher.school_id
            )
        return SchoolClass.objects.none()

    # --- single-object checks (for URLs carrying ids) -------------------------------
    def can_see_school(self, school: School | int) -> bool:
        school_id = school if isinstance(school, int) else school.pk
        return self.schools().filter(pk=school_id).exists()

    def can_see_district(self, district: District | int) -> bool:
        district_id = district if isinstance(district, int) else district.pk
        if self.city:
            return True
        return district_id in self.district_ids

    def can_see_teacher(self, teacher: TeacherProfile | int) -> bool:
        teacher_id = teacher if isinstance(teacher, int) else teacher.pk
        return self.teachers().filter(pk=teacher_id).exists()

    def can_see_class(self, school_class: SchoolClass | int) -> bool:
        class_id = school_class if isinstance(school_class, int) else school_class.pk
        return self.classes().filter(pk=class_id).exists()

    # --- who may act (issue 9 #4) ---------------------------------------------------
    def needs_higher_level(self, path: str = "") -> Q:
        """Q for records about a teacher (reached through `path`, e.g. 'teacher__') that this user
        may see but must leave to a higher level: their own, and those of anyone who coordinates
        the teacher's school at this user's level or above (a superuser counts above the city)."""
        if self.user is None:
            return Q()
        teacher_user = f"{path}user"
        school = f"{path}school"
        blocked = Q(**{f"{teacher_user}_id": self.user.pk})
        if self.user.is_superuser:
            return blocked

        def roles(condition: Q) -> Exists:
            return Exists(CoordinatorRole.objects.filter(condition, user_id=OuterRef(f"{teacher_user}_id")))

        superuser = Exists(User.objects.filter(pk=OuterRef(f"{teacher_user}_id"), is_superuser=True))
        at_or_above_city = roles(Q(level=CoordinatorRole.Level.CITY)) | superuser
        if self.city:
            return blocked | at_or_above_city
        at_or_above_district = at_or_above_city | roles(
            Q(level=CoordinatorRole.Level.DISTRICT, district_id=OuterRef(f"{school}__district_id"))
        )
        at_or_above_school = at_or_above_district | roles(
            Q(level=CoordinatorRole.Level.SCHOOL, school_id=OuterRef(f"{school}_id"))
        )
        # Where this user coordinates a district, district colleagues and above are out of reach;
        # where only a school, school colleagues and above.
        by_district = Q(**{f"{school}__district_id__in": self.district_ids})
        return blocked | (by_district & at_or_above_district) | (~by_district & at_or_above_school)

    def may_act_on(self, teacher: TeacherProfile | int) -> bool:
        """May this coordinator decide, correct or import for this teacher? (In scope and not
        their own record nor a same-or-higher-level coordinator's.)"""
        teacher_id = teacher if isinstance(teacher, int) else teacher.pk
        return self.teachers().filter(pk=teacher_id).exclude(self.needs_higher_level()).exists()


def scope_for(user) -> Scope:
    return Scope.for_user(user)


# The management pages ask on every request; a user's roles change rarely, and every ORM write to
# them (a role saved or deleted, the user saved) drops the cached answer now and at commit
# (cms/core/cache_signals.py `forget_menu`, with the menu facts and the second-factor answer), as
# does a new roles generation (group and permission changes). Writes without signals (bulk
# updates of roles) are seen within the backstop.
SCOPE_SECONDS = 60


def scope_key(user_id: int) -> str:
    return f"scope:{versions.current(versions.ROLES)}:{user_id}"


def scope_for_cached(user) -> Scope:
    """`scope_for(user)` with the user's roles from the cache: the report pages' per-request roles
    query becomes a read of a key whose generation arrives with the page's other counters. Who the
    user is (active, superuser) is still read from the user row of the request, never cached."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active or user.is_superuser:
        return Scope.for_user(user)
    key = scope_key(user.pk)
    roles = cache.get(key)
    if roles is None:
        scope = Scope.for_user(user)
        cache.set(key, (scope.city, tuple(scope.district_ids), tuple(scope.school_ids)), SCOPE_SECONDS)
        return scope
    city, district_ids, school_ids = roles
    return Scope(user=user, city=city, district_ids=frozenset(district_ids), school_ids=frozenset(school_ids))
