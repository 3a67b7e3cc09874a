from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms.campaigns"
    label = "campaigns"
    verbose_name = _("Publicity campaigns")

    def ready(self):
        from accounts import audit
        from search import registry

        from . import search, services

        audit.register_actions(services.AUDIT_ACTIONS)
        # Campaigns appear on the one search page beside resources and courses (search imports no app).
        registry.register_source(search.SEARCH_SOURCE)
