"""Production settings: refuse to start half-configured, and pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import pytest

from config.env import cache_from_url, env_bool, env_list

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "academy.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    # The W3C test vectors' key: public, for tests only.
    "CERTIFICATE_SIGNING_KEY": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
    "CERTIFICATE_KEY_FILE": "/nonexistent/certificate-key.pem",
}


def manage(*args, **env):
    # Only what production would see: nothing from the test run (e.g. Playwright's async flag).
    inherited = {"PATH", "HOME", "LANG", "VIRTUAL_ENV", "PYTHONPATH"}
    environment = {k: v for k, v in os.environ.items() if k in inherited} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_pass_without_a_single_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_checks_require_a_certificate_signing_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CERTIFICATE_SIGNING_KEY"}
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "courses.E001" in result.stderr and "No key to sign certificates" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set {missing} in the environment" in result.stderr


def test_production_cannot_switch_admin_two_factor_off():
    code = "from django.conf import settings; print(settings.REQUIRE_ADMIN_MFA)"
    result = manage("shell", "-c", code, REQUIRE_ADMIN_MFA="0", **PRODUCTION_ENV)
    assert result.stdout.strip().endswith("True"), result.stderr


def test_a_proxy_header_is_trusted_only_when_asked():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    plain = manage("shell", "-c", code, **PRODUCTION_ENV)
    behind_proxy = manage("shell", "-c", code, TRUST_X_FORWARDED_PROTO="1", **PRODUCTION_ENV)
    assert plain.stdout.strip().endswith("None")
    assert "HTTP_X_FORWARDED_PROTO" in behind_proxy.stdout


class TestEnvironmentReading:
    def test_yes_no_words(self, monkeypatch):
        monkeypatch.setenv("FLAG", "off")
        assert env_bool("FLAG", True) is False
        monkeypatch.setenv("FLAG", "Yes")
        assert env_bool("FLAG", False) is True

    def test_a_mistyped_flag_is_an_error_not_a_silent_default(self, monkeypatch):
        monkeypatch.setenv("FLAG", "maybe")
        with pytest.raises(ImproperlyConfigured):
            env_bool("FLAG", True)

    def test_lists_drop_blanks(self, monkeypatch):
        monkeypatch.setenv("HOSTS", " a.example , ,b.example")
        assert env_list("HOSTS") == ["a.example", "b.example"]

    def test_cache_urls(self):
        assert cache_from_url("redis://127.0.0.1:6379/1")["BACKEND"].endswith("RedisCache")
        assert cache_from_url("")["BACKEND"].endswith("DatabaseCache")
        with pytest.raises(ImproperlyConfigured):
            cache_from_url("memcached://x")
