"""Shared fixtures."""

import os

from django.conf import settings
from django.core.cache import cache

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
