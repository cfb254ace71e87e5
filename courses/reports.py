"""Item analysis of a quiz for its editors ("Results by question"), after Moodle's quiz
statistics: per question, how often it was answered fully right, how often each option was
chosen, and how well it separates stronger from weaker learners.

The rules (docs/reports.md, "Results by question"):

- Each learner counts once, with their first submitted attempt: retakes would let one
  learner weigh several times and learn from the review in between.
- Nothing but that fact is shown while fewer than ``REPORT_MIN_GROUP`` learners have
  submitted the quiz, and a question's figures are withheld while fewer than that many
  learners were asked it (a quiz drawing questions from a pool asks each only some).
- Discrimination index: the attempts ranked by score, the upper and lower groups are the
  top and bottom 27 % (Kelley's groups), at least one attempt each, equal scores ranked
  earlier attempt first; D = (share fully right in the upper group) − (share in the lower one),
  each share among the group's attempts that were asked the question. From −1 to 1.

The responses are JSON shaped by the kind of question, so they are counted in Python in one
pass over the first attempts' answers; the attempts themselves are chosen in SQL.
"""

import html
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.html import strip_tags

from courses.grading import Kind
from courses.models.quizzes import Attempt, AttemptAnswer, AttemptStatus
from courses.pilot import pilot_q
from courses.quizzes import snapshot

GROUP_SHARE = 0.27
# Ebel's rule of thumb for the discrimination index: at least this is good, fair, weak.
GOOD, FAIR = 0.3, 0.2


def plain_text(rich):
    """Text of rich-text HTML, entities decoded: the template escapes it once, at render."""
    return html.unescape(strip_tags(rich or "")).strip()


def percent(part, whole):
    """A share in whole percent, halves rounded up; None when there is nothing to share."""
    return (200 * part + whole) // (2 * whole) if whole else None


def first_attempts(quiz):
    """Every learner's first submitted attempt of the quiz (in any of its languages)."""
    turn = Window(
        RowNumber(), partition_by=[F("user_id")], order_by=[F("submitted_at").asc(), F("id")]
    )
    return (
        Attempt.objects.filter(quiz_key=quiz.translation_key, status=AttemptStatus.SUBMITTED)
        .annotate(turn=turn)
        .filter(turn=1)
    )


def score_groups(scores, share=GROUP_SHARE):
    """(upper ids, lower ids, size) from {attempt id: score}: the top and bottom share."""
    ranked = sorted(scores, key=lambda attempt_id: (-scores[attempt_id], attempt_id))
    size = max(1, round(len(ranked) * share)) if ranked else 0
    return set(ranked[:size]), set(ranked[len(ranked) - size :]), size


@dataclass
class Tally:
    """What one question's answers add up to."""

    answered: int = 0
    right: int = 0
    chosen: dict = field(default_factory=dict)  # option id → attempts that chose it
    unanswered: int = 0
    parts_right: dict = field(default_factory=dict)  # pair or item id → attempts right
    groups: dict = field(default_factory=lambda: {"upper": [0, 0], "lower": [0, 0]})

    def add(self, question, response, is_right, group):
        self.answered += 1
        self.right += is_right
        if group:
            self.groups[group][0] += 1
            self.groups[group][1] += is_right
        if not response or (isinstance(response, dict) and not any(response.values())):
            self.unanswered += 1
            return
        kind = question["kind"]
        if kind == Kind.MATCHING:
            for pair in question["pairs"]:
                if response.get(pair["id"]) == pair["id"]:
                    self.parts_right[pair["id"]] = self.parts_right.get(pair["id"], 0) + 1
        elif kind == Kind.ORDERING:
            for position, item in enumerate(question["items"]):
                if position < len(response) and response[position] == item["id"]:
                    self.parts_right[item["id"]] = self.parts_right.get(item["id"], 0) + 1
        else:
            for option_id in set(response):
                self.chosen[option_id] = self.chosen.get(option_id, 0) + 1

    @property
    def discrimination(self):
        (upper, upper_right), (lower, lower_right) = self.groups["upper"], self.groups["lower"]
        if not (upper and lower):
            return None
        return round(upper_right / upper - lower_right / lower, 2)


