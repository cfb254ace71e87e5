"""Read the curriculum files of one language into the fields of the pages they become.

Nothing here touches the database. Keys (directory and file names) decide the pages'
translation keys and the StreamField ids, so every language gets the same ids and
wagtail-localize can pair the English text with its translation segment by segment.
"""

import json
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings

import yaml

from courses.curriculum import timing
from courses.curriculum.facts import Facts
from courses.curriculum.text import FACT, Citations, markers

DEFAULT_ROOT = Path(settings.BASE_DIR) / "curriculum"
NAMESPACE = uuid.UUID("5b0f3c39-8a55-4a57-9a3e-3f9a7c2f6d10")
QUESTION_TYPES = ("single_choice", "multiple_response", "true_false", "matching", "ordering")
LESSON_BLOCKS = (
    "heading",
    "subheading",
    "paragraph",
    "provision",
    "scenario",
    "key_points",
    "callout",
    "exercise",
    "references",
)
EXERCISE_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CurriculumError(Exception):
    """A file is missing, does not parse, or lacks something the page needs."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class Entry:
    """One page of the course, language-neutral."""

    key: str  # "course", "1-foundations", "1-foundations/quiz", "pre-test", …
    kind: str  # course, module, lesson or quiz
    parent: str | None
    file: str  # path of its file inside a language directory
    settings: dict

    @property
    def translation_key(self):
        return uuid.uuid5(NAMESPACE, f"{self.settings['course']}/{self.key}")


class Curriculum:
    def __init__(self, root=DEFAULT_ROOT):
        self.root = Path(root)
        self.structure = self.yaml(self.root / "structure.yaml")
        self.citations = self.yaml(self.root / "citations.yaml")
        self.source_language = self.structure["source_language"]
        self.languages = list(self.structure["languages"])
        self._cache = {}
        self._timing = None
        self._facts = None

    # --- files --------------------------------------------------------------------

    @staticmethod
    def yaml(path):
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CurriculumError(path, "file is missing") from None
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise CurriculumError(path, f"not valid YAML: {error}") from None
        if not isinstance(data, dict):
            raise CurriculumError(path, "expected a mapping at the top of the file")
        return data

    def path(self, language, file):
        return self.root / language / file

    def read(self, language, file):
        cache_key = (language, file)
        if cache_key not in self._cache:
            self._cache[cache_key] = self.yaml(self.path(language, file))
        return self._cache[cache_key]

    def digest_input(self, language, entry):
        """The bytes a page in this language is built from: its file and the language's
        citation forms, and the shared settings."""
        parts = [json.dumps(entry.settings, sort_keys=True, default=str)]
        for file in (entry.file, "language.yaml"):
            parts.append(self.path(language, file).read_text(encoding="utf-8"))
        stated = self.stated_time(entry)
        if stated:  # computed from other files too (the course) or from the rates
            parts.append(json.dumps(stated, sort_keys=True, default=str))
        used = self.facts_used(language, entry)
        if used:  # a fact updated in status.yaml reprints the pages that show it
            parts.append(json.dumps(used, sort_keys=True, ensure_ascii=False))
        return "\n".join(parts).encode()

    @property
    def facts(self):
        """The dated facts of status.yaml (courses/curriculum/facts.py)."""
        if self._facts is None:
            self._facts = Facts.load(self.root)
        return self._facts

    def facts_used(self, language, entry):
        """{fact id: its printed text in this language} for the facts the page's file cites."""
        return {
            marker.number: self.facts.render(marker.number, language)
            for text in all_text(self.read(language, entry.file))
            for marker in markers(text)
            if marker.instrument == FACT
        }

    def timing(self):
        """Minutes of every lesson and quiz, measured on the source language
        (courses/curriculum/timing.py)."""
        if self._timing is None:
            self._timing = timing.measure(self)
        return self._timing

    def stated_time(self, entry):
        """What a page states about its length: a lesson's minutes, the course's hours."""
        if entry.kind == "lesson":
            return {"minutes": self.timing().minutes[entry.key]}
        if entry.kind == "course":
            return {"hours": self.timing().hours}
        return {}

    # --- the plan -----------------------------------------------------------------

    def entries(self):
        """Every page, parents before children, in the order learners meet them."""
        shared = {"course": self.structure["course"]}
        found = [
            Entry(
                "course",
                "course",
                None,
                "course.yaml",
                {
                    **shared,
                    "audience": list(self.structure.get("audience", [])),
                    "level": self.structure.get("level", "introductory"),
                },
            ),
            Entry(
                "pre-test",
                "quiz",
                "course",
                "pre-test.yaml",
                {**shared, "quiz_kind": "pre", **self.structure.get("pre_test", {})},
            ),
        ]
        for module in self.structure["modules"]:
            key = module["key"]
            found.append(Entry(key, "module", "course", f"{key}/module.yaml", shared))
            for lesson in module["lessons"]:
                found.append(
                    Entry(f"{key}/{lesson}", "lesson", key, f"{key}/{lesson}.yaml", shared)
                )
            found.append(
                Entry(
                    f"{key}/quiz",
                    "quiz",
                    key,
                    f"{key}/quiz.yaml",
                    {**shared, "quiz_kind": "module", **module.get("quiz", {})},
                )
            )
        found.append(
            Entry(
                "post-test",
                "quiz",
                "course",
                "post-test.yaml",
                {**shared, "quiz_kind": "post", **self.structure.get("post_test", {})},
            )
        )
        return found

    def citations_for(self, language):
        return Citations(self.read(language, "language.yaml"), self.facts, language)

    # --- fields -------------------------------------------------------------------

    def fields(self, language, entry):
        """The page's model fields in this language (StreamFields as raw JSON)."""
        data = self.read(language, entry.file)
        builder = PageBuilder(
            self.path(language, entry.file),
            self.citations_for(language),
            entry,
            stated=lambda: self.stated_time(entry),
        )
        return getattr(builder, entry.kind)(data)


