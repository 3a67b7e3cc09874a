from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from . import signal_handlers  # noqa: F401 (the home page cache listens to publishing)
