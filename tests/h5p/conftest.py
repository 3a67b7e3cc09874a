from pathlib import Path

import pytest

from django.conf import settings

from courses.h5p import storage
from courses.models import H5PContent
from tests.courses.conftest import catalogue, home_page  # noqa: F401
from tests.factories import CoursePageFactory, EnrolmentFactory, LessonPageFactory

# shared/ sits beside the repository (main, CI's clone) or two levels up (a worktree under wt/).
_CANDIDATES = [Path(settings.BASE_DIR).parent / "shared", Path(settings.BASE_DIR).parent.parent / "shared"]
FIXTURES = next((c for c in _CANDIDATES if c.exists()), _CANDIDATES[0]) / "fixtures" / "h5p"
PACKAGES = sorted(p.name for p in FIXTURES.glob("*.h5p"))


def upload(name: str, content: H5PContent | None = None) -> H5PContent:
    path = FIXTURES / name
    with path.open("rb") as handle:
        package = storage.validate_upload(handle)
        return storage.install(package, handle, content or H5PContent(title=""))


def h5p_lesson(course, content, pass_percent=60, **kwargs):
    block = {"title": "情景练习", "content": content, "pass_percent": pass_percent}
    return LessonPageFactory(parent=course, body=[("h5p", block)], **kwargs)


@pytest.fixture
def truefalse(db):
    return upload("H5P.TrueFalse.h5p")


@pytest.fixture
def h5p_course(catalogue, truefalse, training_year):  # noqa: F811
    course = CoursePageFactory(parent=catalogue, title="互动练习课程", training_year=training_year)
    h5p_lesson(course, truefalse, title="判断题练习", slug="truefalse")
    return course


@pytest.fixture
def enrolment(h5p_course, teacher):
    return EnrolmentFactory(user=teacher.user, course=h5p_course, teacher=teacher)
