"""Settings for Abrzad, read from the environment with safe development defaults.

Every variable is listed in .env.example and documented in docs/operations.md.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from lms import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.get_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.get_bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.get_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
else:
    SECRET_KEY = env.require_str("SECRET_KEY")

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms.accounts",
    "lms.partners",
    "lms.competencies",
    "lms.notifications",
    "lms.portal",
    "courses",
    "certifications",
    "community",
    "playbooks",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "lms.csp.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lms.i18n.ReaderTimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lms.uploads.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.pages.CachedSiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env.get_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'abrzad.sqlite3'}"),
        conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: readers never wait for a writer, and a commit needs no full
    # sync of the file (a power cut may lose the last commits, never corrupt the file).
    SQLITE_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = SQLITE_PRAGMAS
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's PostgreSQL search index uses its full-text fields and indexes.
    INSTALLED_APPS.append("django.contrib.postgres")

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["lms.accounts.backends.PartnerAwareBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:learn"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_VALID_DAYS = env.get_int("INVITATION_VALID_DAYS", 14)
LOGIN_RATE_LIMIT = {
    "per_ip": env.get_int("LOGIN_LIMIT_PER_IP", 20),
    "per_account": env.get_int("LOGIN_LIMIT_PER_ACCOUNT", 5),
    "window_seconds": env.get_int("LOGIN_LIMIT_WINDOW_SECONDS", 15 * 60),
}
PASSWORD_RESET_RATE_LIMIT = {"per_ip": 20, "per_account": 3, "window_seconds": 60 * 60}
# Public credential verification (page and certificate): lookups per client address in
# ten minutes, found or not, so verification codes cannot be enumerated or PDFs farmed.
VERIFY_RATE_LIMIT = {"per_ip": env.get_int("VERIFY_LIMIT_PER_IP", 60), "window_seconds": 10 * 60}
# Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted.
TRUSTED_PROXY_COUNT = env.get_int("TRUSTED_PROXY_COUNT", 0)

# Languages: English unprefixed, Persian under /fa/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.get_str("TIME_ZONE", "UTC")  # how times are shown in English; stored values are UTC
PERSIAN_TIME_ZONE = env.get_str("PERSIAN_TIME_ZONE", "Asia/Tehran")

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = "Abrzad"
# Private pages send people to the portal's own sign-in page.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # one password reset: the portal's
BASE_URL = env.get_str("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # avatars would load from an outside host
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "mp4", "odt", "pdf", "pptx", "rtf", "txt", "vtt", "webm", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.get_int("MAX_DOCUMENT_UPLOAD_BYTES", 50 * 1024 * 1024)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.get_int("MAX_IMAGE_UPLOAD_BYTES", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000  # also Pillow's MAX_IMAGE_PIXELS (lms.portal.apps)
# Raster formats only: SVG can carry script. Every upload is checked by its content (lms/media_forms.py).
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "lms.media_forms.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "lms.media_forms.CheckedDocumentForm"
# Zips (and docx, pptx, xlsx, odt, key) are judged from their central directory, never unpacked.
MAX_ZIP_UNPACKED_BYTES = env.get_int("MAX_ZIP_UNPACKED_BYTES", 1024 * 1024 * 1024)
MAX_ZIP_COMPRESSION_RATIO = env.get_int("MAX_ZIP_COMPRESSION_RATIO", 100)
MAX_ZIP_MEMBERS = env.get_int("MAX_ZIP_MEMBERS", 10_000)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Whole request bodies, refused from their announced length before anything reads them.
MAX_PORTAL_REQUEST_BYTES = env.get_int("MAX_PORTAL_REQUEST_BYTES", 1024 * 1024)
# Evidence for a tier's manual gate (an audit report) is the one larger upload outside the admin.
MAX_EVIDENCE_UPLOAD_BYTES = env.get_int("MAX_EVIDENCE_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_ADMIN_REQUEST_BYTES = env.get_int(
    "MAX_ADMIN_REQUEST_BYTES", max(WAGTAILDOCS_MAX_UPLOAD_SIZE, WAGTAILIMAGES_MAX_UPLOAD_SIZE) + 1024 * 1024
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The first handler stops an upload once one file passes its limit, whatever Content-Length said.
FILE_UPLOAD_HANDLERS = [
    "lms.uploads.FileSizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Search: the database backend, or Elasticsearch when ELASTICSEARCH_URL is set.
ELASTICSEARCH_URL = env.get_str("ELASTICSEARCH_URL")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": env.get_str("ELASTICSEARCH_INDEX_PREFIX", "abrzad_"),
            "TIMEOUT": 10,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Background tasks: inline by default; a database-backed worker when TASKS_BACKEND=database.
TASKS_BACKEND = env.get_str("TASKS_BACKEND", "immediate")
TASK_BACKEND_CLASSES = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
if TASKS_BACKEND not in TASK_BACKEND_CLASSES:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(TASK_BACKEND_CLASSES)}, got {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKEND_CLASSES[TASKS_BACKEND]}}

# Cache: local memory, or Redis when REDIS_URL is set.
REDIS_URL = env.get_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "abrzad"}}
# The public verification page is kept whole for signed-out visitors. By default only with
# a shared cache (Redis), which the changes of every process reach.
VERIFY_PAGE_CACHE = env.get_bool("VERIFY_PAGE_CACHE", default=bool(REDIS_URL))
VERIFY_PAGE_CACHE_SECONDS = env.get_int("VERIFY_PAGE_CACHE_SECONDS", 6 * 60 * 60)
VERIFY_PAGE_CACHE_VERSION = env.get_str("VERIFY_PAGE_CACHE_VERSION")

# Files
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/vazirmatn", BASE_DIR / "node_modules" / "vazirmatn" / "fonts" / "webfonts"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files only a view that checks access may hand out (tier-gate evidence): never under MEDIA_ROOT.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.get_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")), "base_url": None},
    },
    # Image renditions: the default storage's folder, with a random part in each name.
    "renditions": {"BACKEND": "lms.media_storage.UnguessableNameStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
WHITENOISE_USE_FINDERS = DEBUG

# Email: console by default; EMAIL_URL=smtp://user:pass@host:587/?tls=1 in production.
MAILERS = {"default": env.mailer_from_url(env.get_str("EMAIL_URL", "console://"))}
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "Abrzad <no-reply@abrzad.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. Production (DEBUG off) is strict by default.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Legacy browsers get DENY; modern ones follow CSP frame-ancestors (self), which the
# Wagtail admin needs for its preview panel.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.get_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.get_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.get_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything comes from our own host: no CDN, no outside fonts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "lms.log_filters.RedactInvitationTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers for these would bypass the redaction above.
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Inline task runs and page-change logs are noise on the console.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
