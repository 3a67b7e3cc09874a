"""Local development: the demo run (`make run`). SQLite under var/, eager tasks."""

import contextlib

from .base import *  # noqa: F401,F403
from .base import env_bool

# The demo run shows the designed 404 / 500 pages; DEBUG=true brings Django's debug pages back.
DEBUG = env_bool("DEBUG", False)
# Without DEBUG, runserver serves no static or media files: WhiteNoise serves static files from the
# source folders (no collectstatic), and cms/urls.py serves media when SERVE_MEDIA is on.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

with contextlib.suppress(ImportError):
    from .local import *  # noqa: F401,F403
