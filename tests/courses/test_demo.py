"""The demo loader: course catalogues replace the placeholder sections; a second run changes nothing."""

import pytest

from wagtail.models import Page, Site

from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage, QuizAttempt
from tracking.models import LedgerEntry

pytestmark = pytest.mark.django_db


def load_demo():
    import accounts.demo
    import cms.home.demo
    import courses.demo
    import tracking.ledger.demo

    for loader in (accounts.demo.load, tracking.ledger.demo.load, cms.home.demo.load, courses.demo.load):
        loader()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Page, CoursePage, LessonPage, Enrolment, QuizAttempt, LedgerEntry)
    }


def test_demo_courses_load_idempotently():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first

    home = Site.objects.get(is_default_site=True).root_page
    sections = {p.slug: p.specific for p in Page.objects.child_of(home)}
    assert isinstance(sections["training"], CourseIndexPage) and sections["training"].live
    assert sections["training"].title == "教师研修"
    assert isinstance(sections["parents"], CourseIndexPage)
    assert CoursePage.objects.child_of(sections["training"]).count() >= 3
    for course in CoursePage.objects.all():
        lesson_list = list(course.lessons())
        assert lesson_list and any(lesson.quiz_ids() for lesson in lesson_list)

    t_psy = Enrolment.objects.filter(user__username="t_psy", completed_at__isnull=True).get()
    assert 0 < t_psy.progress_percent < 100
    assert not Enrolment.objects.filter(user__username="t_other").exists()  # free for the browser test
    assert LedgerEntry.objects.filter(teacher__user__username="t_psy", source="online").count() == 1


def test_demo_badges_agree_with_the_summaries_and_lessons_show_what_the_platform_is_for():
    load_demo()
    for course in CoursePage.objects.all():
        if "必修" in course.summary:
            assert course.compulsory, course.title  # the 必修 badge, like the summary says
        if "选修" in course.summary:
            assert not course.compulsory, course.title
    lesson = LessonPage.objects.get(title="学生常见心理困扰与教师的角色")
    kinds = [block.block_type for block in lesson.body]
    assert {"paragraph", "image", "video", "attachment"} <= set(kinds)
    video = next(block.value for block in lesson.body if block.block_type == "video")
    assert video["video"].file.size < 100_000 and video["video"].file_extension == "mp4"
