from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("People and organisations")

    def ready(self):
        from . import audit, mfa, roles, signal_handlers  # noqa: F401 (signal receivers)

        audit.register_actions(roles.AUDIT_ACTIONS)
        audit.register_actions(
            {"parents.join_code": _("join code created"), "parents.join_code_revoke": _("join code revoked")}
        )
