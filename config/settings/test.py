"""Fast, isolated settings for the test suite (bakerydemo's habit)."""

from config.env import env_str

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-" + "x" * 40  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "media" / "test"  # noqa: F405
if not env_str("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "OPTIONS": SQLITE_OPTIONS,  # noqa: F405
        }
    }
REQUIRE_ADMIN_MFA = True
# The public key pair of the W3C eddsa-rdfc-2022 test vectors: for tests only, never secret.
CERTIFICATE_SIGNING_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"  # noqa: S105
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
# The site's policy, enforced, so the browser tests run pages under it; with eval allowed only
# because Playwright's wait_for_function compiles its predicate with eval inside the page.
# Inline script and style stay forbidden. (Production allows no eval: tests/test_settings.py.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": SITE_CSP_DIRECTIVES  # noqa: F405
    | {"script-src": [*SITE_CSP_DIRECTIVES["script-src"], "'unsafe-eval'"]}  # noqa: F405
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
