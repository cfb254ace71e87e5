"""Production settings: refuse to start half-configured, pass Django's deploy checks and send
the security headers; pages that need no inline script or style to work."""

import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

import pytest

from config.env import cache_from_url, env_bool, env_list
from tests import factories

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "academy.example.org",
    "SITE_URL": "https://academy.example.org",
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


def test_deploy_checks_refuse_a_site_url_nobody_else_can_reach():
    env = PRODUCTION_ENV | {"SITE_URL": "http://127.0.0.1:8000"}
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "courses.E002" in result.stderr and "SITE_URL" in result.stderr


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


# Run inside `manage.py shell` under the production settings: the headers of a few responses.
# Only the static files storage is swapped, because collectstatic has not filled the manifest.
PRODUCTION_CLIENT = """
import json
from django.test import Client, override_settings
plain = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
client = Client(HTTP_HOST="academy.example.org")
"""
# Site pages read the site's settings (header, footer), so the production process is given a
# database with every table: this run's test database (migrated once for the whole run).
HEADERS_OF = (
    PRODUCTION_CLIENT
    + """
with override_settings(STORAGES=plain):
    print(json.dumps({path: dict(client.get(path, secure=True).headers) for path in PATHS}))
"""
)
SITE_PAGE = "/en/accounts/login/"
ADMIN_PAGE = "/admin/"


@pytest.fixture(scope="module")
def migrated_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A DATABASE_URL for the production process: the test database's tables, no rows. SQLite's
    in-memory one is copied to a file; PostgreSQL's is named (its rows live in transactions
    that the other process never sees)."""
    with django_db_blocker.unblock():
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            path = tmp_path_factory.mktemp("production") / "db.sqlite3"
            copy = sqlite3.connect(path)
            connection.connection.backup(copy)
            copy.close()
            return f"sqlite:///{path}"
        database = connection.settings_dict
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        return (
            f"postgres://{database['USER']}{password}@{database['HOST'] or 'localhost'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )


def production_headers(database_url, *paths, **env):
    code = f"PATHS = {list(paths)!r}\n{HEADERS_OF}"
    tables = {
        "DATABASE_URL": database_url,
        "CACHE_URL": "locmem://",
    }  # the test run's have no cache table
    result = manage("shell", "-c", code, **PRODUCTION_ENV | tables | env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def directives(policy):
    """A policy header as {directive: set of sources}."""
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: set(sources) for name, *sources in parts}


@pytest.fixture(scope="module")
def served(migrated_database):
    return production_headers(migrated_database, SITE_PAGE, ADMIN_PAGE)


class TestProductionHeaders:
    def test_the_site_forbids_inline_script_and_style_and_foreign_code(self, served):
        policy = directives(served[SITE_PAGE]["Content-Security-Policy"])
        assert policy["script-src"] == {"'self'"}
        assert policy["style-src"] == {"'self'"}
        assert policy["default-src"] == {"'self'"}
        assert policy["object-src"] == policy["base-uri"] == {"'none'"}
        assert policy["frame-ancestors"] == {"'none'"}
        assert policy["form-action"] == {"'self'"}
        assert policy["frame-src"] == {
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        }
        assert "unsafe" not in served[SITE_PAGE]["Content-Security-Policy"]

    def test_wagtails_admin_gets_its_own_laxer_policy(self, served):
        policy = directives(served[ADMIN_PAGE]["Content-Security-Policy"])
        assert policy["script-src"] == {"'self'", "'unsafe-inline'"}
        assert policy["object-src"] == {"'none'"}
        assert policy["frame-ancestors"] == {"'self'"}  # its previews of the site

    @pytest.mark.parametrize("page", [SITE_PAGE, ADMIN_PAGE])
    def test_unused_browser_powers_are_switched_off(self, served, page):
        features = dict(
            item.strip().split("=", 1) for item in served[page]["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()"

    def test_the_other_headers_production_promises(self, served):
        headers = served[SITE_PAGE]
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"

    def test_the_policy_can_be_tried_in_report_only_mode(self, migrated_database):
        headers = production_headers(
            migrated_database,
            SITE_PAGE,
            ADMIN_PAGE,
            CSP_REPORT_ONLY="1",
            CSP_REPORT_URI="https://csp.example.org/r",
        )
        for page in (SITE_PAGE, ADMIN_PAGE):
            assert "Content-Security-Policy" not in headers[page]
            policy = directives(headers[page]["Content-Security-Policy-Report-Only"])
            assert policy["report-uri"] == {"https://csp.example.org/r"}
        site = directives(headers[SITE_PAGE]["Content-Security-Policy-Report-Only"])
        assert site["script-src"] == {"'self'"}


INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


@pytest.mark.django_db
def test_pages_carry_no_inline_script_style_or_event_handler(client, all_locales):
    """What the strict policy would block: a page that needs any of it breaks in production."""
    tree = factories.make_tree(modules=1, lessons_per_module=1, body=[factories.video_block()])
    public = [tree.home.url, tree.course.url, tree.modules[0].url, tree.lessons[0].url]
    public += ["/en/accounts/login/", "/en/accounts/signup/", "/en/accounts/password/reset/"]
    public += ["/en/verify/", "/en/verify/7KQ2-M9XD-4HFT-X/", "/en/offline/"]
    assert_no_inline_code(client, public)
    client.force_login(factories.make_user())
    assert_no_inline_code(
        client, ["/en/learning/", "/en/profile/", "/en/profile/edit/", "/ar/learning/"]
    )


def assert_no_inline_code(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_CODE.search(html), f"{url}: {INLINE_CODE.search(html).group(0)}"
        assert "Content-Security-Policy" in response.headers


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


def test_a_sqlite_file_database_waits_for_a_writer_instead_of_failing(tmp_path, django_db_blocker):
    """The embedded default (make run): WAL, immediate transactions and a busy timeout, so
    a second writer — two learners starting a quiz at once — waits for the first and both
    succeed, where SQLite's defaults answered "database is locked" (a 500)."""

    from django.db import connection
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from config.settings.base import SQLITE_OPTIONS

    def open_database():
        settings = dict(
            connection.settings_dict,
            ENGINE="django.db.backends.sqlite3",
            NAME=str(tmp_path / "db.sqlite3"),
            OPTIONS=SQLITE_OPTIONS,
        )
        wrapper = DatabaseWrapper(settings)
        wrapper.ensure_connection()
        return wrapper

    with django_db_blocker.unblock():  # a database of its own, not the test database
        two_writers(open_database)


def two_writers(open_database):
    import threading

    first = open_database()
    with first.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("CREATE TABLE starts (who TEXT)")
    holding, done = threading.Event(), []

    def second_writer():
        second = open_database()
        holding.wait()
        with second.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")  # waits while the first holds the lock
            cursor.execute("INSERT INTO starts VALUES ('second')")
            cursor.execute("COMMIT")
        done.append("second")
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    with first.cursor() as cursor:
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("INSERT INTO starts VALUES ('first')")
        holding.set()
        thread.join(0.2)  # the second writer is waiting now, or will be
        cursor.execute("COMMIT")
    thread.join()
    with first.cursor() as cursor:
        cursor.execute("SELECT who FROM starts ORDER BY who")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
    assert done == ["second"]
    first.close()
