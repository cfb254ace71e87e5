"""Shared fixtures."""

import pytest
from django.conf import settings

from tests import factories


@pytest.fixture
def all_locales(db):
    return {code: factories.locale(code) for code, _name in settings.LANGUAGES}


@pytest.fixture
def tree(all_locales):
    return factories.make_tree()


@pytest.fixture
def learner(db):
    return factories.make_user()
