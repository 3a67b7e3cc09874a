from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = _("Training courses")

    def ready(self):
        from accounts import audit
        from search import registry

        from . import search, services
        from .h5p import sessions  # noqa: F401 - a sign-out forgets the statement endpoint's check
        from .models import CoursePage, LessonPage
        from .models.pages import LEARNER_CONTEXT

        # The pages ask the services for the learner's view without importing them (see pages.py).
        LEARNER_CONTEXT[CoursePage] = services.course_context
        LEARNER_CONTEXT[LessonPage] = services.lesson_context
        audit.register_actions(services.AUDIT_ACTIONS)
        # Courses appear on the one search page beside the library (search imports no app).
        registry.register_source(search.SEARCH_SOURCE)
