"""Site search (docs/search.md): what a visitor typed becomes index terms; page text gains the
forms the index needs; a match becomes a highlighted snippet in its lesson section.

The database backends split words on spaces and punctuation. Chinese has neither between
words, so a run of CJK characters is indexed as its single characters and overlapping pairs
(bigrams), and the run a visitor types is searched as the same pairs, all required:
"电子证据" finds any text holding 电子, 子证 and 证据. Arabic short vowels and the tatweel
are optional in writing: the index keeps a form without them, and queries drop them.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

# What a query may cost: longer input is cut, extra words ignored.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_WORD_CHARS = 64

CJK = (
    "\u3040-\u30ff"  # Japanese kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs, compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B–G
)
CJK_RUN = re.compile(f"[{CJK}]+")
# Arabic harakat, Quranic marks and the tatweel (kashida): written or not, the same word.
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# A word: letters, digits and the combining marks that belong to them.
MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u1ab0-\u1aff\u1dc0-\u1dff"
WORD = re.compile(f"(?:[^\\W_]|[{MARKS}])+")
WORD_CHAR = f"(?:[^\\W_]|[{MARKS}])"


@dataclass
class Query:
    """A visitor's query: the terms sent to the index (all required) and the words to
    highlight in what was found."""

    text: str = ""
    index_terms: list = field(default_factory=list)
    words: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.index_terms)

    @property
    def index_text(self):
        return " ".join(self.index_terms)


def pairs(run):
    """The overlapping pairs of characters of a CJK run: 电子证据 → 电子, 子证, 证据."""
    return [run[at : at + 2] for at in range(len(run) - 1)]


def cjk_pieces(run):
    """The single characters and overlapping pairs of a CJK run, as the index keeps them."""
    return list(run) + pairs(run)


def parse(raw):
    """The Query for what the visitor typed: normalised, cut to size, CJK runs as pairs."""
    text = unicodedata.normalize("NFKC", (raw or "")[:MAX_QUERY_CHARS])
    # Shown back on the page: without control characters, which could reorder it.
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf"))
    query = Query(text=" ".join(text.split()))
    for word in WORD.findall(ARABIC_MARKS.sub("", text)):
        if len(word) > MAX_WORD_CHARS:
            continue
        for part in re.split(f"([{CJK}]+)", word.lower()):
            if not part:
                continue
            # A CJK run as its pairs; a single character, or any other word, as itself.
            terms = (pairs(part) if CJK_RUN.fullmatch(part) else []) or [part]
            query.words.append(part)
            query.index_terms.extend(terms)
    query.index_terms = list(dict.fromkeys(query.index_terms))[:MAX_TERMS]
    query.words = list(dict.fromkeys(query.words))
    return query


def index_variants(text):
    """The forms of text the index needs besides the text itself: CJK runs split into
    characters and pairs, Arabic without its optional marks. Empty for other text."""
    if not text:
        return ""
    variants = []
    if CJK_RUN.search(text):
        variants.append(CJK_RUN.sub(lambda run: " " + " ".join(cjk_pieces(run[0])) + " ", text))
    if ARABIC_MARKS.search(text):
        variants.append(ARABIC_MARKS.sub("", text))
    return " ".join(variants)


# --- Snippets --------------------------------------------------------------------------------


def _folded(text):
    """text in lower case without Arabic marks, and for each of its characters the position
    of the character of text it came from."""
    chars, origin = [], []
    for at, char in enumerate(text):
        if ARABIC_MARKS.match(char):
            continue
        for folded in char.lower():
            chars.append(folded)
            origin.append(at)
    return "".join(chars), origin


def _pattern(words):
    """A regular expression for the words as the index matches them: a CJK run anywhere; any
    other word at the start of a word, with its ending free (the index stems words)."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        if CJK_RUN.fullmatch(word):
            parts.append(re.escape(word))
        else:
            stem = word if len(word) <= 4 else word[: max(4, len(word) - 2)]
            parts.append(f"(?<!{WORD_CHAR}){re.escape(stem)}{WORD_CHAR}*")
    return re.compile("|".join(parts)) if parts else None


def matches(text, words):
    """The (start, end) spans of text where the words occur."""
    pattern = _pattern(words)
    if pattern is None or not text:
        return []
    folded, origin = _folded(text)
    return [
        (origin[found.start()], origin[found.end() - 1] + 1)
        for found in pattern.finditer(folded)
        if found.end() > found.start()
    ]


def words_found(text, words):
    """How many of the words occur in text."""
    return sum(1 for word in words if matches(text, [word]))


def snippet(text, words, width=220, before=60):
    """Escaped HTML: about width characters of text around the first match, every match in
    <mark>; the start of text when nothing matches."""
    text = " ".join(text.split())
    if CJK_RUN.search(text):  # a character says more than a letter: a shorter snippet
        width, before = width // 2, before // 2
    spans = matches(text, words)
    start = 0
    if spans and spans[0][0] > before:
        start = spans[0][0] - before
        space = text.find(" ", start, spans[0][0])
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    pieces, at = [], start
    for begin, finish in spans:
        if begin < at or begin >= end:
            continue
        finish = min(finish, end)
        pieces += [escape(text[at:begin]), "<mark>", escape(text[begin:finish]), "</mark>"]
        at = finish
    pieces.append(escape(text[at:end]))
    return mark_safe(  # noqa: S308 (every piece of text above is escaped)
        ("…" if start else "") + "".join(pieces) + ("…" if end < len(text) else "")
    )


def best_section(sections, words):
    """The (anchor, text) of the section text where most of the words occur, the first such;
    None when none occurs anywhere. sections: [(anchor or None, text), …] in page order."""
    best, best_count = None, 0
    for anchor, text in sections:
        count = words_found(text, words)
        if count > best_count:
            best, best_count = (anchor, text), count
            if count == len(words):
                break
    return best
