"""How long the starter course takes: a lesson's minutes from its text, a quiz's from its
number of questions, the course's hours from their sum (docs/curriculum.md, "Time").

Everything is measured on the source language (English) and applied to every language,
so a lesson shows the same minutes, and the course and its certificates the same hours,
whichever language a learner studies in. The rates below are the whole method; changing
one changes the figures on the next load.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from courses.curriculum.text import word_count

# Study reading of legal text, often in a second language: half the 238 words a minute that
# Brysbaert (2019) found for adults reading non-fiction silently in English.
WORDS_PER_MINUTE = 120
# A scenario is read at that rate, and each of its questions gets time to think about
# before the discussion.
SCENARIO_MINUTES_PER_QUESTION = 2
# An exercise is read at that rate (task, labels, model answer, checklist), and each part of
# the draft gets time to write.
EXERCISE_MINUTES_PER_PART = 5
# Reading a question, answering it and reading its explanation.
QUIZ_MINUTES_PER_QUESTION = Fraction(3, 2)
# Not read: identifiers, settings, addresses, and the list of references.
NOT_READ = {
    "id",
    "key",
    "slug",
    "type",
    "kind",
    "instrument",
    "article",
    "url",
    "presumed",
    "minutes",
}
SKIPPED_BLOCKS = {"references"}


def texts(data):
    """Every string a learner reads in this part of a file."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_READ:
                yield from texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from texts(value)


def words(data):
    return sum(word_count(text) for text in texts(data))


def count(value):
    return len(value) if isinstance(value, list) else 0


@dataclass(frozen=True)
class LessonTime:
    words: int = 0  # read at WORDS_PER_MINUTE: every block but the references
    scenario_questions: int = 0
    exercise_parts: int = 0

    @property
    def minutes(self):
        exact = (
            Fraction(self.words, WORDS_PER_MINUTE)
            + SCENARIO_MINUTES_PER_QUESTION * self.scenario_questions
            + EXERCISE_MINUTES_PER_PART * self.exercise_parts
        )
        return max(1, math.ceil(exact))


def lesson_time(data):
    """The reading and working time of one lesson file's data (malformed parts are left to
    the content check, and counted as nothing here)."""
    body = data.get("body") if isinstance(data, dict) else None
    total, questions, parts = 0, 0, 0
    for item in body if isinstance(body, list) else []:
        if not isinstance(item, dict) or len(item) != 1:
            continue
        ((kind, value),) = item.items()
        if kind in SKIPPED_BLOCKS:
            continue
        total += words(value)
        if isinstance(value, dict):
            if kind == "scenario":
                questions += count(value.get("questions"))
            elif kind == "exercise":
                parts += count(value.get("fields"))
    return LessonTime(total, questions, parts)


def quiz_minutes(data):
    questions = count(data.get("questions")) if isinstance(data, dict) else 0
    return math.ceil(QUIZ_MINUTES_PER_QUESTION * questions)


def hours_of(minutes):
    """Minutes as hours, rounded up to the half hour: 361 minutes are 6.5 hours."""
    return Decimal(math.ceil(Fraction(minutes, 30))) / 2


@dataclass
class Timing:
    minutes: dict = field(default_factory=dict)  # entry key → minutes, lessons and quizzes

    @property
    def total_minutes(self):
        return sum(self.minutes.values())

    @property
    def hours(self):
        return hours_of(self.total_minutes)


def measure(curriculum):
    """Minutes of every lesson and quiz of the course, from the source-language files."""
    timing = Timing()
    for entry in curriculum.entries():
        if entry.kind not in ("lesson", "quiz"):
            continue
        data = curriculum.read(curriculum.source_language, entry.file)
        if entry.kind == "lesson":
            timing.minutes[entry.key] = lesson_time(data).minutes
        else:
            timing.minutes[entry.key] = quiz_minutes(data)
    return timing
