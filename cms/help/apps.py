from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms.help"
    label = "help"
    verbose_name = _("Where to get help")
