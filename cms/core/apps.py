from PIL import Image

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django's form label suffix. Django's own zh_Hans catalogue leaves it an ASCII colon ("类型:");
# listing the msgid here puts it in our catalogue (LOCALE_PATHS wins), translated as "：".
LABEL_SUFFIX = gettext_noop(":")


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self):
        from accounts import audit
        from courses import services as course_services

        from . import cache_signals, root_title, slugs
        from .models import organiser

        # Any image opened anywhere (renditions, certificates) refuses a decompression bomb
        # (Pillow raises above twice this figure); uploads are checked against the figure itself.
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
        slugs.install()
        cache_signals.connect()
        root_title.install()
        course_services.set_certificate_issuer_lookup(organiser)
        audit.register_actions(
            {
                "privacy.deletion_requested": _("Personal data deletion requested"),
                "privacy.forget": _("Personal data deleted"),
            }
        )
