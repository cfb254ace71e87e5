"""Shared fixtures."""

import os

from django.conf import settings
from django.core.cache import cache

import pytest

from tests import factories

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
