"""The content check: every language complete and parallel to English, answers that
exist, citations only at the precision ../shared/curriculum/FACTS.md allows.

`check(curriculum)` returns a list of problems, each naming its file; empty means good.
`manage.py check_curriculum` prints them, and the test suite runs it on the real files.
"""

import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug

from courses.blocks import QuestionBlock
from courses.curriculum.facts import COUNTRY_STATUS_MARKER, STATUSES, typed_facts
from courses.curriculum.facts import FILE as FACTS_FILE
from courses.curriculum.glossary import FILE as GLOSSARY_FILE
from courses.curriculum.glossary import Glossary
from courses.curriculum.source import QUESTION_TYPES, CurriculumError
from courses.curriculum.text import FACT, MARKER, markers, typed_article_numbers, word_count

# What the course promises (issue 4); structure.yaml may narrow or, for fixtures, change them.
LIMITS = {
    "lesson_words": (500, 900),
    "scenario_words": (80, 400),
    "module_quiz_questions": (8, 12),
    "course_test_questions": (10, 15),
}
# The hint block's own limit (courses/blocks.py), so a loaded hint always validates.
HINT_LENGTH = QuestionBlock.base_blocks["hint"].field.max_length
NOT_TEXT = {"id", "slug", "type", "kind", "instrument", "article", "url", "presumed", "minutes"}
CITATION_FORMS = {
    "article": "{number}",
    "articles": "{number}",
    "paragraph": "{number}",
    "paragraphs": "{number}",
    "cite": "{article}",
    "presumed": "{article}",
}


