"""Parents never meet the teachers' wording (学时, 研修), menus or filters on their way through a course."""

import pytest

from django.urls import reverse

from courses import services
from tests.factories import CourseIndexPageFactory, CoursePageFactory, LessonPageFactory, ParentProfileFactory

from .conftest import home_page

pytestmark = pytest.mark.django_db
TEACHER_WORDS = ("学时", "研修", "我的班级")


def _visible(html: str) -> str:
    """The navigation and the main content (the site's name in the header and title is the platform's)."""
    nav = html.split('<nav id="site-nav"')[1].split("</nav>")[0]
    main = html.split('<main id="main"')[1].split("</main>")[0]
    return nav + main


@pytest.fixture
def parent_course(catalogue, training_year):
    index = CourseIndexPageFactory(parent=home_page(), slug="parents", title="家长学校", audience="parents")
    course = CoursePageFactory(
        parent=index,
        title="青春期的情绪变化",
        summary="家长学校必修课：读懂青春期孩子的情绪。",
        teacher_categories=[],
        parent_age_stages=["junior"],
        compulsory=True,
        credit_hours=1,
        training_year=training_year,
    )
    LessonPageFactory(parent=course, title="情绪起伏是正常的")
    return course


def test_a_parent_course_journey_has_no_teacher_wording(client, parent_course):
    parent = ParentProfileFactory(age_stages=["junior"])
    client.force_login(parent.user)
    index = parent_course.get_parent()
    catalogue = client.get(index.url).content.decode()
    assert 'name="hours"' not in catalogue  # no hours filter
    assert "必修" in _visible(catalogue)  # the badge agrees with the summary
    client.post(reverse("courses:enrol", args=[parent_course.pk]))
    lesson = parent_course.lessons().first()
    response = client.post(reverse("courses:finish_lesson", args=[lesson.pk]), follow=True)
    assert "课程已完成，祝贺您！" in [str(m) for m in response.context["messages"]]
    # (the home page carries the platform's name, 心育研修平台, as its title: its content belongs to the campaigns work)
    for url in [index.url, parent_course.url, lesson.url, reverse("start")]:
        visible = _visible(client.get(url).content.decode())
        for word in TEACHER_WORDS:
            assert word not in visible, (url, word)
    nav = client.get("/").content.decode().split('<nav id="site-nav"')[1].split("</nav>")[0]
    assert "教师研修" not in nav and "我的研修" not in nav


def test_teachers_still_see_hours_on_the_same_kind_of_pages(client, teacher, course):
    client.force_login(teacher.user)
    html = client.get(course.get_parent().url).content.decode()
    assert 'name="hours"' in html and "学时" in _visible(html)
    services.enrol(teacher.user, course)
    assert "学时" in _visible(client.get(course.url).content.decode())
