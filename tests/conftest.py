"""Shared fixtures."""

import contextlib
import os

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

import pytest
from pytest_django.plugin import blocking_manager_key

from tests import factories, migrated_rows

# .ci/run sets this: there, a missing system tool fails the test instead of skipping it.
CI_REQUIRES_SYSTEM_TOOLS = os.environ.get("EVIDENCE_CI") == "1"


def require(available, message):
    """Skip locally with a message when a system tool is missing; fail in CI."""
    if available:
        return
    if CI_REQUIRES_SYSTEM_TOOLS:
        pytest.fail(f"{message} (required in CI; run scripts/install-system-deps)")
    pytest.skip(f"{message}; install it with scripts/install-system-deps")


@pytest.fixture
def fresh_cache():
    """An empty cache before and after the test: rate-limit counters start at zero."""
    cache.clear()
    yield
    cache.clear()


DEMO_PASSWORD = "demo-Passphrase-for-tests-1"


@contextlib.contextmanager
def demo_loaded(django_db_blocker, folder):
    """`manage.py load_demo_content` (it takes seconds) inside a transaction rolled back on
    leaving; tests run meanwhile each in a savepoint of it, so what one test changes the next
    does not see. Not for transactional tests."""
    from django.test import TestCase

    from courses import demo

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
        patch.setattr(demo, "PASSWORD_FILE", folder / ".demo-password")
        outer = transaction.atomic()
        with django_db_blocker.unblock():
            outer.__enter__()
            try:
                with TestCase.captureOnCommitCallbacks(execute=True):
                    call_command("load_demo_content")
            except BaseException:
                outer.__exit__(None, None, None)
                raise
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                cache.clear()  # nothing cached about rows that are gone


@pytest.fixture(scope="class")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for a test class (tests outside a class: each its own)."""
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("demo")):
        yield


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for a whole module: only where every test of it wants the demo."""
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("demo")):
        yield


@pytest.fixture
def all_locales(db):
    return {code: factories.locale(code) for code, _name in settings.LANGUAGES}


@pytest.fixture
def tree(all_locales):
    return factories.make_tree()


@pytest.fixture
def learner(db):
    return factories.make_user()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with the migrated rows noted (tests/migrated_rows.py)."""
    with django_db_blocker.unblock():
        migrated_rows.remember()
    return django_db_setup


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that flushed the database, the migrated rows go back in."""
    result = yield
    # After the last test the test database is gone (nothing follows to need the rows).
    if nextitem is not None and migrated_rows.noted():
        with item.config.stash[blocking_manager_key].unblock():
            if migrated_rows.flushed():
                migrated_rows.restore()
    return result


# The longest files, started first: on several workers they then run beside the rest instead
# of ending the run alone (docs/performance.md, "The test suite and CI").
LONGEST_FIRST = (
    "tests/test_cluster.py",
    "tests/test_curriculum_course.py",
    "tests/test_hostile_input.py",
    "tests/test_permissions.py",
    "tests/test_integrity.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # a stable sort


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site's language: a test that activates another language and
    does not restore it must not change what a later test in the same worker reads (report
    titles built with gettext, for one)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