class Checker:
    def __init__(self, curriculum):
        self.curriculum = curriculum
        self.problems = []
        self.rules = curriculum.citations
        self.limits = {**LIMITS, **curriculum.structure.get("limits", {})}

    def problem(self, where, message):
        self.problems.append(f"{where}: {message}")

    def run(self):
        source = self.curriculum.source_language
        entries = self.curriculum.entries()
        self.check_no_stated_time(entries)
        self.check_facts()
        self.check_glossary(entries)
        for language in self.curriculum.languages:
            self.check_language_file(language)
            siblings = {}
            for entry in entries:
                where = f"{language}/{entry.file}"
                try:
                    data = self.curriculum.read(language, entry.file)
                    self.curriculum.fields(language, entry)
                except CurriculumError as error:
                    self.problems.append(str(error))
                    continue
                self.check_citations(where, data, language)
                self.check_slug(where, data)
                if entry.kind == "quiz":
                    self.check_hints(where, data, language)
                slug = str(data.get("slug", ""))
                taken = siblings.setdefault(entry.parent, {})
                if slug in taken:
                    self.problem(where, f"slug '{slug}' is already used by {taken[slug]}")
                taken.setdefault(slug, f"{language}/{entry.file}")
                if language == source:
                    self.check_source(where, entry, data)
                else:
                    self.check_mirror(where, entry, data)
        if not self.problems:
            self.check_course_wide(entries)
        # A broken English lesson is met again when the course's hours are measured.
        return list(dict.fromkeys(self.problems))

    def check_no_stated_time(self, entries):
        """Minutes and hours are computed from the text (courses/curriculum/timing.py); a
        hand-written figure would go stale with the next edit, so none is accepted."""
        if "hours" in self.curriculum.structure:
            self.problem(
                "structure.yaml",
                "'hours' is computed from the lessons and quizzes (docs/curriculum.md, "
                '"Time"); remove it',
            )
        for language in self.curriculum.languages:
            for entry in entries:
                try:
                    data = self.curriculum.read(language, entry.file)
                except CurriculumError:
                    continue  # reported with the file's other problems
                if "minutes" in data:
                    self.problem(
                        f"{language}/{entry.file}",
                        "'minutes' is computed from the text (docs/curriculum.md, \"Time\"); "
                        "remove the line",
                    )

    # --- every language -------------------------------------------------------------

    def check_language_file(self, language):
        where = f"{language}/language.yaml"
        try:
            data = self.curriculum.read(language, "language.yaml")
        except CurriculumError as error:
            self.problems.append(str(error))
            return
        for name, placeholder in CITATION_FORMS.items():
            if placeholder not in str(data.get(name, "")):
                self.problem(where, f"'{name}' must contain {placeholder}")
        instruments = data.get("instruments") or {}
        for key in self.rules:
            if not (instruments.get(key) or {}).get("name") or not instruments[key].get("short"):
                self.problem(where, f"instrument '{key}' needs a name and a short name")

    def check_slug(self, where, data):
        try:
            validate_unicode_slug(str(data.get("slug", "")))
        except ValidationError:
            self.problem(where, f"slug '{data.get('slug')}' may hold only letters, digits, - and _")

    def check_hints(self, where, data, language):
        """A hint is shown after a wrong answer while the answers are still withheld
        (docs/learning.md): one line that fits its block and never repeats a right option."""
        cite = self.curriculum.citations_for(language)
        for number, question in enumerate(data.get("questions") or [], 1):
            hint = question.get("hint") if isinstance(question, dict) else None
            if hint in (None, ""):
                continue
            here = f"question {number}"
            if not isinstance(hint, str):
                self.problem(where, f"{here}: a hint is one line of text")
                continue
            printed = cite.plain(hint)
            if "\n" in printed:
                self.problem(where, f"{here}: a hint is one line of text")
            if len(printed) > HINT_LENGTH:
                self.problem(
                    where, f"{here}: a hint of {len(printed)} characters; at most {HINT_LENGTH}"
                )
            for option in question.get("options") or []:
                right = folded(cite.plain(option.get("text"))) if option.get("correct") else ""
                if right and right in folded(printed):
                    self.problem(
                        where, f"{here}: the hint gives away the answer '{option['text']}'"
                    )

    def check_citations(self, where, data, language):
        for location, text in strings(data):
            for typed in typed_article_numbers(text, language):
                self.problem(where, f"{location}: '{typed}' — write article numbers as [[markers]]")
            for typed in typed_facts(text, language, self.curriculum.facts):
                self.problem(
                    where,
                    f"{location}: '{typed}' is a count, status or deadline; "
                    "write it as a [[fact …]] marker from status.yaml",
                )
            for marker in markers(text):
                if marker.instrument == FACT:
                    self.check_fact_marker(where, location, marker.number, language)
                else:
                    self.check_marker(where, location, marker.instrument, marker.number)
            for status in COUNTRY_STATUS_MARKER.findall(text):
                if status not in STATUSES:
                    self.problem(
                        where,
                        f"{location}: [[country-status {status}]] is not a status; use one of "
                        f"{', '.join(STATUSES)}",
                    )
            bare = COUNTRY_STATUS_MARKER.sub("", MARKER.sub("", text))
            for stray in re.findall(r"\[\[[^\]]*\]?\]?", bare):
                self.problem(where, f"{location}: '{stray}' is not a citation marker")
        for location, block in provisions(data):
            article = str(block.get("article") or "").strip()
            if article:
                self.check_marker(where, location, block.get("instrument"), article)
        for location, presumed in presumptions(data):
            found = markers(f"[[{presumed}]]")
            if len(found) != 1:
                self.problem(where, f"{location}: 'presumed' is written like 'uncc 24'")
                continue
            rules = self.rules.get(found[0].instrument, {})
            for number in numbers(found[0].number):
                if number not in rules.get("unverified", []):
                    self.problem(
                        where,
                        f"{location}: presumed {found[0]} is not marked [UNV] in citations.yaml; "
                        "cite it directly instead",
                    )

    def check_facts(self):
        """status.yaml: every fact dated, reviewable and worded in every language."""
        facts = self.curriculum.facts
        for place, message in facts.problems + facts.missing(self.curriculum.languages):
            self.problem(f"{FACTS_FILE}: {place}", message)

    def check_fact_marker(self, where, location, key, language):
        if key not in self.curriculum.facts:
            self.problem(where, f"{location}: [[{FACT} {key}]] is not a fact in {FACTS_FILE}")
        elif self.curriculum.facts.render(key, language) is None:
            self.problem(
                where, f"{location}: [[{FACT} {key}]] cannot print in '{language}' ({FACTS_FILE})"
            )

    def check_marker(self, where, location, instrument, expression):
        rules = self.rules.get(instrument)
        if rules is None:
            self.problem(where, f"{location}: unknown instrument '{instrument}'")
            return
        span = article_range(expression)
        if span is not None:
            first, last = (int(end) for end in span.split("-"))
            # A span FACTS.md does not state is allowed only when it cites nothing else:
            # every article inside it, not just its ends, is one lessons may cite.
            if span not in rules.get("ranges", []) and not all(
                number in rules["articles"] for number in range(first, last + 1)
            ):
                self.problem(
                    where,
                    f"{location}: [[{instrument} {expression}]] is not a range FACTS.md gives",
                )
            return
        for number in numbers(expression):
            if number in rules.get("unverified", []):
                self.problem(
                    where,
                    f"{location}: [[{instrument} {expression}]] cites an article FACTS.md marks "
                    "[UNV]; name it in words and add a 'presumed' reference",
                )
            elif number not in rules["articles"]:
                self.problem(
                    where,
                    f"{location}: [[{instrument} {expression}]] cites an article FACTS.md does not "
                    "support",
                )

    # --- the glossary ----------------------------------------------------------------

    def check_glossary(self, entries):
        """glossary.yaml: every entry in every language, citing as English does; and no
        language's text using a variant the glossary refuses for it (courses/curriculum/
        glossary.py): lessons and quizzes, instrument names and fact wordings, which print in them.
        """
        glossary = Glossary.load(self.curriculum.root)
        languages = self.curriculum.languages
        for place, message in glossary.problems + glossary.missing(languages):
            self.problem(f"{GLOSSARY_FILE}: {place}", message)
        if not glossary:
            return
        source = self.curriculum.source_language
        for key in glossary.keys:
            english = glossary.get(key, source)
            for language in languages:
                term = glossary.get(key, language)
                if term is None:
                    continue
                where = f"{GLOSSARY_FILE}: {key}.{language}"
                self.check_citations(where, {"definition": term.definition}, language)
                if english and sorted(map(str, markers(term.definition))) != sorted(
                    map(str, markers(english.definition))
                ):
                    self.problem(where, "the definition cites differently from the English one")
                if glossary.variants(term.term, language):
                    self.problem(where, f"'{term.term}' is also listed among its own variants")
        for language in languages:
            for where, data in self.texts_of(language, entries):
                for location, text in strings(data):
                    self.check_terms(where, location, text, language, glossary)

    def texts_of(self, language, entries):
        """(where, data) for what a language's pages print: its files, its instrument names
        and its wording of the dated facts."""
        for entry in entries:
            try:
                yield f"{language}/{entry.file}", self.curriculum.read(language, entry.file)
            except CurriculumError:
                continue  # reported with the file's other problems
        try:
            instruments = self.curriculum.read(language, "language.yaml").get("instruments")
        except CurriculumError:
            instruments = None
        yield f"{language}/language.yaml", {"instruments": instruments or {}}
        wording = {fact.key: fact.wording.get(language, "") for fact in self.curriculum.facts}
        yield f"{FACTS_FILE} ({language})", wording

    def check_terms(self, where, location, text, language, glossary):
        found = {}
        for written, term in glossary.variants(text, language):
            found.setdefault(written, []).append(term)
        source = self.curriculum.source_language
        for written, terms in found.items():
            approved = " or ".join(
                f"'{term.term}'"
                + (f" ({english.term})" if (english := glossary.get(term.key, source)) else "")
                for term in terms
            )
            self.problem(
                where,
                f"{location}: '{written}' is not this course's term; write {approved} "
                f"({GLOSSARY_FILE})",
            )

    # --- the English source ---------------------------------------------------------

    def check_source(self, where, entry, data):
        if entry.kind == "lesson":
            body = data["body"]
            kinds = [next(iter(item)) for item in body]
            if "references" not in kinds:
                self.problem(where, "a lesson needs a references block")
            if "key_points" not in kinds:
                self.problem(where, "a lesson needs key points")
            # The teaching text: a scenario or an exercise is practice, counted on its own.
            words = sum(
                word_count(text)
                for item in body
                if not {"references", "scenario", "exercise"} & set(item)
                for _location, text in strings(item)
            )
            low, high = self.limits["lesson_words"]
            if not low <= words <= high:
                self.problem(where, f"{words} words; a lesson has {low}–{high}")
            for item in body:
                if "scenario" in item:
                    words = sum(word_count(text) for _location, text in strings(item))
                    low, high = self.limits["scenario_words"]
                    if not low <= words <= high:
                        self.problem(
                            where, f"a scenario of {words} words; a scenario has {low}–{high}"
                        )
        if entry.kind == "quiz":
            questions = data["questions"]
            low, high = self.limits[
                "module_quiz_questions"
                if entry.settings["quiz_kind"] == "module"
                else "course_test_questions"
            ]
            if not low <= len(questions) <= high:
                self.problem(where, f"{len(questions)} questions; this quiz needs {low}–{high}")
            for number, question in enumerate(questions, 1):
                self.check_answer(f"{where}: question {number}", question)

    def check_answer(self, where, question):
        kind = question["type"]
        if kind in ("single_choice", "multiple_response"):
            right = sum(1 for option in question["options"] if option.get("correct"))
            if kind == "single_choice" and right != 1:
                self.problems.append(f"{where}: needs exactly one correct option, has {right}")
            if kind == "multiple_response" and not 1 <= right < len(question["options"]):
                self.problems.append(f"{where}: needs correct and incorrect options")
            texts = [option["text"] for option in question["options"]]
        elif kind == "true_false":
            texts = []  # the answer's presence is checked when building the page
        elif kind == "matching":
            texts = [pair[1] for pair in question["pairs"]]
            if len(question["pairs"]) < 2:
                self.problems.append(f"{where}: a matching question needs two pairs or more")
        else:
            texts = question["steps"]
            if len(texts) < 2:
                self.problems.append(f"{where}: an ordering question needs two steps or more")
        if len(set(map(str, texts))) != len(texts):
            self.problems.append(f"{where}: two answers read the same, so one cannot be right")

    # --- translations ---------------------------------------------------------------

    def check_mirror(self, where, entry, data):
        source = self.curriculum.read(self.curriculum.source_language, entry.file)
        if shape(data) != shape(source):
            self.problem(
                where, f"does not match the English file: {difference(shape(source), shape(data))}"
            )
        if sorted_markers(data) != sorted_markers(source):
            self.problem(
                where,
                "cites differently from the English file: "
                f"{sorted(set(sorted_markers(source)) ^ set(sorted_markers(data)))}",
            )
        ours = self.curriculum.citations_for(where.split("/")[0])
        theirs = self.curriculum.citations_for(self.curriculum.source_language)
        for (location, text), (_, english) in zip(
            rich_texts(data), rich_texts(source), strict=False
        ):
            if blocks_of(ours.rich(text)) != blocks_of(theirs.rich(english)):
                self.problem(
                    where,
                    f"{location}: paragraphs and list items differ from English "
                    f"({len(blocks_of(theirs.rich(english)))} in English)",
                )

    # --- the whole course -----------------------------------------------------------

    def check_course_wide(self, entries):
        language = self.curriculum.source_language
        used = Counter()
        tests = {}
        for entry in entries:
            if entry.kind == "quiz":
                questions = self.curriculum.read(language, entry.file)["questions"]
                used.update(question["type"] for question in questions)
                tests[entry.key] = [question["type"] for question in questions]
        for kind in QUESTION_TYPES:
            if not used[kind]:
                self.problem("curriculum", f"no quiz uses the question type {kind}")
        if tests.get("pre-test") != tests.get("post-test"):
            self.problem(
                "curriculum",
                "the pre-test and post-test are parallel forms: same number and types of questions",
            )
        # Practice, not only principles: every lesson has a scenario (issue 14).
        for module in self.curriculum.structure["modules"]:
            for lesson in module["lessons"]:
                where = f"{module['key']}/{lesson}.yaml"
                body = self.curriculum.read(language, where)["body"]
                if not any("scenario" in item for item in body):
                    self.problem(where, "each lesson needs a scenario")


