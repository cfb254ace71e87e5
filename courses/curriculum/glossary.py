"""The course glossary (curriculum/glossary.yaml): one approved term per concept and language,
a plain definition, and the variants a language's files may not use.

The content check refuses a listed variant in its language's files and names the approved
term (courses/curriculum/check.py); the learner's glossary page lists the terms of the page's
language in that language's alphabetical order (courses/views/glossary.py).
"""

import re
import unicodedata
from dataclasses import dataclass

from courses.curriculum import datafile

FILE = "glossary.yaml"
ENTRY_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Written without spaces between words: a variant is found anywhere, not as a whole word.
UNSPACED = {"zh-hans"}
# Pinyin orders Chinese terms; nothing in the standard library can derive it.
SORTED_BY_KEY = {"zh-hans"}
ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")  # tatweel, vowel signs, shadda


@dataclass(frozen=True)
class Term:
    """One concept in one language."""

    key: str  # the entry's id, the same in every language
    language: str
    term: str
    definition: str
    avoid: tuple = ()
    sort: str = ""
    review: str = ""


class Glossary:
    """The entries of one curriculum directory's glossary, by language."""

    def __init__(self, data=None, path=None):
        self.path = path
        self.keys = []  # entry ids in file order
        self.terms = {}  # (key, language) -> Term
        self.problems = []  # (where, message): the content check reports them
        self._patterns = {}
        entries = (data or {}).get("terms") or []
        if not isinstance(entries, list):
            self.problems.append(("terms", "expected a list of entries"))
            entries = []
        for number, entry in enumerate(entries, 1):
            self._parse(number, entry)

    @classmethod
    def load(cls, root):
        """The glossary in root/glossary.yaml; an empty one if the file does not exist."""
        path, data, problem = datafile.read(root, FILE)
        if data is None:
            glossary = cls(path=path)
            if problem:
                glossary.problems.append(("the file", problem))
            return glossary
        return cls(data if isinstance(data, dict) else {}, path=path)

    def _parse(self, number, entry):
        key = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        if not ENTRY_ID.fullmatch(key):
            self.problems.append(
                (f"entry {number}", "needs an 'id' of lower-case letters, digits, -")
            )
            return
        if key in self.keys:
            self.problems.append((f"entry '{key}'", "the id is used twice"))
            return
        self.keys.append(key)
        for language, value in entry.items():
            if language == "id":
                continue
            where = f"entry '{key}', {language}"
            if not isinstance(value, dict) or not value.get("term") or not value.get("definition"):
                self.problems.append((where, "needs a 'term' and a 'definition'"))
                continue
            avoid = value.get("avoid") or []
            if not isinstance(avoid, list) or not all(isinstance(v, str) and v for v in avoid):
                self.problems.append((where, "'avoid' is a list of variants"))
                avoid = []
            self.terms[key, language] = Term(
                key=key,
                language=language,
                term=str(value["term"]).strip(),
                definition=" ".join(str(value["definition"]).split()),
                avoid=tuple(avoid),
                sort=str(value.get("sort") or "").strip(),
                review=str(value.get("review") or ""),
            )

    # --- what the check, the page and the tests ask ----------------------------------------

    def __bool__(self):
        return bool(self.keys)

    def get(self, key, language):
        return self.terms.get((key, language))

    def missing(self, languages):
        """(where, message) for each entry a language lacks, and each Chinese term without
        its pinyin sort key."""
        found = []
        for key in self.keys:
            for language in languages:
                term = self.get(key, language)
                if term is None:
                    found.append((f"entry '{key}'", f"has no '{language}' term"))
                elif language in SORTED_BY_KEY and not term.sort:
                    found.append(
                        (f"entry '{key}', {language}", "needs 'sort' (the term in pinyin)")
                    )
        return found

    def in_language(self, language):
        """Every term of one language, in that language's alphabetical order."""
        terms = [self.get(key, language) for key in self.keys if self.get(key, language)]
        return sorted(terms, key=lambda term: sort_key(term, language))

    def variants(self, text, language):
        """(what was written, the term it should have been) for each refused variant in text."""
        found = []
        bare = normalise(text, language)
        for term, pattern in self._patterns_for(language):
            found += [(match.group(0), term) for match in pattern.finditer(bare)]
        return found

    def _patterns_for(self, language):
        if language not in self._patterns:
            self._patterns[language] = [
                (term, variant_pattern(term.avoid, language))
                for key in self.keys
                if (term := self.get(key, language)) and term.avoid
            ]
        return self._patterns[language]


# --- matching -------------------------------------------------------------------------------


def normalise(text, language):
    """Text as variants are matched in it: composed characters, one apostrophe, and Arabic
    without vowel marks (which writers add or leave out freely)."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("’", "'")
    return ARABIC_MARKS.sub("", text) if language == "ar" else text


def variant_pattern(variants, language):
    """One regular expression for a term's variants: words in order with any spacing, a `*`
    at either end of a word standing for any letters; whole words except in Chinese."""
    alternatives = []
    for variant in variants:
        words = []
        for word in normalise(variant, language).split():
            before = r"\w*" if word.startswith("*") else ""
            after = r"\w*" if word.endswith("*") else ""
            words.append(before + re.escape(word.strip("*")) + after)
        alternatives.append(r"\s+".join(words))
    body = "|".join(f"(?:{alternative})" for alternative in alternatives)
    if language in UNSPACED:
        return re.compile(body, re.IGNORECASE)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


# --- alphabetical order ---------------------------------------------------------------------

# Vietnamese letters in order; tone marks only break ties.
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
VIETNAMESE_LETTERS = {letter: index for index, letter in enumerate(VIETNAMESE)}
VIETNAMESE_SHAPES = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: other letters
ARABIC_FORMS = str.maketrans("أإآٱؤئىة", "ااااوييه")


def strip_accents(text, keep=""):
    """Text without combining marks, except on the letters in keep (e.g. Spanish ñ)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in keep:
            out.append(char)
        else:
            marks = unicodedata.normalize("NFD", char)
            out.append("".join(c for c in marks if not unicodedata.combining(c)))
    return "".join(out)


def vietnamese_key(text):
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", text.casefold()):
        parts = unicodedata.normalize("NFD", char)
        shape = "".join(c for c in parts if c in VIETNAMESE_SHAPES)
        letter = unicodedata.normalize("NFC", parts[0] + shape)
        tones.append("".join(c for c in parts[1:] if c not in VIETNAMESE_SHAPES))
        if letter in VIETNAMESE_LETTERS:
            letters.append((VIETNAMESE_LETTERS[letter], ""))
        else:  # spaces and digits before letters, letters Vietnamese does not use after them
            letters.append((99 if letter.isalpha() else -1, letter))
    return letters, tones


def arabic_key(text):
    words = ARABIC_MARKS.sub("", text).translate(ARABIC_FORMS).split()
    # Arabic glossaries file a term under its first letter after the article.
    if words and words[0].startswith("ال") and len(words[0]) > 3:
        words[0] = words[0][2:]
    return " ".join(words)


def sort_key(term, language):
    """Where a term goes in its language's alphabetical list."""
    text = term.sort if language in SORTED_BY_KEY and term.sort else term.term
    text = text.strip('《》"“”«» ')
    if language == "vi":
        primary = vietnamese_key(text)
    elif language == "ar":
        primary = arabic_key(text)
    elif language == "ru":
        primary = text.casefold().replace("ё", "е")
    elif language == "es":
        primary = strip_accents(text.casefold(), keep="ñ").replace("ñ", "n~")
    else:
        primary = strip_accents(text.casefold())
    return primary, text.casefold()
