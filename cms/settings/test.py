"""Test settings: fast hashing, locmem cache and mail, plain static storage.

DATABASE_URL selects PostgreSQL (as CI does); otherwise SQLite. Celery runs eagerly
unless a test starts a real worker on purpose (tests/test_celery_worker.py).
"""

from .base import *  # noqa: F401,F403

SECRET_KEY = "test-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = True
TRAINING_REMINDERS_ON_LOGIN = False  # a test that wants them turns them on
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"  # noqa: F405
ACCOUNT_RATE_LIMITS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WHITENOISE_AUTOREFRESH = True  # no collected static root in tests
WHITENOISE_USE_FINDERS = True