def all_text(data):
    """Every string in a file's data, wherever it sits."""
    if isinstance(data, dict):
        for value in data.values():
            yield from all_text(value)
    elif isinstance(data, list):
        for value in data:
            yield from all_text(value)
    elif isinstance(data, str):
        yield data


def block_id(parent, *parts):
    return str(uuid.uuid5(uuid.UUID(str(parent)), "/".join(str(part) for part in parts)))


class PageBuilder:
    def __init__(self, path, citations, entry, stated=dict):
        self.path = path
        self.cite = citations
        self.entry = entry
        self.key = entry.translation_key
        self.stated = stated  # the page's computed length, measured on the source language

    def fail(self, message):
        raise CurriculumError(self.path, message)

    def text(self, value, where):
        if isinstance(value, dict | list):
            found = "mapping" if isinstance(value, dict) else "list"
            self.fail(
                f"{where}: expected text, found a {found} (put a line that contains ': ' in quotes)"
            )
        return "" if value is None else str(value)

    def plain(self, value, where="the file"):
        return self.cite.plain(self.text(value, where))

    def rich(self, value, where="the file"):
        return self.cite.rich(self.text(value, where))

    def need(self, data, name, where="the file"):
        value = data.get(name) if isinstance(data, dict) else None
        if value in (None, "", []):
            self.fail(f"{where} needs '{name}'")
        return value

    def common(self, data):
        return {
            "title": self.plain(self.need(data, "title")),
            "slug": str(self.need(data, "slug")).strip(),
        }

    def items(self, parent_id, values, kind="item"):
        return [
            {"type": "item", "value": value, "id": block_id(parent_id, kind, index)}
            for index, value in enumerate(values)
        ]

    # --- pages --------------------------------------------------------------------

    def course(self, data):
        objectives = [
            {
                "type": "objective",
                "value": self.plain(text, "objectives"),
                "id": block_id(self.key, i),
            }
            for i, text in enumerate(self.need(data, "objectives"))
        ]
        structure = self.entry.settings
        return {
            **self.common(data),
            "summary": " ".join(str(self.need(data, "summary")).split()),
            "objectives": json.dumps(objectives),
            "audience": list(structure.get("audience", [])),
            "level": structure.get("level", "introductory"),
            "estimated_hours": Decimal(str(self.stated()["hours"])),
        }

    def module(self, data):
        return {**self.common(data), "intro": self.rich(data.get("intro", ""))}

    def lesson(self, data):
        body = self.need(data, "body")
        stream = [self.lesson_block(index, item) for index, item in enumerate(body)]
        ids = [block["id"] for block in stream]
        if len(set(ids)) != len(ids):
            self.fail("two exercises share an id")
        return {
            **self.common(data),
            "estimated_minutes": self.stated()["minutes"],
            "body": json.dumps(stream),
        }

    def quiz(self, data):
        questions = self.need(data, "questions")
        seen = set()
        stream = []
        for number, question in enumerate(questions, 1):
            where = f"question {number}"
            qid = str(self.need(question, "id", where))
            if qid in seen:
                self.fail(f"{where}: id '{qid}' is used twice")
            seen.add(qid)
            stream.append(self.question(question, qid, where))
        settings = self.entry.settings
        return {
            **self.common(data),
            "intro": self.rich(data.get("intro", "")),
            "questions": json.dumps(stream),
            "kind": settings["quiz_kind"],
            "pass_mark": int(settings.get("pass_mark", 70)),
        }

    # --- lesson blocks ------------------------------------------------------------

    def lesson_block(self, index, item):
        where = f"body item {index + 1}"
        if not isinstance(item, dict) or len(item) != 1:
            self.fail(f"{where}: each body item is one 'kind: content' pair")
        ((kind, value),) = item.items()
        if kind not in LESSON_BLOCKS:
            self.fail(f"{where}: unknown kind '{kind}' (use one of {', '.join(LESSON_BLOCKS)})")
        bid = block_id(self.key, "body", index)
        if kind == "exercise":
            # Learners' drafts are stored under this id: it follows the exercise's own id,
            # not its place, so adding a block above it keeps their work.
            bid = block_id(self.key, "exercise", self.key_of(value, where))
        value = getattr(self, f"block_{kind}")(value, bid, where)
        stream_type = {"subheading": "heading", "provision": "legal_provision"}.get(kind, kind)
        return {"type": stream_type, "value": value, "id": bid}

    def block_heading(self, value, bid, where, level="h2"):
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}: a heading needs its text")
        return {"text": self.plain(value), "level": level}

    def block_subheading(self, value, bid, where):
        return self.block_heading(value, bid, where, level="h3")

    def block_paragraph(self, value, bid, where):
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}: a paragraph needs text")
        return self.rich(value)

    def block_provision(self, value, bid, where):
        instrument = self.need(value, "instrument", where)
        if instrument not in self.cite.data["instruments"]:
            self.fail(f"{where}: unknown instrument '{instrument}'")
        article = str(value.get("article") or "").strip()
        return {
            "instrument": self.cite.instrument_name(instrument),
            "article": self.cite.article(instrument, article) if article else "",
            "text": self.rich(self.need(value, "text", where)),
            "is_paraphrase": bool(value.get("paraphrase", True)),
        }

    def block_scenario(self, value, bid, where):
        return {
            "title": self.plain(self.need(value, "title", where)),
            "situation": self.rich(self.need(value, "situation", where)),
            "questions": self.items(
                bid, [self.plain(q, where) for q in value.get("questions") or []]
            ),
            "discussion": self.rich(value.get("discussion", "")),
        }

    def block_key_points(self, value, bid, where):
        title, points = "", value
        if isinstance(value, dict):
            title, points = value.get("title", ""), value.get("points")
        if not isinstance(points, list) or not points:
            self.fail(f"{where}: key points need a list of points")
        return {
            "title": self.plain(title),
            "points": self.items(bid, [self.plain(point, where) for point in points]),
        }

    def block_callout(self, value, bid, where):
        kind = value.get("kind", "note") if isinstance(value, dict) else None
        if kind not in ("note", "tip", "warning", "safeguard"):
            self.fail(f"{where}: a callout's kind is note, tip, warning or safeguard")
        return {
            "kind": kind,
            "title": self.plain(value.get("title", "")),
            "body": self.rich(self.need(value, "text", where)),
        }

    def key_of(self, item, where):
        key = str(self.need(item, "id", where))
        if not EXERCISE_KEY.match(key):
            self.fail(f"{where}: id '{key}' may hold only lowercase letters, digits and hyphens")
        return key

    def block_exercise(self, value, bid, where):
        if not isinstance(value, dict):
            self.fail(
                f"{where}: an exercise has an id, title, task, fields, model_answer, checklist"
            )
        parts, items = [], []
        for part in self.need(value, "fields", where):
            multiline = part.get("multiline", True) if isinstance(part, dict) else None
            if not isinstance(multiline, bool):
                self.fail(f"{where}: a field's 'multiline' is true or false")
            parts.append(
                {
                    "key": self.key_of(part, where),
                    "label": self.plain(self.need(part, "label", where), where),
                    "help": self.plain(part.get("help", ""), where),
                    "multiline": multiline,
                }
            )
        for item in self.need(value, "checklist", where):
            items.append(
                {
                    "key": self.key_of(item, where),
                    "text": self.plain(self.need(item, "text", where), where),
                }
            )
        for name, found in (("fields", parts), ("checklist", items)):
            keys = [entry["key"] for entry in found]
            if len(set(keys)) != len(keys):
                self.fail(f"{where}: two {name} entries share an id")
        return {
            "title": self.plain(self.need(value, "title", where)),
            "task": self.rich(self.need(value, "task", where)),
            "fields": self.items(bid, parts, "field"),
            "model_answer": self.rich(self.need(value, "model_answer", where)),
            "checklist": self.items(bid, items, "check"),
        }

    def block_references(self, value, bid, where):
        if not isinstance(value, list) or not value:
            self.fail(f"{where}: references need at least one entry")
        items = []
        for reference in value:
            notes = []
            if reference.get("presumed"):
                found = markers(f"[[{reference['presumed']}]]")
                if len(found) != 1:
                    self.fail(f"{where}: 'presumed' is written like 'uncc 24'")
                notes.append(self.cite.presumed(found[0]))
            if reference.get("note"):
                notes.append(self.plain(reference["note"]))
            items.append(
                {
                    "citation": self.plain(self.need(reference, "citation", where)),
                    "url": str(reference.get("url") or ""),
                    "note": "; ".join(notes),
                }
            )
        return {"items": self.items(bid, items)}

    # --- questions ----------------------------------------------------------------

    def question(self, data, qid, where):
        kind = data.get("type")
        if kind not in QUESTION_TYPES:
            self.fail(f"{where}: type must be one of {', '.join(QUESTION_TYPES)}")
        question_id = block_id(self.key, "question", qid)
        value = {
            "stem": self.rich(self.need(data, "question", where)),
            "image": None,
            "image_alt": "",
            "explanation": self.rich(self.need(data, "explanation", where)),
            # Shown after a wrong answer under the "which questions were wrong" review.
            "hint": self.plain(data.get("hint", ""), where),
            "points": int(data.get("points", 1)),
        }
        if kind in ("single_choice", "multiple_response"):
            options = [
                {
                    "text": self.plain(self.need(option, "text", where), where),
                    "correct": bool(option.get("correct", False)),
                    "feedback": self.plain(option.get("feedback", "")),
                }
                for option in self.need(data, "options", where)
            ]
            value["options"] = self.items(question_id, options, "option")
        elif kind == "true_false":
            if not isinstance(data.get("answer"), bool):
                self.fail(f"{where}: a true/false question needs 'answer: true' or 'answer: false'")
            value.update(
                answer=data["answer"],
                feedback_true=self.plain(data.get("feedback_true", "")),
                feedback_false=self.plain(data.get("feedback_false", "")),
            )
        elif kind == "matching":
            pairs = []
            for pair in self.need(data, "pairs", where):
                if not isinstance(pair, list) or len(pair) != 2:
                    self.fail(f"{where}: each pair is [item, its match]")
                pairs.append(
                    {"left": self.plain(pair[0], where), "right": self.plain(pair[1], where)}
                )
            value["pairs"] = self.items(question_id, pairs, "pair")
        else:
            steps = [self.plain(step, where) for step in self.need(data, "steps", where)]
            value["items"] = self.items(question_id, steps, "step")
        return {"type": kind, "value": value, "id": question_id}
