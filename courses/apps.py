from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = _("Training courses")

    def ready(self):
        from accounts import audit

        from . import services

        audit.register_actions(services.AUDIT_ACTIONS)
