from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms.help"
    label = "help"
    verbose_name = _("Where to get help")

    def ready(self) -> None:
        # The district duties page (evaluation.rounds, a lower layer) reads the stations through
        # a source registered here: the directory stays the one record of each station.
        from evaluation.rounds.duties import register_station_source

        from .models import district_stations

        register_station_source(district_stations)
