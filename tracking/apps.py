from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracking"
    verbose_name = _("Hours and delivery tracking")

    def ready(self):
        from accounts import audit

        from .delivery import figures_cache  # noqa: F401 (signal receivers)
        from .delivery import services as delivery_services
        from .delivery import totals as delivery_totals  # noqa: F401 (signal receivers)
        from .ledger import signal_handlers, totals, workflows  # noqa: F401 (signal receivers)
        from .reports import exports
        from .reports import signal_handlers as reports_signal_handlers  # noqa: F401 (reminders on login)

        audit.register_actions(workflows.AUDIT_ACTIONS)
        audit.register_actions(delivery_services.AUDIT_ACTIONS)
        audit.register_actions(exports.AUDIT_ACTIONS)
