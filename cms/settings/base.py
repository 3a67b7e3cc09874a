"""Base settings: production-safe defaults, everything that varies read from the environment.

`dev.py`, `test.py` and `production.py` are short overrides of this module.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("XINYU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # first party
    "cms.core",
    "cms.home",
    "cms.help",
    "cms.campaigns",
    "accounts",
    "courses",
    "resources",
    "tracking",
    "evaluation",
    "evaluation.rounds",
    "search",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.wagtail_users.XinyuUsersAppConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    # The H5P player's statement POSTs: the chain below minus what does nothing for them (decision 0035).
    "courses.h5p.middleware.StatementPathMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.core.csp.PathAwareCSPMiddleware",  # Content-Security-Policy, with the admin's exceptions
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.core.middleware.PreferredLanguageMiddleware",
    "cms.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cms.middleware.ReadAheadMiddleware",  # page GETs: cache keys read in fewer round trips
    "accounts.mfa.MfaRequiredMiddleware",  # coordinators, editors, superusers: second factor first
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# Database: DATABASE_URL, else the embedded SQLite file under var/.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xinyu.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiles the report aggregates for longer than they run (the class delivery
# report measured 5.2 s with JIT and 1.3 s without on the generated city; other reports were unaffected),
# so app connections turn it off unless POSTGRES_JIT=true. See docs/benchmarks-reports.md.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env_bool("POSTGRES_JIT", False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (_options.get("options", "") + " -c jit=off").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache and (by default) Celery broker. Unset: locmem cache and eager tasks.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Shared by the workers (allauth's rate limits live here); answers from process memory while
            # Redis is down, so pages keep serving (cms/core/cache.py, docs/decisions/ on the fallback).
            "BACKEND": "cms.core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "xinyu",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery (namespace CELERY_ in cms/celery.py)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "1800"))
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "1500"))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Teachers behind pace get a notice at the configured points of the year (idempotent: daily is safe).
    "tracking-pace-reminders": {"task": "tracking.send_pace_reminders", "schedule": crontab(hour=8, minute=0)},
    # Coordinators get a digest of their scope's laggards every Monday morning.
    # Export files contain personal data: removed after REPORT_EXPORT_KEEP_DAYS.
    # Safety net for the per-teacher training totals that reports read (tracking/ledger/totals.py).
    "tracking-rebuild-training-totals": {
        "task": "tracking.rebuild_training_totals",
        "schedule": crontab(hour=2, minute=30),
    },
    "tracking-purge-old-exports": {"task": "tracking.purge_old_exports", "schedule": crontab(hour=3, minute=0)},
    # Imported sign-in rows repeat the sheet (names, schools): emptied LEDGER_IMPORT_KEEP_DAYS after confirmation.
    "tracking-purge-import-rows": {"task": "tracking.purge_import_rows", "schedule": crontab(hour=3, minute=15)},
    # Wagtail's scheduled publishing (campaigns with a go-live time): without it a scheduled page never goes live.
    "cms-publish-scheduled": {"task": "cms.publish_scheduled", "schedule": crontab(minute="*/5")},
    "tracking-coordinator-digest": {
        "task": "tracking.send_coordinator_digests",
        "schedule": crontab(hour=8, minute=30, day_of_week=1),
    },
}

# Lesson pages post a study-time heartbeat this often while visible (courses.services caps each credit).
LESSON_HEARTBEAT_SECONDS = int(os.environ.get("LESSON_HEARTBEAT_SECONDS", "20"))

# Reports (tracking/reports): exports above this many rows run as a Celery task with a progress bar.
REPORT_EXPORT_ASYNC_THRESHOLD = int(os.environ.get("REPORT_EXPORT_ASYNC_THRESHOLD", "5000"))
REPORT_EXPORT_LINK_MAX_AGE = int(os.environ.get("REPORT_EXPORT_LINK_MAX_AGE", str(60 * 60)))  # seconds
REPORT_EXPORT_KEEP_DAYS = int(os.environ.get("REPORT_EXPORT_KEEP_DAYS", "2"))
# Sign-in sheet imports (tracking/ledger/importers, docs/ledger.md): limits that refuse hostile files,
# the size above which a file is read by a Celery task (progress bar) and that task's time limit,
# and how long the imported rows are kept after confirmation.
LEDGER_IMPORT_MAX_BYTES = int(os.environ.get("LEDGER_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
LEDGER_IMPORT_MAX_INFLATED_BYTES = int(os.environ.get("LEDGER_IMPORT_MAX_INFLATED_BYTES", str(50 * 1024 * 1024)))
LEDGER_IMPORT_MAX_ROWS = int(os.environ.get("LEDGER_IMPORT_MAX_ROWS", "20000"))
LEDGER_IMPORT_MAX_COLUMNS = int(os.environ.get("LEDGER_IMPORT_MAX_COLUMNS", "50"))
LEDGER_IMPORT_ASYNC_BYTES = int(os.environ.get("LEDGER_IMPORT_ASYNC_BYTES", str(512 * 1024)))
LEDGER_IMPORT_PARSE_SECONDS = int(os.environ.get("LEDGER_IMPORT_PARSE_SECONDS", "120"))
LEDGER_IMPORT_KEEP_DAYS = int(os.environ.get("LEDGER_IMPORT_KEEP_DAYS", "30"))
# generate_city_data --class-logs N: the function that writes the synthetic class delivery logs.
CITY_DATA_CLASS_LOG_HOOK = os.environ.get("CITY_DATA_CLASS_LOG_HOOK", "tracking.delivery.city_data.generate_class_logs")
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Pace reminders: (month, day, expected % of the yearly target by that day) within each training year.
TRAINING_REMINDER_POINTS = [(3, 31, 25), (6, 30, 50), (9, 30, 75), (11, 30, 100)]
TRAINING_REMINDER_EMAIL = env_bool("TRAINING_REMINDER_EMAIL", False)
# Without a broker there is no beat: the first login of the day runs the day's reminders instead.
TRAINING_REMINDERS_ON_LOGIN = env_bool("TRAINING_REMINDERS_ON_LOGIN", CELERY_TASK_ALWAYS_EAGER)
# A teacher may withdraw their own class log this many hours after saving it (then a coordinator voids it).
DELIVERY_WITHDRAW_HOURS = int(os.environ.get("DELIVERY_WITHDRAW_HOURS", "48"))

# Auth and accounts
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, reading the signed-in user with SQL compiled once (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
# The few queries every page makes, compiled once and prepared on the PostgreSQL server
# (cms/core/prepared.py); turn off behind a pooler that cannot keep prepared statements.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
# Django's database sessions, read with SQL compiled once (cms/core/sessions.py, decision 0044).
SESSION_ENGINE = "cms.core.sessions"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"  # 我的首页: each role's next steps (cms.core.views.start)
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
# Accounts are provisioned by coordinators and imports, not by open sign-up.
ACCOUNT_ALLOW_REGISTRATION = env_bool("ACCOUNT_ALLOW_REGISTRATION", False)
# Parents register themselves at /family/join/ whatever the above (docs/families.md).
JOIN_CODE_CITY_PREFIX = os.environ.get("JOIN_CODE_CITY_PREFIX", "NC")
PARENT_CONSENT_VERSION = os.environ.get("PARENT_CONSENT_VERSION", "2026-09")
# The resource library's "newest" function for the home page, `f(limit)` (docs/campaigns.md); empty: no section.
HOME_NEWEST_RESOURCES = os.environ.get("HOME_NEWEST_RESOURCES", "cms.home.resources_hook.newest")
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "signup": "20/m/ip",
}
# The rate limits above count per client address. Behind nginx every request comes from the proxy,
# so without this the whole city would share one login bucket (30/min): set it to the number of
# proxies that append to X-Forwarded-For (1 behind one nginx). bench/deadline_load.py, docs/benchmarks.md.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "心育研修平台"
MFA_ADAPTER = "accounts.adapters.MfaAdapter"
# allauth refuses 2FA to unverified addresses so that a squatter who signed up with someone else's
# address cannot lock the owner out. Here accounts are provisioned by coordinators and sign-up is
# closed, while coordinators must enrol before anything else (accounts/mfa.py): allow it.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# One login for the whole site (docs/security.md): Wagtail's admin login, its frontend login
# for private pages and its password pages all lead to allauth's, where two-factor and rate limits apply.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords change and reset through allauth only
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Content-Security-Policy (cms/core/csp.py, docs/security.md): everything from our own origin, no inline
# script or style, framed only by our own pages (Wagtail's preview). docs/decisions/0019.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # allauth draws the two-step QR code as a data: image
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Areas that need more than the policy above, by path prefix: what is added, and why. The H5P
# player's helper adds its entry here (or decorates its view with csp.decorators.csp_update).
CSP_PATH_EXCEPTIONS = {
    "/admin/": {
        "why": "Wagtail 8's admin writes inline scripts and styles and previews uploads from blob: URLs",
        "add": {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE], "img-src": ["blob:"]},
    },
}

# Internationalisation
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]  # ours first, then the Wagtail gap-filler
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
# Front-end libraries come from npm (package-lock.json), served locally: no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static_src",
    ("vendor/echarts", BASE_DIR / "node_modules/echarts/dist"),
    ("vendor/h5p-standalone", BASE_DIR / "node_modules/h5p-standalone/dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise's compressed manifest storage, each URL worked out once per process (cms/core/staticfiles.py)
    "staticfiles": {"BACKEND": "cms.core.staticfiles.StaticFilesStorage"},
}
# Upload limits (issue 9 #6). RequestSizeLimitMiddleware refuses a request whose declared body
# is larger than REQUEST_MAX_BYTES (the Wagtail admin: REQUEST_MAX_BYTES_ADMIN, for documents
# and videos) with a 413 page, before anything reads the body. Form fields other than files are
# capped at DATA_UPLOAD_MAX_MEMORY_SIZE; files above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary
# file instead of memory. The proxy in front enforces the admin figure too (README).
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_MB", "12")) * 1024 * 1024
REQUEST_MAX_BYTES_ADMIN = int(os.environ.get("REQUEST_MAX_MB_ADMIN", "200")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of non-file form data (Django's default, stated)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# Images: at most 40 million pixels (e.g. 8000 × 5000), checked from the header before decoding,
# for certificate uploads and Wagtail images alike; Pillow refuses anything twice as large anywhere.
IMAGE_MAX_PIXELS = 40_000_000
WAGTAILIMAGES_MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS

# E-mail
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "心育研修平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = "心育研修平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "txt", "zip", "mp4"]
# Every upload: size per type and content matching the name (resources/documents.py, resources/limits.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "resources.documents.SafeDocumentForm"
# Documents stream through Django (never a redirect to a public file URL); library files are
# refused there altogether and go out through the logged download view (docs/resources.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_FINDERS: list = []  # no third-party embed providers: the network is closed
# No "Wagtail upgrade available" banner (English, and it asks releases.wagtail.io from the browser).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com (unreachable in China, and it would send a hash of each e-mail abroad):
# the admin shows its local default avatar or one the user uploads.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Search: the database backend by default; Elasticsearch when ELASTICSEARCH_URL is set.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": "wagtail.search.backends.elasticsearch8",
        "URLS": [ELASTICSEARCH_URL],
        "INDEX": os.environ.get("ELASTICSEARCH_INDEX", "xinyu"),
        "TIMEOUT": 10,
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},  # wagtail's immediate reference-index tasks
        "wagtail": {"level": "WARNING"},
    },
}
