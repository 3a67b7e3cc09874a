"""Teacher logging and coordinator corrections: defaults, replay safety, scope refusals, audit."""

import datetime
import uuid

import pytest

from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, TeacherCategory
from tests.factories import (
    AcademicYearFactory,
    ClassActivityFactory,
    CoordinatorRoleFactory,
    ParentLectureFactory,
    SchoolClassFactory,
    SchoolFactory,
    TeacherProfileFactory,
    TermFactory,
    UserFactory,
)
from tracking.models import ActivityKind, ClassActivity, FamilyVisitTally, ParentLecture

TODAY = timezone.localdate()


@pytest.fixture
def current_term(db):
    year = AcademicYearFactory(
        name="current",
        start_date=TODAY - datetime.timedelta(days=100),
        end_date=TODAY + datetime.timedelta(days=200),
    )
    return TermFactory(
        academic_year=year,
        number=1,
        start_date=TODAY - datetime.timedelta(days=60),
        end_date=TODAY + datetime.timedelta(days=60),
    )


@pytest.fixture
def psy(org):
    return TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.FULL_TIME_PSYCHOLOGY)


@pytest.fixture
def head(org):
    return TeacherProfileFactory(school=org["school_a1"], category=TeacherCategory.HEAD_TEACHER)


@pytest.fixture
def my_class(org, current_term, psy, head):
    return SchoolClassFactory(
        school=org["school_a1"],
        academic_year=current_term.academic_year,
        grade=1,
        name="1班",
        psychology_teacher=psy,
        head_teacher=head,
        family_count=40,
    )


