"""The search backend (settings WAGTAILSEARCH_BACKENDS; docs/search.md): Wagtail's database
backend, and on PostgreSQL a full-text configuration per language.

Wagtail's PostgreSQL backend stems every page with one configuration. Here a page is indexed
with the configuration of its own language (LANGUAGE_CONFIGS: "arabic", "russian", "simple"
for Vietnamese and Chinese…), and a search over pages uses the configuration of the active
language, the language of the pages it searches. Objects without a language (images,
documents) keep the database's default configuration. On SQLite, FTS5's unicode61 tokenizer
serves every language the same way (no stemming).
"""

import copy
from collections import defaultdict

from django.db import connection
from django.utils.translation import get_language

from wagtail.models import Locale, TranslatableMixin

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)


class LanguagePostgresIndex(PostgresIndex):
    """Indexes each object with the configuration of its language."""

    def add_items(self, model, objs):
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        groups = defaultdict(list)
        for obj in objs:
            language = languages.get(getattr(obj, "locale_id", None))
            groups[self.backend.index_config(language)].append(obj)
        for config, group in groups.items():
            index = copy.copy(self)
            index.backend = self.backend.with_config(config)
            PostgresIndex.add_items(index, model, group)


class LanguagePostgresQueryCompiler(PostgresSearchQueryCompiler):
    """Searches translatable models with the active language's configuration."""

    def get_config(self, backend):
        if backend.fixed_config is not None:
            return backend.fixed_config
        if issubclass(self.queryset.model, TranslatableMixin):
            return backend.index_config(get_language())
        return None


class LanguagePostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = LanguagePostgresQueryCompiler
    index_class = LanguagePostgresIndex

    def __init__(self, params):
        super().__init__(params)
        # SEARCH_CONFIG, when set, is one configuration for every language (Wagtail's way).
        self.fixed_config = self.config
        self.language_configs = params.get("LANGUAGE_CONFIGS", {})

    def index_config(self, language):
        """The configuration for a language; None (the database's default) for none."""
        if self.fixed_config is not None:
            return self.fixed_config
        if language is None:
            return None
        return self.language_configs.get(language, "simple")

    def with_config(self, config):
        """This backend, indexing with config."""
        backend = copy.copy(self)
        backend.config = config
        return backend


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    if connection.vendor == "postgresql":
        return LanguagePostgresSearchBackend(params)
    return DatabaseSearchBackend(params)
