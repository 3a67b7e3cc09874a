from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracking"
    verbose_name = _("Hours and delivery tracking")

    def ready(self):
        from .ledger import signal_handlers, totals  # noqa: F401