@pytest.fixture
def other_class(org, current_term):
    """A class in another district, taught by someone else."""
    teacher = TeacherProfileFactory(school=org["school_b1"], category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
    return SchoolClassFactory(
        school=org["school_b1"], academic_year=current_term.academic_year, grade=1, psychology_teacher=teacher
    )


def login(client, user):
    client.force_login(user)
    return client


def lesson_post(**extra):
    data = {
        "kind": ActivityKind.PSYCHOLOGY_LESSON,
        "date": TODAY.isoformat(),
        "periods": 1,
        "topic": "认识情绪",
        "token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


class TestTeacherLogging:
    def test_my_classes_shows_my_class_and_what_is_due(self, client, psy, my_class, other_class):
        response = login(client, psy.user).get(reverse("delivery:my_classes"))
        assert response.status_code == 200
        assert [c.pk for c in response.context["classes"]] == [my_class.pk]
        assert reverse("delivery:log", args=[my_class.pk]) in response.text

    def test_log_shortcut_opens_the_form_of_my_only_class(self, client, psy, my_class):
        response = login(client, psy.user).get(reverse("delivery:log_start"))
        assert response.url == reverse("delivery:log", args=[my_class.pk])

    def test_form_defaults_today_one_period_and_my_kind(self, client, psy, my_class):
        form = login(client, psy.user).get(reverse("delivery:log", args=[my_class.pk])).context["form"]
        assert form.initial["date"] == TODAY
        assert form.initial["periods"] == 1
        assert form.initial["kind"] == ActivityKind.PSYCHOLOGY_LESSON
        assert [k for k, _ in form.fields["kind"].choices] == [ActivityKind.PSYCHOLOGY_LESSON]

    def test_logging_a_lesson_counts_once_even_when_replayed(self, client, psy, my_class):
        client = login(client, psy.user)
        data = lesson_post()
        first = client.post(reverse("delivery:log", args=[my_class.pk]), data)
        assert first.status_code == 303
        client.post(reverse("delivery:log", args=[my_class.pk]), data)  # double tap / replay
        activity = ClassActivity.objects.get()
        assert (activity.school_class, activity.teacher, activity.created_by) == (my_class, psy, psy.user)
        assert AuditEvent.objects.filter(action="delivery.create", object_id=activity.pk).count() == 1
        page = client.get(reverse("delivery:my_classes"))
        assert page.context["classes"][0].lessons == 1

    def test_forged_class_id_is_404_and_logs_nothing(self, client, psy, my_class, other_class):
        client = login(client, psy.user)
        assert client.get(reverse("delivery:log", args=[other_class.pk])).status_code == 404
        assert client.post(reverse("delivery:log", args=[other_class.pk]), lesson_post()).status_code == 404
        assert not ClassActivity.objects.exists()

    def test_head_teacher_cannot_log_a_psychology_lesson(self, client, head, my_class):
        response = login(client, head.user).post(reverse("delivery:log", args=[my_class.pk]), lesson_post())
        assert response.status_code == 200
        assert "kind" in response.context["form"].errors
        assert not ClassActivity.objects.exists()

    def test_head_teacher_logs_a_theme_meeting(self, client, head, my_class):
        data = lesson_post(kind=ActivityKind.THEME_MEETING, topic="珍爱生命")
        login(client, head.user).post(reverse("delivery:log", args=[my_class.pk]), data)
        assert ClassActivity.objects.get().kind == ActivityKind.THEME_MEETING

    def test_future_date_is_refused(self, client, psy, my_class):
        data = lesson_post(date=(TODAY + datetime.timedelta(days=1)).isoformat())
        response = login(client, psy.user).post(reverse("delivery:log", args=[my_class.pk]), data)
        assert "date" in response.context["form"].errors
        assert not ClassActivity.objects.exists()

    def test_teacher_of_another_school_cannot_log(self, client, org, my_class):
        outsider = TeacherProfileFactory(school=org["school_a2"], category=TeacherCategory.FULL_TIME_PSYCHOLOGY)
        assert login(client, outsider.user).get(reverse("delivery:log", args=[my_class.pk])).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, my_class):
        response = client.get(reverse("delivery:log", args=[my_class.pk]))
        assert response.status_code == 302
        assert "login" in response.url

    def test_history_lists_my_logs(self, client, psy, my_class, other_class):
        ClassActivityFactory(school_class=my_class, topic="我的课", date=TODAY)
        ClassActivityFactory(school_class=other_class, topic="别人的课", date=TODAY)
        response = login(client, psy.user).get(reverse("delivery:history"))
        assert "我的课" in response.text
        assert "别人的课" not in response.text


class TestFamilyVisits:
    def test_head_teacher_records_visits(self, client, head, my_class, current_term):
        url = reverse("delivery:visits", args=[my_class.pk])
        login(client, head.user).post(url, {"families_visited": 12})
        client.post(url, {"families_visited": 40})
        tally = FamilyVisitTally.objects.get()
        assert (tally.term, tally.families_visited) == (current_term, 40)
        assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
            "delivery.create",
            "delivery.change",
        ]

    def test_more_visits_than_families_is_refused(self, client, head, my_class):
        url = reverse("delivery:visits", args=[my_class.pk])
        response = login(client, head.user).post(url, {"families_visited": 41})
        assert "families_visited" in response.context["form"].errors
        assert not FamilyVisitTally.objects.exists()

    def test_psychology_teacher_does_not_log_visits(self, client, psy, my_class):
        assert login(client, psy.user).get(reverse("delivery:visits", args=[my_class.pk])).status_code == 404


