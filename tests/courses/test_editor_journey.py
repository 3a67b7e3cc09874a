"""An editor (the editors' group, not a superuser) builds a course in the Wagtail admin:
quiz snippet, course, lessons (text, image, document, quiz), publish; a course without a
published lesson is refused at publishing and cannot be enrolled in."""

import pytest

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accounts.roles import ensure_editor_group
from courses.models import CoursePage, Enrolment, LessonPage, Quiz
from tests.auth import login_with_mfa
from tests.factories import CoursePageFactory, UserFactory

from .conftest import home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor-city")
    user.groups.add(ensure_editor_group())
    assert not user.is_superuser and not user.is_staff
    return user


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (47, 111, 98)).save(buffer, "PNG")
    return buffer.getvalue()


def _course_form(training_year, **extra):
    data = nested_form_data(
        {
            "title": "编辑新建：学生情绪观察入门",
            "slug": "emotion-basics",
            "summary": "面向全体教师的情绪观察入门课程。",
            "outline": rich_text("<p>两讲与一次测验。</p>"),
            "credit_hours": "2.0",
            "counts_as_session": "on",
            "training_year": training_year.pk,
            "topic": "emotion",
            "minimum_minutes": "",
            "comments": inline_formset([]),
            **extra,
        }
    )
    data["teacher_categories"] = ["other", "head"]
    return data


def test_editor_builds_and_publishes_a_course_with_a_quiz(client, editor, catalogue, training_year, teacher):
    login_with_mfa(client, editor)
    # 1. The quiz snippet.
    assert client.get("/admin/snippets/courses/quiz/").status_code == 200
    quiz_data = nested_form_data(
        {
            "title": "情绪观察 小测验",
            "pass_mark": 60,
            "max_attempts": 3,
            "questions": inline_formset(
                [
                    {"text": "学生持续情绪低落时，教师应当：", "kind": "single", "options": "*及时关注\n不予理会"},
                    {"text": "哪些是情绪变化的信号？", "kind": "multiple", "options": "*睡眠改变\n*社交退缩\n按时交"},
                ],
                min=1,
            ),
        }
    )
    response = client.post("/admin/snippets/courses/quiz/add/", quiz_data)
    assert response.status_code == 302, response.content.decode()[:2000]
    quiz = Quiz.objects.get(title="情绪观察 小测验")
    assert quiz.questions.count() == 2

    # 2. Media for the lessons.
    image = get_image_model().objects.create(title="课堂观察", file=ContentFile(_png(), name="observe.png"))
    document = get_document_model().objects.create(title="观察记录表", file=ContentFile(b"%PDF-1.4", name="sheet.pdf"))
    assert client.get(reverse("wagtailimages:index")).status_code == 200
    assert client.get(reverse("wagtaildocs:index")).status_code == 200

    # 3. The course: publishing it without lessons is refused, a draft is fine.
    add_course = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", catalogue.pk])
    response = client.post(add_course, _course_form(training_year, **{"action-publish": "action-publish"}))
    assert response.status_code == 200
    assert "课程至少要有一个已发布的课时才能发布。请先保存草稿，在课程下添加课时，再发布。" in response.content.decode()
    assert not CoursePage.objects.filter(slug="emotion-basics").exists()
    response = client.post(add_course, _course_form(training_year))
    assert response.status_code == 302, response.context["form"].errors
    course = CoursePage.objects.get(slug="emotion-basics")
    assert not course.live

    # 4. Lessons under the draft course: text, image, attachment, then the quiz.
    add_lesson = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    for slug, title, body in [
        (
            "observe",
            "第一讲 观察学生情绪",
            [
                ("paragraph", rich_text("<p>从表情、言语和行为的变化中识别情绪。</p>")),
                ("image", {"image": image.pk, "alt_text": "教师在课堂上观察学生", "decorative": ""}),
                ("attachment", {"title": "观察记录表", "document": document.pk, "note": "可打印"}),
            ],
        ),
        ("quiz", "第二讲 小测验", [("quiz", {"quiz": quiz.pk, "introduction": "及格即完成本课。"})]),
    ]:
        data = nested_form_data(
            {
                "title": title,
                "slug": slug,
                "introduction": "",
                "required": "on",
                "estimated_minutes": 20,
                "minimum_minutes": "",
                "body": streamfield(body),
                "comments": inline_formset([]),
                "action-publish": "action-publish",
            }
        )
        response = client.post(add_lesson, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    assert LessonPage.objects.child_of(course).live().count() == 2

    # 5. Now the course publishes.
    edit = reverse("wagtailadmin_pages:edit", args=[course.pk])
    response = client.post(edit, _course_form(training_year, **{"action-publish": "action-publish"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    course.refresh_from_db()
    assert course.live

    # A teacher finds it and enrols; the quiz lesson shows the editor's questions.
    client.force_login(teacher.user)
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 302
    assert Enrolment.objects.filter(user=teacher.user, course=course).exists()
    page = client.get(course.get_children().live().last().url).content.decode()
    assert "学生持续情绪低落时，教师应当：" in page


def test_a_published_course_without_lessons_cannot_be_enrolled_in(client, teacher, catalogue, training_year):
    empty = CoursePageFactory(parent=catalogue, title="尚无课时的课程", training_year=training_year)
    client.force_login(teacher.user)
    page = client.get(empty.url).content.decode()
    assert "该课程还没有课时，课时发布后才开放报名。" in page
    assert 'action="/learn/courses/' not in page
    response = client.post(reverse("courses:enrol", args=[empty.pk]), follow=True)
    assert "该课程还没有课时，课时发布后才开放报名。" in [str(m) for m in response.context["messages"]]
    assert not Enrolment.objects.exists()


def test_editors_may_not_manage_people(client, editor):
    login_with_mfa(client, editor)
    assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    assert home_page() is not None
