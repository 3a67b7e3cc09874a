from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "evaluation.rounds"
    label = "evaluation_rounds"
    verbose_name = _("Evaluation rounds, facilities and district duties")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import audit

        from . import providers
        from .audit_labels import ACTIONS

        audit.register_actions(ACTIONS)
        providers.register()
