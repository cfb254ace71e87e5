"""Grading of quiz answers and learning gain: pure functions, no database, no request.

A question is described by a plain ``QuestionKey`` (what the quiz page stores as the
answer key); a learner's response comes from the submitted form. ``grade`` either
returns a ``Grade`` or raises ``InvalidResponse`` when the response names something that
is not part of the question — the caller then records nothing.

Scoring rules:
- single choice and true/false: full points for the correct option, else none;
- multiple response: full points only for all correct options and no wrong one;
- matching: points in proportion to the pairs matched correctly;
- ordering: points in proportion to the items in their correct position.
An empty response scores nothing.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Kind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_RESPONSE = "multiple_response"
    TRUE_FALSE = "true_false"
    MATCHING = "matching"
    ORDERING = "ordering"


TRUE_FALSE_OPTIONS = ("true", "false")
HUNDREDTH = Decimal("0.01")


class InvalidResponse(ValueError):
    """The response refers to options, items or pairs the question does not have."""


@dataclass(frozen=True)
class QuestionKey:
    """What grading needs to know about one question.

    ``options``: option ids (choice kinds) or item ids (matching: the left-hand items;
    ordering: the items). ``correct``: the correct option ids (choice kinds), the correct
    order of item ids (ordering), or ``{left id: right id}`` (matching, in ``pairs``).
    """

    id: str
    kind: Kind
    options: tuple = ()
    correct: tuple = ()
    pairs: dict = field(default_factory=dict)
    points: Decimal = Decimal(1)


@dataclass(frozen=True)
class Grade:
    points: Decimal
    max_points: Decimal

    @property
    def is_correct(self):
        return self.points == self.max_points

    @property
    def is_partial(self):
        return Decimal(0) < self.points < self.max_points


def _share(question, right, total):
    if total == 0:
        return Grade(Decimal(0), question.points)
    points = (question.points * Decimal(right) / Decimal(total)).quantize(
        HUNDREDTH, rounding=ROUND_HALF_UP
    )
    return Grade(points, question.points)


def _all_or_nothing(question, right):
    return Grade(question.points if right else Decimal(0), question.points)


def _choices(question, response, *, multiple):
    chosen = set(response or ())
    if not multiple and len(chosen) > 1:
        raise InvalidResponse(f"{question.id}: choose one option only")
    unknown = chosen - set(question.options)
    if unknown:
        raise InvalidResponse(f"{question.id}: unknown option(s) {sorted(unknown)}")
    return _all_or_nothing(question, bool(chosen) and chosen == set(question.correct))


def _matching(question, response):
    response = dict(response or {})
    lefts = set(question.pairs)
    rights = set(question.pairs.values())
    if set(response) - lefts:
        raise InvalidResponse(f"{question.id}: unknown item(s) {sorted(set(response) - lefts)}")
    chosen_rights = {value for value in response.values() if value}
    if chosen_rights - rights:
        raise InvalidResponse(f"{question.id}: unknown match(es) {sorted(chosen_rights - rights)}")
    right = sum(1 for left, target in question.pairs.items() if response.get(left) == target)
    return _share(question, right, len(question.pairs))


def _ordering(question, response):
    order = list(response or ())
    if not order:
        return Grade(Decimal(0), question.points)
    if sorted(order) != sorted(question.correct):
        raise InvalidResponse(f"{question.id}: the order must use every item exactly once")
    right = sum(
        1 for given, expected in zip(order, question.correct, strict=True) if given == expected
    )
    return _share(question, right, len(question.correct))


def grade(question, response):
    """Grade one response to one question.

    ``response``: an iterable of option ids (choice kinds; one id for single choice and
    true/false), a mapping of left id to right id (matching), or a sequence of item ids
    (ordering). ``None`` or empty means unanswered.
    """
    if isinstance(response, str):
        response = [response] if response else []
    if question.kind in (Kind.SINGLE_CHOICE, Kind.TRUE_FALSE):
        return _choices(question, response, multiple=False)
    if question.kind == Kind.MULTIPLE_RESPONSE:
        return _choices(question, response, multiple=True)
    if question.kind == Kind.MATCHING:
        return _matching(question, response)
    if question.kind == Kind.ORDERING:
        return _ordering(question, response)
    raise ValueError(f"unknown question kind {question.kind!r}")


def percentage(grades):
    """The score of a set of grades as a percentage with two decimals (0 for no questions)."""
    total = sum((item.max_points for item in grades), Decimal(0))
    if not total:
        return Decimal(0)
    scored = sum((item.points for item in grades), Decimal(0))
    return (scored * 100 / total).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LearningGain:
    """Post-test minus pre-test, in percentage points, and Hake's normalised gain."""

    pre: Decimal
    post: Decimal
    gain: Decimal
    normalised: Decimal | None  # undefined when the pre-test was already 100 %


def learning_gain(pre, post):
    pre, post = Decimal(pre), Decimal(post)
    for value in (pre, post):
        if not Decimal(0) <= value <= Decimal(100):
            raise ValueError("scores are percentages between 0 and 100")
    gain = post - pre
    normalised = None
    if pre < 100:
        normalised = (gain / (Decimal(100) - pre)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return LearningGain(pre=pre, post=post, gain=gain, normalised=normalised)
