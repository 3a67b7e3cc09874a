from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation and supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import audit

        from . import views

        audit.register_actions(views.AUDIT_ACTIONS)