def check(curriculum):
    return Checker(curriculum).run()


# --- helpers over the YAML data ----------------------------------------------------------


def strings(data, location=""):
    """(where, text) for every text a reader will see."""
    if isinstance(data, str):
        yield location or "text", data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_TEXT:
                yield from strings(value, f"{location}.{key}" if location else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data, 1):
            yield from strings(value, f"{location}[{index}]")


def folded(text):
    """Text compared without case, spacing or a closing full stop."""
    return " ".join(str(text or "").casefold().split()).rstrip(".。")


def walk(data, location=""):
    if isinstance(data, dict):
        yield location, data
        for key, value in data.items():
            yield from walk(value, f"{location}.{key}" if location else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data, 1):
            yield from walk(value, f"{location}[{index}]")


def provisions(data):
    for location, item in walk(data):
        if location.endswith(".provision"):
            yield location, item


def presumptions(data):
    for location, item in walk(data):
        if item.get("presumed"):
            yield location, str(item["presumed"])


RICH_KEYS = {
    "paragraph",
    "situation",
    "discussion",
    "intro",
    "question",
    "explanation",
    "task",
    "model_answer",
}
RICH_TEXT_BLOCKS = (".provision", ".callout")
SAME_EVERYWHERE = {
    "id",
    "type",
    "correct",
    "answer",
    "kind",
    "instrument",
    "article",
    "presumed",
    "minutes",
    "points",
    "url",
    "multiline",
}


