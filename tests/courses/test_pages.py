"""Catalogue filters and ordering, admin preview, page-type rules, quiz validation."""

import pytest

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizQuestion
from tests.auth import MfaClient, login_with_mfa
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    ParentProfileFactory,
    QuizFactory,
    TeacherProfileFactory,
    TrainingYearFactory,
)

from .conftest import home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_catalogue(catalogue):
    return {
        "head": CoursePageFactory(
            parent=catalogue, title="甲 班主任课程", teacher_categories=["head"], credit_hours=10
        ),
        "other": CoursePageFactory(parent=catalogue, title="乙 全员课程", teacher_categories=["other"], credit_hours=2),
        "psy": CoursePageFactory(
            parent=catalogue, title="丙 专职课程", teacher_categories=["psy_full"], credit_hours=40, compulsory=True
        ),
        "parents": CoursePageFactory(
            parent=catalogue, title="丁 家长课程", teacher_categories=[], parent_age_stages=["junior"], credit_hours=1
        ),
    }


def _titles(client, catalogue, **params):
    response = client.get(catalogue.url, params)
    return [c.title for c in response.context["courses"]]


def test_eligible_courses_come_first(client, org, catalogue, mixed_catalogue):
    head = TeacherProfileFactory(school=org["school_a1"], category="head")
    client.force_login(head.user)
    titles = _titles(client, catalogue)
    assert titles[0] == "甲 班主任课程"
    assert set(titles) == {c.title for c in mixed_catalogue.values()}


def test_parent_sees_their_age_stage_first(client, catalogue, mixed_catalogue):
    parent = ParentProfileFactory(age_stages=["junior"])
    client.force_login(parent.user)
    assert _titles(client, catalogue)[0] == "丁 家长课程"


def test_filters(client, catalogue, mixed_catalogue):
    assert _titles(client, catalogue, audience="head") == ["甲 班主任课程"]
    assert _titles(client, catalogue, audience="parents") == ["丁 家长课程"]
    assert _titles(client, catalogue, hours="long") == ["丙 专职课程"]
    assert set(_titles(client, catalogue, hours="short")) == {"乙 全员课程", "丁 家长课程"}
    assert _titles(client, catalogue, kind="compulsory") == ["丙 专职课程"]
    assert set(_titles(client, catalogue, topic="general")) == {c.title for c in mixed_catalogue.values()}
    assert _titles(client, catalogue, audience="bogus") == _titles(client, catalogue)


def test_parent_catalogue_lists_parent_courses_only(client, mixed_catalogue, catalogue):
    parents_index = CourseIndexPageFactory(parent=home_page(), slug="parents", audience="parents")
    CoursePageFactory(parent=parents_index, title="戊 家长", teacher_categories=[], parent_age_stages=["senior"])
    CoursePageFactory(parent=parents_index, title="己 教师", teacher_categories=["other"])
    assert _titles(client, parents_index) == ["戊 家长"]


def test_course_needs_an_audience_and_half_hours(training_year):
    course = CoursePage(title="x", slug="x", summary="x", teacher_categories=[], parent_age_stages=[])
    with pytest.raises(ValidationError):
        course.clean()
    course.teacher_categories = ["other"]
    course.credit_hours = "1.3"
    from decimal import Decimal

    course.credit_hours = Decimal("1.3")
    with pytest.raises(ValidationError):
        course.clean()
    course.credit_hours = Decimal("1.5")
    course.clean()


def test_quiz_question_validation(db):
    quiz = QuizFactory(questions=[])
    with pytest.raises(ValidationError):
        QuizQuestion(quiz=quiz, text="?", kind="single", options="*甲\n*乙").clean()
    with pytest.raises(ValidationError):
        QuizQuestion(quiz=quiz, text="?", kind="multiple", options="甲\n乙").clean()
    with pytest.raises(ValidationError):
        QuizQuestion(quiz=quiz, text="?", kind="single", options="*甲").clean()
    QuizQuestion(quiz=quiz, text="?", kind="multiple", options="*甲\n*乙\n丙").clean()


class PageRulesTests(WagtailPageTestCase):
    client_class = MfaClient  # assertPageIsPreviewable logs a superuser in by itself

    @classmethod
    def setUpTestData(cls):
        year = TrainingYearFactory(year=2026)
        cls.index = CourseIndexPageFactory(parent=home_page(), slug="training")
        cls.course = CoursePageFactory(parent=cls.index, training_year=year)
        cls.quiz = quiz = QuizFactory()
        cls.lesson = LessonPageFactory(
            parent=cls.course, body=[("paragraph", "<p>正文</p>"), ("quiz", {"quiz": quiz, "introduction": ""})]
        )

    def test_parent_and_subpage_types(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})

    def test_preview_works(self):
        for page in (self.index, self.course):
            self.assertPageIsPreviewable(page)
        # The StreamField editor is built in JavaScript, so the lesson's form data is given explicitly.
        lesson_data = nested_form_data(
            {
                "title": "第一讲",
                "slug": "lesson-one",
                "introduction": "",
                "required": "on",
                "estimated_minutes": 20,
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>正文</p>")),
                        ("quiz", {"quiz": self.quiz.pk, "introduction": ""}),
                    ]
                ),
            }
        )
        self.assertPageIsPreviewable(self.lesson, post_data=lesson_data)
        preview = reverse("wagtailadmin_pages:preview_on_edit", kwargs={"page_id": self.lesson.pk})
        login_with_mfa(self.client, self.create_superuser("previewer"))
        self.client.post(preview, data=lesson_data)
        response = self.client.get(preview)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        question = self.quiz.questions.first()
        self.assertIn(question.text, html)
        self.assertNotIn("*12355", html)  # the correct-answer marker never reaches the browser

    def test_pages_render_for_anonymous_visitors(self):
        for page in (self.index, self.course, self.lesson):
            self.assertPageIsRenderable(page)
        html = self.client.get(self.lesson.url).content.decode()
        self.assertNotIn('name="token"', html)


class EditorCanCreateCourse(TestCase):
    def test_admin_add_form_loads(self):
        from accounts.models import User

        admin = User.objects.create_superuser("root", "root@example.cn", "x")
        login_with_mfa(self.client, admin)
        index = CourseIndexPageFactory(parent=home_page(), slug="training")
        response = self.client.get(f"/admin/pages/add/courses/coursepage/{index.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="teacher_categories"')
        response = self.client.get("/admin/snippets/courses/quiz/add/")
        self.assertEqual(response.status_code, 200)


def test_catalogue_queries_do_not_grow_with_courses(client, teacher, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(catalogue.url).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(teacher.user)
    CoursePageFactory(parent=catalogue)
    queries()  # warm-up: the first request creates the site settings row
    from cms.core import versions

    versions.bump(versions.CONTENT)  # what any publish does: the next request finds the caches empty
    few_cold, few = queries(), queries()
    for _ in range(5):
        CoursePageFactory(parent=catalogue)
    # Saving pages starts a new cache generation (decision 0025): compare cold with cold, warm with warm.
    assert (queries(), queries()) == (few_cold, few)


def test_refused_quiz_redirect_stays_on_site(client, teacher, course):
    from django.urls import reverse

    client.force_login(teacher.user)
    response = client.post(reverse("courses:submit_quiz"), {"token": "forged", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
