"""Translations people noticed: Chinese block names and "Root" in the admin, 姓名 for people,
Chinese punctuation in Chinese only, English pages without Chinese fragments."""

import re

import pytest

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page

from courses import services
from courses.blocks import LessonStreamBlock
from tests.auth import login_with_mfa
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    DistrictFactory,
    LessonPageFactory,
    SchoolFactory,
    TeacherProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]")


def _visible(html: str) -> str:
    nav = html.split('<nav id="site-nav"')[1].split("</nav>")[0]
    main = html.split('<main id="main"')[1].split("</main>")[0]
    text = re.sub(r"<script.*?</script>", " ", nav + main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_the_admin_names_blocks_and_the_root_in_chinese(client):
    with translation.override("zh-hans"):
        labels = {name: str(block.label) for name, block in LessonStreamBlock().child_blocks.items()}
        root = Page.get_first_root_node().get_admin_display_title()
    assert labels["heading"] == "标题" and labels["callout"] == "提示框" and labels["video"] == "视频"
    assert labels["attachment"] == "附件" and labels["quiz"] == "测验" and labels["h5p"] == "H5P 互动练习"
    assert root == "根目录"
    with translation.override("en"):
        assert Page.get_first_root_node().get_admin_display_title() == "Root"
    login_with_mfa(client, UserFactory(username="root-user", is_superuser=True, is_staff=True))
    html = client.get(reverse("wagtailadmin_explore", args=[Page.get_first_root_node().pk])).content.decode()
    assert "根目录" in html


def test_people_are_named_by_full_name():
    with translation.override("zh-hans"):
        assert translation.gettext("Full name") == "姓名"
        assert translation.gettext("full name") == "姓名"


@pytest.fixture
def english_world(training_year):
    school = SchoolFactory(name="Lakeside Primary", district=DistrictFactory(name="East Lake", code="EL01"))
    teacher = TeacherProfileFactory(school=school, user=UserFactory(name="Lin Xin"))
    index = CourseIndexPageFactory(parent=Page.objects.get(depth=2), slug="training-en", title="Training")
    course = CoursePageFactory(parent=index, title="First steps", summary="Notice, listen, refer.")
    lesson = LessonPageFactory(parent=course, title="Lesson one", body=[("paragraph", "<p>Read this.</p>")])
    return teacher, course, lesson


def test_english_pages_have_no_chinese_fragments(client, english_world):
    teacher, course, lesson = english_world
    services.enrol(teacher.user, course)
    client.force_login(teacher.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in [course.get_parent().url, course.url, lesson.url, reverse("start"), reverse("accounts:profile")]:
        text = _visible(client.get(url).content.decode())
        assert not CJK.search(text), (url, CJK.findall(text)[:10], text[:300])


def test_chinese_pages_have_no_ascii_full_stop(client, teacher, course):
    services.enrol(teacher.user, course)
    client.force_login(teacher.user)
    for url in [course.get_parent().url, course.url, *[lesson.url for lesson in course.lessons()], reverse("start")]:
        text = _visible(client.get(url).content.decode())
        assert not re.search(r"[\u4e00-\u9fff）][.]", text), url
