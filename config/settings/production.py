"""Production: everything secret or site-specific comes from the environment."""

import logging

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int

from .base import *  # noqa: F403

DEBUG = False

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS in the environment (comma-separated).")

# Two-factor for staff and every privileged power cannot be switched off here.
REQUIRE_ADMIN_MFA = True

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto, say so with
# TRUST_X_FORWARDED_PROTO=1; the app then sees such requests as secure.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preload commits the whole domain to HTTPS for browsers; set 0 if that cannot hold.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STATIC_ROOT = BASE_DIR / "static_collected"  # noqa: F405  (filled by collectstatic)
STORAGES = {
    **STORAGES,  # noqa: F405  (the file system, or S3 from S3_BUCKET: config/storage.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One JSON object per line on stderr, for the log collector (courses/logs.py); Python's
# warnings become log records too, instead of lines of their own.
logging.captureWarnings(True)
LOGGING = {  # noqa: F405
    **LOGGING,  # noqa: F405
    "handlers": {"console": LOGGING["handlers"]["console"] | {"formatter": "json"}},  # noqa: F405
}

# Load balancers probe over plain HTTP on the private network: no redirect to https there.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
