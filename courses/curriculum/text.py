"""The curriculum's Markdown subset, citation markers and [[fact]] markers, rendered for one
language."""

import re
from dataclasses import dataclass

from django.utils.html import escape

FACT = "fact"  # [[fact uncc-signatures]]: a dated fact of status.yaml (facts.py)

MARKER = re.compile(r"\[\[\s*([a-z0-9]+)\s+([^\[\]]+?)\s*\]\]")
LINK = re.compile(r"\[([^\[\]]+)\]\((https?://[^\s()]+)\)")
BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
ITALIC = re.compile(r"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])")
BULLET = re.compile(r"^\s*-\s+")
NUMBERED = re.compile(r"^\s*\d+\.\s+")
SEVERAL = re.compile(r"[-–,]|\band\b")
PARAGRAPH_INSTRUMENTS = {"er"}

# How each language writes "Article 16" (or "Art. 16", "第16条"); a number typed this way
# instead of as a [[marker]] escapes the citation check, so the check refuses it.
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
ARTICLE_WORDS = {
    "en": r"\b(?:arts?\.|articles?)\s*\d",
    "fr": r"\b(?:arts?\.|articles?)\s*\d",
    "es": r"\b(?:arts?\.|art[íi]culos?)\s*\d",
    "pt": r"\b(?:arts?\.|artigos?)\s*\d",
    "ru": r"(?:\bст\.|стат(?:ья|ьи|ье|ью|ьей|ей|ьям|ьях|ьями))\s*\d",
    "ar": r"(?:الماد(?:ة|ه|تين|تان|تا|ات)|مادة|المواد)\s*\d",
    "zh-hans": r"第\s*\d+\s*(?:条|款)",
    "vi": r"\b(?:điều|đ\.)\s*\d",
}
# Every language file may also use the English abbreviation, so check it everywhere.
ENGLISH_ARTICLE = ARTICLE_WORDS["en"]


def typed_article_numbers(text, language):
    """Article numbers written as plain text instead of a [[marker]]."""
    bare = MARKER.sub(" ", text).translate(ARABIC_INDIC)
    found = []
    for pattern in {ARTICLE_WORDS.get(language, ENGLISH_ARTICLE), ENGLISH_ARTICLE}:
        found += [m.group(0) for m in re.finditer(pattern, bare, re.IGNORECASE)]
    return found


@dataclass(frozen=True)
class Marker:
    instrument: str
    number: str

    def __str__(self):
        return f"[[{self.instrument} {self.number}]]"


def markers(text):
    return [Marker(m.group(1), m.group(2)) for m in MARKER.finditer(text or "")]


class Citations:
    """Prints markers the way one language's language.yaml says, and [[fact …]] markers
    from status.yaml (courses/curriculum/facts.py) in that language."""

    def __init__(self, language_data, facts=None, language=None):
        self.data = language_data
        self.facts = facts
        self.language = language

    def instrument_name(self, key):
        return self.data["instruments"][key]["name"]

    def article(self, instrument, number):
        number = number.replace("-", "–")
        several = bool(SEVERAL.search(number))
        if instrument in PARAGRAPH_INSTRUMENTS:
            template = self.data["paragraphs" if several else "paragraph"]
        else:
            template = self.data["articles" if several else "article"]
        return template.format(number=number)

    def cite(self, marker):
        if marker.instrument == FACT:
            # An unknown fact stays a visible marker; the content check names it.
            found = self.facts.render(marker.number, self.language) if self.facts else None
            return found or str(marker)
        instrument = self.data["instruments"][marker.instrument]["short"]
        return self.data["cite"].format(
            instrument=instrument, article=self.article(marker.instrument, marker.number)
        )

    def presumed(self, marker):
        return self.data["presumed"].format(article=self.article(marker.instrument, marker.number))

    def plain(self, text):
        """Text with its markers printed; no other formatting."""
        return MARKER.sub(
            lambda m: self.cite(Marker(m.group(1), m.group(2))), str(text or "")
        ).strip()

    def rich(self, text):
        """The Markdown subset as Wagtail rich-text HTML, markers printed."""
        html = []
        for chunk in re.split(r"\n\s*\n", str(text or "").strip()):
            lines = [line for line in chunk.splitlines() if line.strip()]
            if not lines:
                continue
            for pattern, tag in ((BULLET, "ul"), (NUMBERED, "ol")):
                if pattern.match(lines[0]):
                    items = []
                    for line in lines:
                        if pattern.match(line):
                            items.append(pattern.sub("", line, count=1))
                        else:
                            items[-1] += " " + line.strip()
                    inner = "".join(f"<li>{self.inline(item)}</li>" for item in items)
                    html.append(f"<{tag}>{inner}</{tag}>")
                    break
            else:
                html.append(f"<p>{self.inline(' '.join(line.strip() for line in lines))}</p>")
        return "".join(html)

    def inline(self, text):
        text = escape(text.strip())
        text = MARKER.sub(lambda m: escape(self.cite(Marker(m.group(1), m.group(2)))), text)
        text = LINK.sub(r'<a href="\2">\1</a>', text)
        text = BOLD.sub(r"<b>\1</b>", text)
        return ITALIC.sub(r"<i>\1</i>", text)


def word_count(text):
    return len(re.findall(r"\w+(?:[’'-]\w+)*", MARKER.sub("x", str(text or ""))))
