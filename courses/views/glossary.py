"""The glossary page: the course's key terms in the page's language, in that language's
alphabetical order, each with its definition (curriculum/glossary.yaml)."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.shortcuts import render
from django.utils.translation import get_language

from courses.curriculum.glossary import FILE, Glossary
from courses.curriculum.source import DEFAULT_ROOT, Curriculum


@dataclass(frozen=True)
class Shown:
    key: str  # the anchor: /en/glossary/#traffic-data
    term: str
    definition: str  # citation markers printed in the language


def terms_in(language, root=DEFAULT_ROOT):
    """(the language shown, its terms in order); the source language's where the glossary
    has none in this one. Read again whenever the file changes."""
    files = [Path(root) / FILE, Path(root) / str(language) / "language.yaml"]
    version = tuple(path.stat().st_mtime_ns if path.exists() else 0 for path in files)
    return _terms_in(str(root), language, version)


@lru_cache(maxsize=16)
def _terms_in(root, language, version):
    curriculum = Curriculum(root)
    glossary = Glossary.load(root)
    if not glossary.in_language(language):
        language = curriculum.source_language
    cite = curriculum.citations_for(language)
    return language, [
        Shown(term.key, term.term, cite.plain(term.definition))
        for term in glossary.in_language(language)
    ]


def glossary(request):
    language, terms = terms_in(get_language())
    return render(
        request,
        "courses/glossary/glossary.html",
        {"terms": terms, "terms_language": language if language != get_language() else ""},
    )