class TestCoordinator:
    def test_teacher_cannot_open_coordinator_pages(self, client, psy, my_class):
        assert login(client, psy.user).get(reverse("delivery:manage_classes")).status_code == 403

    def test_school_coordinator_sees_only_own_school(self, client, school_coordinator, my_class, other_class):
        response = login(client, school_coordinator).get(reverse("delivery:manage_classes"))
        assert [c.pk for c in response.context["page"].object_list] == [my_class.pk]
        assert client.get(reverse("delivery:manage_class", args=[other_class.pk])).status_code == 404
        assert client.get(reverse("delivery:manage_classes"), {"school": other_class.school_id}).status_code == 404

    def test_void_inside_scope_stops_counting_and_is_audited(self, client, school_coordinator, my_class):
        activity = ClassActivityFactory(school_class=my_class, date=TODAY)
        login(client, school_coordinator).post(
            reverse("delivery:manage_activity_void", args=[activity.pk]), {"reason": "重复录入"}
        )
        activity.refresh_from_db()
        assert activity.is_void and activity.voided_by == school_coordinator
        change = AuditEvent.objects.get(action="delivery.void")
        assert (change.actor, change.object_id) == (school_coordinator, activity.pk)
        assert change.after == {"void_reason": "重复录入"}
        page = client.get(reverse("delivery:manage_class", args=[my_class.pk]))
        assert page.context["status"].lessons == 0

    def test_void_outside_scope_is_404(self, client, district_coordinator, other_class):
        activity = ClassActivityFactory(school_class=other_class, date=TODAY)
        url = reverse("delivery:manage_activity_void", args=[activity.pk])
        assert login(client, district_coordinator).post(url, {"reason": "x"}).status_code == 404
        activity.refresh_from_db()
        assert not activity.is_void
        assert client.get(reverse("delivery:manage_activity_edit", args=[activity.pk])).status_code == 404

    def test_void_needs_a_reason(self, client, school_coordinator, my_class):
        activity = ClassActivityFactory(school_class=my_class, date=TODAY)
        login(client, school_coordinator).post(reverse("delivery:manage_activity_void", args=[activity.pk]), {})
        activity.refresh_from_db()
        assert not activity.is_void

    def test_correction_records_before_and_after(self, client, school_coordinator, my_class, psy):
        activity = ClassActivityFactory(school_class=my_class, date=TODAY, topic="旧题目", teacher=psy)
        data = {
            "kind": ActivityKind.PSYCHOLOGY_LESSON,
            "date": TODAY.isoformat(),
            "teacher": psy.pk,
            "periods": 2,
            "topic": "新题目",
        }
        response = login(client, school_coordinator).post(
            reverse("delivery:manage_activity_edit", args=[activity.pk]), data
        )
        assert response.status_code == 302
        activity.refresh_from_db()
        assert (activity.topic, activity.periods) == ("新题目", 2)
        change = AuditEvent.objects.get(action="delivery.change")
        assert (change.before["topic"], change.after["topic"]) == ("旧题目", "新题目")
        assert (change.before["periods"], change.after["periods"]) == (1, 2)

    def test_coordinator_adds_a_log_naming_a_teacher_of_the_school_only(
        self, client, school_coordinator, my_class, psy, other_class
    ):
        client = login(client, school_coordinator)
        url = reverse("delivery:manage_class", args=[my_class.pk])
        data = lesson_post(action="add", teacher=other_class.psychology_teacher_id)
        response = client.post(url, data)
        assert "teacher" in response.context["add_form"].errors
        client.post(url, lesson_post(action="add", teacher=psy.pk))
        assert ClassActivity.objects.get().created_by == school_coordinator

    def test_coordinator_sets_family_visits_with_the_same_limit(self, client, school_coordinator, my_class):
        client = login(client, school_coordinator)
        url = reverse("delivery:manage_class", args=[my_class.pk])
        client.post(url, {"action": "visits", "families_visited": 41})
        assert not FamilyVisitTally.objects.exists()
        client.post(url, {"action": "visits", "families_visited": 40})
        assert FamilyVisitTally.objects.get().families_visited == 40

    def test_parent_lectures_inside_scope_only(self, client, org, school_coordinator, current_term):
        client = login(client, school_coordinator)
        data = {"date": TODAY.isoformat(), "topic": "家庭教育讲座", "participants": 120}
        client.post(reverse("delivery:manage_lectures", args=[org["school_a1"].pk]), data)
        lecture = ParentLecture.objects.get()
        assert lecture.school == org["school_a1"]
        assert client.post(reverse("delivery:manage_lectures", args=[org["school_b1"].pk]), data).status_code == 404
        schools = client.get(reverse("delivery:manage_schools")).context["schools"]
        assert [(s.name, s.parent_lectures) for s in schools] == [("甲一小学", 1)]
        client.post(reverse("delivery:manage_lecture_void", args=[lecture.pk]), {"reason": "日期有误"})
        assert ParentLecture.objects.active().count() == 0

    def test_class_list_query_count_is_constant(self, client, city_coordinator, org, current_term):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def add(n, start):
            for i in range(start, start + n):
                school_class = SchoolClassFactory(
                    school=org["school_a2"], academic_year=current_term.academic_year, name=f"{i}"
                )
                ClassActivityFactory(school_class=school_class, date=TODAY)

        client = login(client, city_coordinator)
        url = reverse("delivery:manage_classes")
        add(2, 0)
        client.get(url)  # warm per-process caches (site, settings)
        with CaptureQueriesContext(connection) as small:
            response = client.get(url)
        assert len(response.context["page"].object_list) == 2
        add(6, 2)
        with CaptureQueriesContext(connection) as large:
            response = client.get(url)
        assert len(response.context["page"].object_list) == 8
        assert len(large) == len(small) <= 30

    def test_coordinator_role_for_another_district_sees_nothing_here(self, client, org, my_class):
        other = CoordinatorRoleFactory(level="district", district=org["district_b"]).user
        assert login(client, other).get(reverse("delivery:manage_class", args=[my_class.pk])).status_code == 404


