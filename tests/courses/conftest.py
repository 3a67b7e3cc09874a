import pytest

from wagtail.models import Site

from tests.factories import CourseIndexPageFactory, CoursePageFactory, LessonPageFactory, QuizFactory


def home_page():
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def catalogue(db):
    return CourseIndexPageFactory(parent=home_page(), slug="training", title="教师研修")


@pytest.fixture
def quiz(db):
    return QuizFactory(title="专项培训测验")


@pytest.fixture
def course(catalogue, quiz, training_year):
    """A two-lesson course for 'other' teachers: a reading lesson, then a quiz lesson."""
    course = CoursePageFactory(parent=catalogue, title="识别学生心理困扰的第一步", training_year=training_year)
    LessonPageFactory(parent=course, title="阅读：教师的角色", slug="reading")
    LessonPageFactory(
        parent=course, title="小测验", slug="quiz", body=[("quiz", {"quiz": quiz, "introduction": "及格即完成"})]
    )
    return course


def lessons(course):
    return list(course.lessons())


def correct_answers(quiz) -> dict:
    return {f"q{q.pk}": [str(i) for i in sorted(q.correct_set())] for q in quiz.questions.all()}


def wrong_answers(quiz) -> dict:
    data = {}
    for q in quiz.questions.all():
        wrong = [i for i, _text in q.choices() if i not in q.correct_set()]
        data[f"q{q.pk}"] = [str(wrong[0])]
    return data