def rich_texts(data):
    """(where, text) for every text written in the Markdown subset."""
    for location, item in walk(data):
        for key, value in item.items():
            rich = key in RICH_KEYS or (key == "text" and location.endswith(RICH_TEXT_BLOCKS))
            if rich and isinstance(value, str):
                yield f"{location}.{key}", value


def blocks_of(html):
    return re.findall(r"<(p|li)>", html)


def shape(data):
    """What must be the same in every language: structure, ids, types and answers."""
    if isinstance(data, dict):
        kept = {}
        for key, value in data.items():
            if isinstance(value, dict | list):
                kept[key] = shape(value)
            else:
                kept[key] = value if key in SAME_EVERYWHERE else "…"
        return kept
    if isinstance(data, list):
        return [shape(value) for value in data]
    return "…"


def difference(expected, found, location=""):
    if type(expected) is not type(found):
        return f"{location or 'top'} has a different form"
    if isinstance(expected, dict):
        for key in expected.keys() | found.keys():
            here = f"{location}.{key}" if location else str(key)
            if key not in found:
                return f"{here} is missing"
            if key not in expected:
                return f"{here} is not in English"
            if expected[key] != found[key]:
                return difference(expected[key], found[key], here)
    if isinstance(expected, list):
        if len(expected) != len(found):
            return f"{location} has {len(found)} items, English has {len(expected)}"
        for index, (a, b) in enumerate(zip(expected, found, strict=True), 1):
            if a != b:
                return difference(a, b, f"{location}[{index}]")
    return f"{location}: {found!r} where English has {expected!r}"


def sorted_markers(data):
    return sorted(str(marker) for _location, text in strings(data) for marker in markers(text))


def article_range(expression):
    bare = re.sub(r"\([^)]*\)", "", expression)
    found = re.fullmatch(r"\s*(\d+)\s*[-–]\s*(\d+)\s*", bare)
    return f"{found.group(1)}-{found.group(2)}" if found else None


def numbers(expression):
    return [int(number) for number in re.findall(r"\d+", re.sub(r"\([^)]*\)", "", expression))]
