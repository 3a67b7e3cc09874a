import datetime
from decimal import Decimal

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from courses.models import Certificate, CourseIndexPage, CoursePage, Enrolment, LessonPage, Quiz, QuizQuestion

from .accounts import TrainingYearFactory, UserFactory

DEFAULT_QUESTIONS = [
    ("24小时心理援助热线是哪个号码？", "single", "*12355\n12345\n10086"),
    ("以下哪些是心理危机的预警信号？", "multiple", "*情绪持续低落\n*谈论死亡\n按时完成作业"),
]


class QuizFactory(DjangoModelFactory):
    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"课程测验{n}")
    pass_mark = 60
    max_attempts = 3

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if not create:
            return
        for order, (text, kind, options) in enumerate(extracted if extracted is not None else DEFAULT_QUESTIONS):
            QuizQuestion.objects.create(quiz=obj, sort_order=order, text=text, kind=kind, options=options)


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "教师研修"
    slug = factory.Sequence(lambda n: f"training-{n}")
    audience = "all"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"心理健康教育专项培训{n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "识别学生心理困扰的第一步。"
    teacher_categories = factory.LazyFunction(lambda: ["other"])
    credit_hours = Decimal("2.0")
    training_year = factory.SubFactory(TrainingYearFactory)
    # No study-time requirement unless a test asks for one (the model's default derives it from the hours).
    minimum_minutes = 0


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"第{n}讲")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    body = factory.LazyFunction(lambda: [("paragraph", "<p>学生常见心理困扰与教师的角色。</p>")])


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CoursePageFactory)


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    enrolment = factory.SubFactory(EnrolmentFactory)
    learner_name = "林心怡"
    course_title = "心理危机识别与干预"
    hours = Decimal("2.0")
    completed_on = datetime.date(2026, 5, 20)
