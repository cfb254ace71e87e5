"""Local development: SQLite, emails printed to the console."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = True
# A fixed key is fine for a machine that only serves 127.0.0.1; production reads its own.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-key-not-for-production-" + "x" * 20)  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"] + ALLOWED_HOSTS  # noqa: F405
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# A signing key of its own for this checkout, created on first use (git-ignored).
CERTIFICATE_CREATE_KEY = True
