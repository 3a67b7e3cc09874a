from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resources"
    verbose_name = _("Resource library")

    def ready(self):
        from search import registry

        from . import services, signal_handlers  # noqa: F401 - connects the index updates
        from .models import H5P_PLAYABLE, PAGE_CONTEXT, ResourceIndexPage, ResourcePage

        # The search app imports no app: the library describes its pages and facets to it.
        registry.register_source(services.SEARCH_SOURCE)
        for facet in services.SEARCH_FACETS:
            registry.register_facet(facet)
        # The pages ask the services for the viewer's context without importing them.
        PAGE_CONTEXT[ResourceIndexPage] = services.index_context
        PAGE_CONTEXT[ResourcePage] = services.resource_context
        H5P_PLAYABLE[ResourcePage] = services.can_play_h5p