def verdict(index):
    """A word for the discrimination index, for editors who do not know the scale."""
    if index is None:
        return ""
    if index < 0:
        return "negative"
    if index >= GOOD:
        return "good"
    return "fair" if index >= FAIR else "weak"


def question_rows(questions, tallies, removed, minimum):
    rows = []
    for question_id, question in questions.items():
        tally = tallies.get(question_id, Tally())
        row = {
            "label": plain_text(question.get("stem")),
            "kind": question["kind"],
            "removed": question_id in removed,
            "answered": tally.answered,
            "withheld": tally.answered < minimum,
        }
        if not row["withheld"]:
            row["share_right"] = percent(tally.right, tally.answered)
            row["discrimination"] = tally.discrimination
            row["verdict"] = verdict(tally.discrimination)
            row["unanswered"] = percent(tally.unanswered, tally.answered)
            row["parts"] = parts(question, tally)
        rows.append(row)
    return rows


def parts(question, tally):
    """Per option (choice kinds): the share that chose it; per pair or step (matching,
    ordering): the share that got it right."""
    kind = question["kind"]
    if kind == Kind.MATCHING:
        return [
            {
                "text": f"{pair['left']} → {pair['right']}",
                "share": percent(tally.parts_right.get(pair["id"], 0), tally.answered),
            }
            for pair in question["pairs"]
        ]
    if kind == Kind.ORDERING:
        return [
            {
                "text": item["text"],
                "position": position,
                "share": percent(tally.parts_right.get(item["id"], 0), tally.answered),
            }
            for position, item in enumerate(question["items"], start=1)
        ]
    return [
        {
            "text": option["text"],
            "correct": option["correct"],
            "share": percent(tally.chosen.get(option["id"], 0), tally.answered),
        }
        for option in question["options"]
    ]


def quiz_item_analysis(quiz):
    """The "Results by question" report of a quiz: see the module's rules."""
    minimum = settings.REPORT_MIN_GROUP
    first = {
        attempt_id: (score, passed)
        for attempt_id, score, passed in first_attempts(quiz).values_list("id", "score", "passed")
    }
    learners = len(first)
    if learners < minimum:
        return {"withheld": True, "minimum": minimum}
    scores = {attempt_id: score for attempt_id, (score, _passed) in first.items()}
    upper, lower, group_size = score_groups(scores)
    questions = {block.id: snapshot(block) for block in quiz.questions}
    removed = {}  # removed from the quiz since: described as they were when answered
    tallies = {}
    answers = AttemptAnswer.objects.filter(
        attempt__quiz_key=quiz.translation_key, attempt__status=AttemptStatus.SUBMITTED
    ).values_list("attempt_id", "question_id", "response", "points", "max_points", "snapshot")
    for attempt_id, question_id, response, points, max_points, asked in answers.iterator():
        if attempt_id not in first:
            continue  # a retake
        question = questions.get(question_id) or removed.setdefault(question_id, asked)
        group = "upper" if attempt_id in upper else "lower" if attempt_id in lower else None
        tallies.setdefault(question_id, Tally()).add(
            question, response, points == max_points, group
        )
    questions |= {question_id: removed[question_id] for question_id in sorted(removed)}
    mean = sum(scores.values()) / learners
    return {
        "withheld": False,
        "minimum": minimum,
        "learners": learners,
        "attempts": Attempt.objects.filter(
            quiz_key=quiz.translation_key, status=AttemptStatus.SUBMITTED
        ).count(),
        # Simulated learners (courses/pilot.py), each counted with one first attempt.
        "pilots": Attempt.objects.filter(
            pilot_q("user__"), quiz_key=quiz.translation_key, status=AttemptStatus.SUBMITTED
        )
        .values("user")
        .distinct()
        .count(),
        "pass_rate": percent(sum(passed for _score, passed in first.values()), learners),
        "mean_score": mean.quantize(Decimal(1), ROUND_HALF_UP),
        "group_size": group_size,
        "questions": question_rows(questions, tallies, set(removed), minimum),
    }
