"""Dated facts: the course's counts, statuses and deadlines, kept in curriculum/status.yaml.

A lesson never types "72 States have signed" or "not yet in force": it writes
[[fact uncc-signatures]], which prints the fact's wording in the page's language followed by
"as of <date>". Each fact has a `review_by` date; once it has passed the fact is overdue:
check_curriculum warns, `check_curriculum --strict` fails, and the admin dashboard lists it
with the pages that still show it (docs/curriculum.md, "Dated facts").

The same file holds each country's treaty status under `countries:` (docs/countries.md):
per ISO code, per status (STATUSES), a yes/no value or null where our sources give none,
dated and reviewed like any other fact. Country profiles and [[country-status …]] markers
print them; a country or status the file does not give is "not recorded".
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from courses.curriculum import datafile
from courses.curriculum.text import MARKER

FILE = "status.yaml"
FACT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
# The treaty statuses a country profile shows, in the order it shows them.
STATUSES = ("uncc-signed", "uncc-ratified", "budapest-party", "budapest-second-protocol")
# [[country-status budapest-party]]: printed for the reader's country when the page is served
# (courses/countries.py), so the loader leaves it in the text.
COUNTRY_STATUS_MARKER = re.compile(r"\[\[\s*country-status\s+([a-z0-9-]+)\s*\]\]")


def today():
    """The date facts are reviewed against (the site's time zone)."""
    return timezone.localdate()


@dataclass(frozen=True)
class Fact:
    key: str
    value: object  # a number, a date, a short text, or None where our sources give none
    as_of: date
    review_by: date
    wording: dict  # language → template, may use {value}
    source: str = ""

    def overdue(self, on=None):
        return (on or today()) > self.review_by


@dataclass(frozen=True)
class CountryStatus:
    country: str  # ISO 3166 code
    status: str  # one of STATUSES
    value: bool | None  # None: our sources do not say
    as_of: date
    review_by: date
    source: str = ""

    @property
    def key(self):
        return f"{self.country}/{self.status}"

    def overdue(self, on=None):
        return (on or today()) > self.review_by


class Facts:
    """The facts of one curriculum directory and how they print in each language."""

    def __init__(self, data=None, path=None):
        data = data or {}
        self.path = path
        self.formats = data.get("formats") or {}
        self.facts = {}
        self.problems = []  # (where, message): the content check reports them
        raw = data.get("facts") or {}
        if not isinstance(raw, dict):
            self.problems.append(("facts", "expected a mapping of fact ids"))
            raw = {}
        for key, entry in raw.items():
            fact = self._parse(str(key), entry)
            if fact is not None:
                self.facts[fact.key] = fact
        self.statuses = {}  # (country, status) → CountryStatus
        countries = data.get("countries") or {}
        if not isinstance(countries, dict):
            self.problems.append(("countries", "expected a mapping of country codes"))
            countries = {}
        for code, entries in countries.items():
            self._parse_country(str(code), entries)

    @classmethod
    def load(cls, root):
        """The facts in root/status.yaml; none if the file does not exist."""
        path, data, problem = datafile.read(root, FILE)
        if data is None:
            found = cls(path=path)
            if problem:
                found.problems.append(("the file", problem))
            return found
        found = cls(data if isinstance(data, dict) else {}, path=path)
        if not isinstance(data, dict):
            found.problems.append(("the file", "expected 'formats' and 'facts'"))
        return found

    def _parse(self, key, entry):
        where = f"fact '{key}'"
        if not FACT_ID.fullmatch(key):
            self.problems.append((where, "an id has lower-case letters, digits and hyphens"))
            return None
        if not isinstance(entry, dict):
            self.problems.append((where, "expected value, as_of, review_by and wording"))
            return None
        dates = {}
        for name in ("as_of", "review_by"):
            if not isinstance(entry.get(name), date):
                self.problems.append((where, f"'{name}' must be a date written YYYY-MM-DD"))
                return None
            dates[name] = entry[name]
        if dates["review_by"] < dates["as_of"]:
            self.problems.append((where, "'review_by' comes before 'as_of'"))
        if "value" not in entry:
            self.problems.append((where, "needs 'value' (null where our sources give none)"))
        wording = entry.get("wording")
        if not isinstance(wording, dict):
            self.problems.append((where, "needs 'wording' in every language"))
            wording = {}
        return Fact(
            key=key,
            value=entry.get("value"),
            as_of=dates["as_of"],
            review_by=dates["review_by"],
            wording={str(lang): str(text) for lang, text in wording.items() if text},
            source=str(entry.get("source") or ""),
        )

    def _parse_country(self, code, entries):
        where = f"country '{code}'"
        if not COUNTRY_CODE.fullmatch(code):
            self.problems.append((where, "a country is its two-letter ISO code in capitals"))
            return
        if not isinstance(entries, dict):
            self.problems.append((where, f"expected its statuses: {', '.join(STATUSES)}"))
            return
        for status, entry in entries.items():
            place = f"{where}, '{status}'"
            if status not in STATUSES:
                self.problems.append((place, f"unknown status; use one of {', '.join(STATUSES)}"))
                continue
            if not isinstance(entry, dict):
                self.problems.append((place, "expected value, as_of, review_by and source"))
                continue
            value = entry.get("value", "missing")
            if value is not None and not isinstance(value, bool):
                self.problems.append((place, "'value' is true, false or null (not recorded)"))
                continue
            if not all(isinstance(entry.get(name), date) for name in ("as_of", "review_by")):
                self.problems.append((place, "'as_of' and 'review_by' must be dates YYYY-MM-DD"))
                continue
            if entry["review_by"] < entry["as_of"]:
                self.problems.append((place, "'review_by' comes before 'as_of'"))
            if not str(entry.get("source") or "").strip():
                self.problems.append((place, "needs a 'source'"))
            self.statuses[code, status] = CountryStatus(
                country=code,
                status=status,
                value=value,
                as_of=entry["as_of"],
                review_by=entry["review_by"],
                source=" ".join(str(entry.get("source") or "").split()),
            )

    # --- questions the check, the loader and the admin ask -------------------------------

    def __contains__(self, key):
        return key in self.facts

    def __iter__(self):
        return iter(self.facts.values())

    def get(self, key):
        return self.facts.get(key)

    def overdue(self, on=None):
        """Facts and country statuses past their review_by date, the longest overdue first."""
        every = [*self, *self.statuses.values()]
        return sorted((fact for fact in every if fact.overdue(on)), key=lambda f: f.review_by)

    def missing(self, languages):
        """(where, message) for each language a fact or the date formats lack."""
        found = []
        if not self.facts:
            return found  # nothing to print, so no formats needed (the test miniature)
        for language in languages:
            form = self.formats.get(language)
            as_of = str(form.get("as_of", "")) if isinstance(form, dict) else ""
            if "{fact}" not in as_of or "{date}" not in as_of:
                found.append((f"formats.{language}", "needs 'as_of' containing {fact} and {date}"))
            elif "{month}" in str(form.get("date", "")) and len(form.get("months") or []) != 12:
                found.append((f"formats.{language}", "needs the twelve 'months'"))
            elif not form.get("date"):
                found.append((f"formats.{language}", "needs a 'date' form"))
            for fact in self:
                if language not in fact.wording:
                    found.append((f"fact '{fact.key}'", f"has no wording in '{language}'"))
                elif "{value}" in fact.wording[language] and fact.value is None:
                    found.append(
                        (f"fact '{fact.key}'", f"'{language}' uses {{value}}, which is null")
                    )
        return found

    # --- printing -------------------------------------------------------------------------

    def date(self, value, language):
        form = self.formats[language]
        day = value.day
        if day == 1 and form.get("first_day"):
            day = form["first_day"]
        months = form.get("months") or []
        return str(form["date"]).format(
            day=day,
            month=months[value.month - 1] if months else value.month,
            month_number=value.month,
            year=value.year,
        )

    def value(self, fact, language):
        if isinstance(fact.value, date):
            return self.date(fact.value, language)
        return "" if fact.value is None else str(fact.value)

    def wording(self, key, language):
        """The fact's own words in this language, without the date; None if it cannot print."""
        fact = self.facts.get(key)
        if fact is None or language not in fact.wording or language not in self.formats:
            return None
        try:
            return fact.wording[language].format(value=self.value(fact, language))
        except (KeyError, IndexError, ValueError):
            return None

    def render(self, key, language):
        """The wording followed by "as of <date>", as the page prints it; None if unknown."""
        words = self.wording(key, language)
        if words is None:
            return None
        fact = self.facts[key]
        try:
            return str(self.formats[language]["as_of"]).format(
                fact=words, date=self.date(fact.as_of, language)
            )
        except (KeyError, IndexError, ValueError):
            return None


# --- what a lesson should have written as a marker --------------------------------------

# Phrases that state a count, a status or a deadline, per language. A sentence using them
# outside a [[fact]] marker would go stale without anyone noticing. Rules that do not
# change ("enters into force after five ratifications", "the fortieth instrument") are not
# caught: they name no number of States and no date.
TYPED = {
    "en": [
        r"\bnot\s+(?:yet\s+)?(?:been\s+)?in\s+force\b",
        r"\b(?:not\s+yet|yet\s+to)\s+(?:entered|enter)\s+into\s+force\b",
        r"\bopen\s+for\s+signature\b[^.;:]*?\buntil\b",
        r"\b\d+\s+(?:States|countries|signatories)\s+(?:have\s+|had\s+)?(?:signed|ratified)",
        r"\b(?:signed|ratified)\s+by\s+\d+\s+(?:States|countries)",
    ],
    "fr": [
        r"\bn[’']est\s+pas\s+(?:encore\s+)?(?:entrée?\s+)?en\s+vigueur",
        r"\bpas\s+encore\s+(?:entrée?\s+)?en\s+vigueur",
        r"\bouverte?\s+à\s+la\s+signature\b[^.;:]*?\bjusqu[’']",
        r"\b\d+\s+(?:États|pays)\s+(?:l[’'])?(?:ont|avaient)\s+(?:signé|ratifié)",
        r"\b(?:signée?|ratifiée?)\s+par\s+\d+\s+(?:États|pays)",
    ],
    "es": [
        r"\b(?:aún|todavía)\s+no\s+(?:está|ha\s+entrado)\s+en\s+vigor",
        # "no está en vigor ningún tratado" is about treaties between two States, not a status
        r"\bno\s+(?:está|ha\s+entrado)\s+(?:aún\s+|todavía\s+)?en\s+vigor(?!\s+ning[uú]n)",
        r"\babiert[oa]\s+a\s+la\s+firma\b[^.;:]*?\bhasta\b",
        r"\b\d+\s+(?:Estados|países)\s+(?:la\s+|lo\s+)?(?:han\s+|habían\s+)?(?:firmad|ratificad|firmaron|ratificaron)",
        r"\b(?:firmad|ratificad)[oa]\s+por\s+\d+\s+(?:Estados|países)",
    ],
    "pt": [
        r"\bainda\s+não\s+(?:está|entrou)\s+em\s+vigor",
        r"\bnão\s+(?:está|entrou)\s+(?:ainda\s+)?em\s+vigor(?!\s+nenhum)",
        r"\baberta?\s+à\s+assinatura\b[^.;:]*?\baté\b",
        r"\b\d+\s+(?:Estados|países)\s+(?:já\s+)?(?:assinaram|ratificaram|tinham\s+assinado)",
        r"\b(?:assinad|ratificad)[oa]\s+por\s+\d+\s+(?:Estados|países)",
    ],
    "ru": [
        r"не\s+вступил[аио]?\s+в\s+силу",
        r"открыт[аоы]?\w*\s+для\s+подписания[^.;:]*?\sдо\s+\d",
        r"\b\d+\s+(?:государств\w*|стран\w*)\s+(?:уже\s+)?(?:подписал|ратифицировал)",
        r"(?:подписал|ратифицировал)\w*\s+\d+\s+(?:государств|стран)",
    ],
    "ar": [
        r"لم\s+(?:يبدأ|تدخل|يدخل)\s+(?:بعد\s+)?(?:نفاذ|حيز\s+النفاذ)",
        r"مفتوح\w*[^.؛:]*?حتى\s+\d",
        r"\d+\s+دول\w*\s+(?:قد\s+)?(?:وقّعت|وقعت|صدّقت|صدقت)",
        r"(?:وقّعت|وقعت|صدّقت|صدقت)\s+عليها\s+\d+\s+دول",
    ],
    "zh-hans": [
        r"(?:尚未|还未|仍未)生效",
        r"开放供签署[^。；：]*?(?:直至|截止)",
        r"\d+\s*个?国家?(?:已经?|已)?(?:签署|批准)",
    ],
    "vi": [
        r"chưa\s+(?:có|phát\s+sinh)\s+hiệu\s+lực",
        r"(?:mở|để\s+ngỏ)[^.;:]*?\bký\b[^.;:]*?\bđến\s+(?:hết\s+)?ngày\s+\d",
        r"\b\d+\s+quốc\s+gia\s+(?:đã\s+)?(?:ký|phê\s+chuẩn)",
    ],
}


def typed_facts(text, language, facts=None):
    """Counts, statuses and deadlines written as plain text instead of a [[fact]] marker:
    the phrases above, and any fact's own value or wording typed out."""
    bare = MARKER.sub(" ", str(text or ""))
    found = [
        m.group(0)
        for pattern in TYPED.get(language, TYPED["en"])
        for m in re.finditer(pattern, bare, re.IGNORECASE)
    ]
    for fact in facts or ():
        if isinstance(fact.value, date) and language in facts.formats:
            shown = facts.date(fact.value, language)
            if shown in bare:
                found.append(f"{shown} (fact {fact.key})")
        words = facts.wording(fact.key, language) if facts is not None else None
        if words and len(words) > 20 and words.lower() in bare.lower():
            found.append(f"{words[:40]}… (fact {fact.key})")
    return found