def test_every_page_renders_for_its_user(client, org, psy, head, my_class, school_coordinator, current_term):
    activity = ClassActivityFactory(school_class=my_class, date=TODAY, teacher=psy)
    ParentLectureFactory(school=org["school_a1"], date=TODAY)
    login(client, head.user)
    for url in (reverse("delivery:my_classes"), reverse("delivery:visits", args=[my_class.pk])):
        assert client.get(url).status_code == 200
    login(client, psy.user)
    assert "认识情绪" in client.get(reverse("delivery:history")).text
    login(client, school_coordinator)
    for url in (
        reverse("delivery:manage_classes") + "?status=behind",
        reverse("delivery:manage_class", args=[my_class.pk]),
        reverse("delivery:manage_activity_edit", args=[activity.pk]),
        reverse("delivery:manage_schools"),
        reverse("delivery:manage_lectures", args=[org["school_a1"].pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_vocational_grade_one_teachers_also_log_career_periods(client, org, current_term):
    school = SchoolFactory(school_type="vocational", district=org["district_a"])
    psy = TeacherProfileFactory(school=school, category=TeacherCategory.PART_TIME_PSYCHOLOGY)
    year = current_term.academic_year
    grade_one = SchoolClassFactory(school=school, academic_year=year, grade=1, psychology_teacher=psy)
    grade_two = SchoolClassFactory(school=school, academic_year=year, grade=2, psychology_teacher=psy)
    client = login(client, psy.user)
    form = client.get(reverse("delivery:log", args=[grade_one.pk])).context["form"]
    kinds = [k for k, _ in form.fields["kind"].choices]
    assert kinds == [ActivityKind.PSYCHOLOGY_LESSON, ActivityKind.CAREER_COURSE]
    client.post(reverse("delivery:log", args=[grade_one.pk]), lesson_post(kind=ActivityKind.CAREER_COURSE, periods=2))
    response = client.post(
        reverse("delivery:log", args=[grade_two.pk]), lesson_post(kind=ActivityKind.CAREER_COURSE, periods=2)
    )
    assert "kind" in response.context["form"].errors
    assert list(ClassActivity.objects.values_list("school_class", "periods")) == [(grade_one.pk, 2)]
    page = client.get(reverse("delivery:my_classes"))
    assert {c.pk: c.career_periods for c in page.context["classes"]}[grade_one.pk] == 2


def test_user_without_teacher_profile_is_told_and_cannot_log(client, my_class):
    parent = UserFactory()
    client = login(client, parent)
    response = client.get(reverse("delivery:my_classes"))
    assert response.status_code == 200
    assert response.context["classes"] == []
    assert client.get(reverse("delivery:log", args=[my_class.pk])).status_code == 404
    assert client.post(reverse("delivery:visits", args=[my_class.pk]), {"families_visited": 1}).status_code == 404
