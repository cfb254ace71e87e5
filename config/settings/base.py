"""Settings shared by every environment; each reads its secrets from the environment."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from config.env import cache_from_url, env_bool, env_int, env_list, env_str
from config.sentry import start_error_reporting
from config.storage import FILE_SYSTEM, media_origins, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "courses",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: every response, a redirect or refusal included, carries the request id.
    "courses.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above sessions, CSRF and messages: it sees the cookies they add (courses/caching.py).
    "courses.caching.CacheHeadersMiddleware",
    "courses.middleware.ContentSecurityPolicyMiddleware",
    "courses.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "courses.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The Wagtail site from the cache, once CommonMiddleware has checked the host (pagetree.py).
    "courses.pagetree.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "courses.middleware.AdminRequiresTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "courses.context_processors.data_saver",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
# SQLite (development, tests) lets one connection write at a time. A transaction takes the
# write lock when it begins (IMMEDIATE), so one that has read never has to upgrade to
# writing, which SQLite refuses at once ("database is locked") whatever the timeout; and a
# writer waits up to SQLITE_TIMEOUT seconds for another (an editor's autosave) to finish.
# WAL lets readers go on while one connection writes, instead of waiting for it.
SQLITE_OPTIONS = {
    "timeout": env_int("SQLITE_TIMEOUT", 20),
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS | DATABASES["default"].get("OPTIONS", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login rate limits live in the cache, so it must be shared by every worker:
# Redis when REDIS_URL/CACHE_URL is set, otherwise the database cache table.
CACHES = {"default": cache_from_url(env_str("CACHE_URL") or env_str("REDIS_URL"))}

# --- Background work (django-tasks; docs/deployment.md "Background work") ----
# Our tasks (courses/background.py) go to the "background" backend: the database by
# default, where they wait in a table until `manage.py db_worker --backend background`
# runs them, so nothing is lost while no worker runs; TASKS_BACKEND=rq queues them in Redis
# (TASKS_REDIS_URL, else REDIS_URL) for `manage.py rqworker` (Makefile: WORKER). Wagtail's
# own housekeeping tasks (reference index, frontend cache purges, file deletion) use
# "default" and still run at once, in the request, as before.
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {"URL": env_str("TASKS_REDIS_URL") or env_str("REDIS_URL") or "redis://"}
    }
    BACKGROUND_TASKS = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
elif TASKS_BACKEND == "database":
    BACKGROUND_TASKS = {"BACKEND": "django_tasks_db.DatabaseBackend"}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be database or rq.")
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": BACKGROUND_TASKS,
}
# A task that raises is tried again after 30 s, then 60 s: three attempts in all.
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
TASK_RETRY_DELAY = timedelta(seconds=env_int("TASK_RETRY_DELAY", 30))
# A task claimed this long ago and not finished was left by a killed worker:
# `manage.py requeue_abandoned_tasks` puts it back in the queue (docs/deployment.md).
TASK_ABANDONED_AFTER_MINUTES = env_int("TASK_ABANDONED_AFTER_MINUTES", 30)
# /readyz reports the queue "behind" (without failing) once a task has waited this long.
TASK_BACKLOG_WARN_SECONDS = env_int("TASK_BACKLOG_WARN_SECONDS", 600)

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, with its error in every language we serve (courses/passwords.py).
    {"NAME": "courses.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("zh-hans", "中文（简体）"),
    ("pt", "Português"),
    ("vi", "Tiếng Việt"),
]
# Two fictional jurisdictions for the demo's country notes (docs/countries.md), under the
# ISO 3166 codes reserved for private use, so no real State's law is ever invented.
COUNTRIES_OVERRIDE = {
    "XA": gettext_lazy("Demonstria (fictional, for demonstration)"),
    "XB": gettext_lazy("Exemplaria (fictional, for demonstration)"),
}
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static and media ------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Uploads, certificate PDFs and handouts: MEDIA_ROOT, or a private S3-compatible bucket when
# S3_BUCKET is set (config/storage.py; docs/deployment.md, "File storage").
STORAGES = {
    "default": (
        s3_storage(
            env_str("S3_BUCKET"),
            endpoint_url=env_str("S3_ENDPOINT_URL"),
            region=env_str("S3_REGION"),
            url_expire=env_int("S3_URL_EXPIRE", 3600),
            addressing_style=env_str("S3_ADDRESSING_STYLE"),
        )
        if env_str("S3_BUCKET")
        else FILE_SYSTEM
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail ---------------------------------------------------------------
WAGTAIL_SITE_NAME = "Evidence Academy"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
# Passwords are handled by allauth only, so its rate limits and re-authentication apply.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# The database backend (SQLite FTS5; PostgreSQL full text with one configuration per
# language, courses/search_backend.py). Chinese needs none: it is indexed as character pairs
# (courses/search.py). Changing a configuration: `manage.py update_index` (docs/search.md).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "courses.search_backend",
        "LANGUAGE_CONFIGS": {
            "en": "english",
            "fr": "french",
            "es": "spanish",
            "ar": "arabic",
            "ru": "russian",
            "zh-hans": "simple",
            "pt": "portuguese",
            "vi": "simple",
        },
    }
}

# --- Reverse-proxy cache (courses/caching.py, deploy/nginx/; docs/deployment.md) --------
# How long the proxy may serve an anonymous page without asking the app (s-maxage); 0 marks
# every page private. Publishing, moving or unpublishing a page purges it sooner when
# FRONTEND_CACHE_PURGE_URL names the proxy (e.g. http://127.0.0.1:8080): Wagtail's frontend
# cache then sends it PURGE requests (courses/purging.py says which pages).
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
WAGTAILFRONTENDCACHE = (
    {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
        }
    }
    if env_str("FRONTEND_CACHE_PURGE_URL")
    else {}
)
# courses/purging.py lists every translation's own address; Wagtail's guess (the same path
# under each language prefix) would miss translated slugs.
WAGTAILFRONTENDCACHE_LANGUAGES = []

# --- Accounts (allauth) ----------------------------------------------------
LOGIN_URL = "account_login"
# Replaced by our allauth adapter (courses/adapters.py): learners land where learning starts or
# resumes (courses/resume.py), through the profile form while it is incomplete.
LOGIN_REDIRECT_URL = "learner_profile"
ACCOUNT_ADAPTER = "courses.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "courses.forms.LoginForm",
    "signup": "courses.forms.SignupForm",
    "reset_password": "courses.forms.ResetPasswordForm",
    "reset_password_from_key": "courses.forms.ResetPasswordKeyForm",
}
# Neither sign-up nor password reset tells whether an address has an account: signing up
# with a taken address emails its owner "you already have an account", and the page answers
# as for a new one. Only verified addresses count as taken (courses/addresses.py).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Sized for a classroom behind one address (a venue's NAT, or one proxy hop we do not
# trust): thirty people signing in in the same minute, a few of them mistyping, and as many
# creating accounts in the first hour. A password-guessing run against one account stops
# after 5 failures whatever its addresses ("key" is the account); a spray across accounts
# from one address stops after 30. Addresses are counted per client behind trusted proxies
# (TRUSTED_PROXY_HOPS below).
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": "30/5m/ip,5/5m/key",
    "signup": "60/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Evidence Academy"

# Staff, superusers and holders of powers over other people's data must have TOTP set up
# before any privileged page (courses/permissions.py). Always on in production.
REQUIRE_ADMIN_MFA = env_bool("REQUIRE_ADMIN_MFA", True)
# Instructors too, when a programme asks for it.
REQUIRE_INSTRUCTOR_MFA = env_bool("REQUIRE_INSTRUCTOR_MFA", False)

# --- Email -----------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Evidence Academy <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The mail provider's bounce and complaint webhook (/mail/events): the shared secret its
# requests are signed with (HMAC-SHA256 of the body). Unset: the endpoint answers 404.
MAIL_WEBHOOK_SECRET = env_str("MAIL_WEBHOOK_SECRET")

# --- Security defaults that hold everywhere ---------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail lifts it for its own preview views
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Where rate limits see a request come from (courses/clientaddress.py): the number of
# reverse proxies we run in front of the app, each appending to X-Forwarded-For. 0 ignores
# the header; set it only when the app cannot be reached except through those proxies.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be 0 or more.")

# Content-Security-Policy (django-csp, courses/middleware.py). The site runs no inline script
# or style: scripts are files under site/static/js that read their data from data-
# attributes. Lessons frame only the two video players courses/video.py produces and may play
# video files from any HTTPS host. CSP_REPORT_ONLY=1 sends the policy as report-only (to try a
# change on a live site); CSP_REPORT_URI says where browsers send what it would block.
VIDEO_PLAYER_ORIGINS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
SITE_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, *media_origins(STORAGES["default"])],
    "font-src": [SELF],
    "connect-src": [SELF],
    "media-src": [SELF, "https:"],
    "frame-src": VIDEO_PLAYER_ORIGINS,
    "worker-src": [SELF],
    "manifest-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "report-uri": env_list("CSP_REPORT_URI") or None,
}
# Wagtail's admin (staff with TOTP only) still has inline scripts and style attributes, data:
# and blob: images and fonts, previews of the site in a frame, and its release check.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": SITE_CSP_DIRECTIVES
    | {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, "https://releases.wagtail.org"],
        "frame-src": [SELF, *VIDEO_PLAYER_ORIGINS],
        "worker-src": [SELF, "blob:"],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
    }
}
CSP_MODE_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
CONTENT_SECURITY_POLICY = None if CSP_MODE_REPORT_ONLY else {"DIRECTIVES": SITE_CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY_REPORT_ONLY = (
    {"DIRECTIVES": SITE_CSP_DIRECTIVES} if CSP_MODE_REPORT_ONLY else None
)
# Admin avatars from our own files: Gravatar would be the one outside image source, and it
# would learn which staff use the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Powerful browser features nothing here uses, switched off for every page and every frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# --- Certificates ----------------------------------------------------------
# The Ed25519 key that signs credentials: CERTIFICATE_SIGNING_KEY (PEM or a Multikey secret
# "z3u2…"), else the PEM file at CERTIFICATE_KEY_FILE. `manage.py generate_signing_key`
# writes one; development creates it on first use. Keys retired by a rotation stay listed
# in the DID document (CERTIFICATE_OLD_PUBLIC_KEYS, Multikeys "z6Mk…", comma-separated) so
# certificates they signed still verify.
CERTIFICATE_SIGNING_KEY = env_str("CERTIFICATE_SIGNING_KEY")
CERTIFICATE_KEY_FILE = env_str("CERTIFICATE_KEY_FILE", str(BASE_DIR / ".certificate-key.pem"))
CERTIFICATE_CREATE_KEY = False
CERTIFICATE_OLD_PUBLIC_KEYS = env_list("CERTIFICATE_OLD_PUBLIC_KEYS")
# Verification lookups per client IP per minute.
VERIFY_RATE_LIMIT = env_int("VERIFY_RATE_LIMIT", 30)
# How long a signed revocation list stays valid (its validUntil and ttl). An offline verifier
# holding an older copy gets "status unknown", so this is the longest a revocation can stay
# unseen by a careful verifier; it is also how long a copy taken away serves offline. 24 h
# matches the spec's daily-refresh practice and a verifier's working day; the site re-signs
# the list after a quarter of it (courses/certificates.py), so every copy served has at least
# 18 h left. STATUS_LIST_VALIDITY_HOURS in the environment; a whole number of hours, ≥ 1.
STATUS_LIST_VALIDITY = timedelta(hours=env_int("STATUS_LIST_VALIDITY_HOURS", 24))

# --- Programme reports -----------------------------------------------------------------
# Disaggregated counts from 1 to this − 1 are shown and exported as "<N".
REPORT_SMALL_CELL = env_int("REPORT_SMALL_CELL", 5)
# A filtered report covering fewer people than this shows only that fact (docs/reports.md).
REPORT_MIN_GROUP = env_int("REPORT_MIN_GROUP", 10)
# From this many enrolments on, the report of the whole programme reads figures stored by a
# background refresh (courses/programme/summary.py), renewed after every completion,
# certificate and revocation and when older than REPORT_SUMMARY_MAX_AGE_MINUTES when viewed;
# docs/reports.md, "Speed at a national scale".
REPORT_SUMMARY_FROM = env_int("REPORT_SUMMARY_FROM", 20000)
REPORT_SUMMARY_MAX_AGE = timedelta(minutes=env_int("REPORT_SUMMARY_MAX_AGE_MINUTES", 60))
# PostgreSQL's work_mem for the report's grouped query (its hash tables stay in memory).
REPORT_WORK_MEM = env_str("REPORT_WORK_MEM", "64MB")
# From this many enrolments on, report exports are prepared by a background task
# (courses/downloads.py) instead of in the request; docs/reports.md.
REPORT_EXPORT_IN_BACKGROUND_FROM = env_int("REPORT_EXPORT_IN_BACKGROUND_FROM", 20000)
# Prepared files (room certificate ZIPs, large exports) are removed this long after they were
# asked for, by `manage.py prune_prepared_files` (docs/deployment.md, scheduled jobs).
PREPARED_FILES_KEEP_HOURS = env_int("PREPARED_FILES_KEEP_HOURS", 48)

# --- Logs and error reporting (courses/logs.py; docs/deployment.md "Health and logs") ----
# Readable lines on stderr, each with its request id; production prints JSON instead.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "courses.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "courses.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",  # stderr
            "filters": ["request_id"],
            "formatter": "text",
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"courses": {"level": LOG_LEVEL}},
}
# Sentry when SENTRY_DSN is set; otherwise nothing is imported (config/sentry.py).
SENTRY_ENABLED = start_error_reporting()

# --- Follow-up surveys and reminders (courses/followup.py, courses/reminders.py) ----------
# A follow-up survey goes out this many days after a course is completed (a survey in the
# admin may set its own); its link works for FOLLOWUP_LINK_DAYS from when it was sent.
FOLLOWUP_DAYS = env_int("FOLLOWUP_DAYS", 90)
FOLLOWUP_LINK_DAYS = env_int("FOLLOWUP_LINK_DAYS", 60)
# A learner who has not touched a course they started for this many days gets one reminder.
REMINDER_INACTIVE_DAYS = env_int("REMINDER_INACTIVE_DAYS", 14)
# ...unless the course was left more than this many days before that (long abandoned).
REMINDER_INACTIVE_WINDOW_DAYS = env_int("REMINDER_INACTIVE_WINDOW_DAYS", 60)
# Workshop participants are reminded this many days before a session (its date where the
# workshop is).
REMINDER_SESSION_DAYS_BEFORE = env_int("REMINDER_SESSION_DAYS_BEFORE", 1)
# At most one reminder or follow-up email per learner in this many days.
NUDGE_INTERVAL_DAYS = env_int("NUDGE_INTERVAL_DAYS", 7)
